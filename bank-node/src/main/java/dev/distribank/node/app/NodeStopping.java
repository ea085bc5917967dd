package dev.distribank.node.app;

/**
 * Why a call was not answered: the node is shutting down, or stopped on a fault. Nothing of the call was applied;
 * transports answer UNAVAILABLE, so a client retries elsewhere or later.
 */
public final class NodeStopping extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean diskFull;

  public NodeStopping(String message, Throwable cause) {
    this(message, cause, false);
  }

  /** {@code diskFull}: the node stopped because its data directory has no room; it serves again once it has. */
  public NodeStopping(String message, Throwable cause, boolean diskFull) {
    super(message, cause);
    this.diskFull = diskFull;
  }

  /** Whether the node stopped taking work because its data directory is full (it recovers by itself). */
  public boolean diskFull() {
    return diskFull;
  }
}
