package dev.distribank.node.app;

/**
 * Why a call was not answered: the node is shutting down, or stopped on a fault. Nothing of the call was applied;
 * transports answer UNAVAILABLE, so a client retries elsewhere or later.
 */
public final class NodeStopping extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NodeStopping(String message, Throwable cause) {
    super(message, cause);
  }
}
