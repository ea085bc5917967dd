package dev.distribank.node.app;

import dev.distribank.node.loop.BankState;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.node.store.DiskFull;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Runs the application's work on the bank's event loop, and says why in the application's own terms when the loop
 * cannot: {@link EventLoop.Stopped} becomes {@link NodeStopping}, so no transport needs to know there is a loop.
 */
final class OnLoop {
  private final EventLoop loop;

  OnLoop(EventLoop loop) {
    this.loop = loop;
  }

  String bankId() {
    return loop.bankId();
  }

  /** {@code work}'s answer, once what it changed is durable. */
  <T> CompletableFuture<T> call(Function<BankState, T> work) {
    return inOwnTerms(loop.call(work));
  }

  /** The answer {@code work} starts waiting for (a transaction's outcome, an audit's snapshot). */
  <T> CompletableFuture<T> await(Function<BankState, CompletableFuture<T>> work) {
    return inOwnTerms(loop.call(work).thenCompose(waiting -> waiting));
  }

  private <T> CompletableFuture<T> inOwnTerms(CompletableFuture<T> answer) {
    return answer.exceptionallyCompose(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      return CompletableFuture.failedFuture(cause instanceof EventLoop.Stopped stopped ? stopping(stopped) : cause);
    });
  }

  /**
   * A full disk is said plainly, without the store's file names (any client may read it): the node stops taking
   * work and recovers by itself once there is room.
   */
  private NodeStopping stopping(EventLoop.Stopped stopped) {
    if (DiskFull.in(stopped).isPresent()) {
      return new NodeStopping("bank " + loop.bankId() + " stopped taking work: its disk is full. Nothing it "
          + "acknowledged is lost; it serves again by itself once there is room", stopped, true);
    }
    return new NodeStopping(stopped.getMessage(), stopped);
  }
}
