package dev.distribank.node.auth;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where the deliberately slow password hashes run, never on the event loop: a few threads (half the cores, so that
 * a flood of sign-ins leaves CPU for transfers) and a bounded queue. When the queue is full a new hash is not queued
 * at all: its future fails at once with an OVERLOADED refusal (RESOURCE_EXHAUSTED, retry after a second).
 */
public final class HashingPool implements AutoCloseable {
  private final ThreadPoolExecutor pool;
  private final int capacity;

  public HashingPool(int threads, int capacity) {
    this.capacity = capacity;
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(capacity), Thread.ofPlatform().name("password-hash-", 0).daemon().factory(),
        new ThreadPoolExecutor.AbortPolicy());
  }

  /** Half the machine's cores, at least one. */
  public static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /** Runs {@code work} on the pool; fails at once with OVERLOADED when the queue is full. */
  public <T> CompletableFuture<T> submit(Supplier<T> work) {
    var result = new CompletableFuture<T>();
    try {
      pool.execute(() -> {
        try {
          result.complete(work.get());
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException full) {
      result.completeExceptionally(Rejection.of(Reason.OVERLOADED, "", "too many sign-ups and sign-ins are being "
          + "checked (" + capacity + " waiting); try again in a second")
          .with(Rejection.RETRY_AFTER_MILLIS, "1000").toException());
    }
    return result;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
