package dev.distribank.node.loop;

import dev.distribank.node.core.order.Envelope;
import dev.distribank.node.store.Store;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The thread that makes the event loop's batches durable, so the loop builds batch N+1 while batch N is synced
 * (DESIGN §6). Batches are written in the order handed in; only once a batch is durable are its peer messages sent
 * and its callers answered. The batches that wait while one group is synced are written together, with one fsync
 * (group commit on the disk side). At most {@link #DEPTH} batches wait: past that the loop waits, and the calls
 * arriving meanwhile join its next batch.
 */
final class DurableWriter implements AutoCloseable {
  static final int DEPTH = 64;

  /** An answer for a caller, given only once its batch is durable; failed instead if the write fails. */
  record Answer(CompletableFuture<?> caller, Runnable give) {}

  /** One batch: its prepared write, then its messages and answers; or, with no write, early ones. */
  private record Durable(Store.Prepared write, List<Envelope> outbound, List<Answer> answers) {}

  private static final Durable STOP = new Durable(null, List.of(), List.of());

  /** Makes one prepared write durable, or throws having written nothing of it. */
  interface Commit {
    /** Makes the writes durable in their order, with one sync, or throws; then none may be taken as durable. */
    void commit(List<Store.Prepared> writes) throws Exception;
  }

  private final Commit commit;
  private final Consumer<List<Envelope>> send;
  private final Consumer<Throwable> failed;
  private final BlockingQueue<Durable> queue = new ArrayBlockingQueue<>(DEPTH);
  private final Thread thread;
  private volatile Throwable failure;
  /** Batches handed in and not yet durable (or failed): the loop reads the store only when this is 0. */
  private int inFlight;

  DurableWriter(String bank, Commit commit, Consumer<List<Envelope>> send, Consumer<Throwable> failed) {
    this.commit = commit;
    this.send = send;
    this.failed = failed;
    this.thread = Thread.ofPlatform().name("bank-writer-" + bank).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** Null while healthy; why a write failed, once one did (nothing after it was written). */
  Throwable failure() {
    return failure;
  }

  /**
   * Hands a batch over (on the loop thread); waits while {@link #DEPTH} batches already wait. Throws the write
   * failure if the writer has stopped on one. {@code early} messages and answers wait only for the batches handed in
   * before: sent and given at once when those are all durable already, else as soon as they are.
   */
  void submit(Store.Prepared write, List<Envelope> outbound, List<Answer> answers, List<Envelope> earlyOutbound,
      List<Answer> earlyAnswers) throws InterruptedException {
    if (!earlyOutbound.isEmpty() || !earlyAnswers.isEmpty()) {
      boolean idle;
      synchronized (this) {
        idle = inFlight == 0 && failure == null;
      }
      if (idle) {
        release(new Durable(null, earlyOutbound, earlyAnswers));
      } else {
        enqueue(new Durable(null, earlyOutbound, earlyAnswers));
      }
    }
    enqueue(new Durable(write, outbound, answers));
  }

  /** {@link #submit} with nothing early. */
  void submit(Store.Prepared write, List<Envelope> outbound, List<Answer> answers) throws InterruptedException {
    submit(write, outbound, answers, List.of(), List.of());
  }

  private void enqueue(Durable durable) throws InterruptedException {
    synchronized (this) {
      inFlight++;
    }
    boolean queued = false;
    while (failure == null && !(queued = queue.offer(durable, 50, TimeUnit.MILLISECONDS))) {
      // the writer is busy: the calls arriving meanwhile join the loop's next batch
    }
    if (failure != null) {
      // The writer stopped: fail this batch unless the writer took it from the queue and failed it already.
      if (!queued || queue.remove(durable)) {
        close(durable);
        failAll(durable, failure);
      }
      throw new IllegalStateException("the store's writer stopped: " + failure, failure);
    }
  }

  private void release(Durable d) {
    if (!d.outbound().isEmpty()) {
      send.accept(d.outbound());
    }
    d.answers().forEach(a -> a.give().run());
  }

  private static void close(Durable d) {
    if (d.write() != null) {
      d.write().close();
    }
  }

  private static void failAll(Durable durable, Throwable cause) {
    var error = new EventLoop.Stopped(
        "the bank node failed and is stopping: a durable write failed (" + cause.getMessage() + ")", cause);
    durable.answers().forEach(a -> a.caller().completeExceptionally(error));
  }

  /** Waits (on the loop thread) until every batch handed in is durable, so a read of the store sees them all. */
  synchronized void awaitDurable() throws InterruptedException {
    while (inFlight > 0 && failure == null) {
      wait(50);
    }
    if (failure != null) {
      throw new IllegalStateException("the store's writer stopped: " + failure, failure);
    }
  }

  private void run() {
    var group = new java.util.ArrayList<Durable>();
    while (true) {
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(group);
      // By identity: an early entry also has no write, and a record's equals would compare its lists.
      boolean stop = group.removeIf(d -> d == STOP);
      // Early messages and answers ahead of the group's first write wait for nothing more: every batch before them
      // is durable, since this thread writes in order.
      int released = 0;
      while (released < group.size() && group.get(released).write() == null) {
        release(group.get(released++));
      }
      try {
        commit.commit(group.stream().skip(released).map(Durable::write).filter(java.util.Objects::nonNull)
            .toList());
      } catch (Throwable e) {
        failure = e;
        // The loop stops taking work before any caller hears of the failure.
        failed.accept(e);
        group.stream().skip(released).forEach(d -> failAll(d, e));
        Durable queued;
        while ((queued = queue.poll()) != null) {
          if (queued != STOP) {
            close(queued);
            failAll(queued, e);
          }
        }
        synchronized (this) {
          notifyAll();
        }
        return;
      }
      group.stream().skip(released).forEach(this::release);
      synchronized (this) {
        inFlight -= group.size();
        notifyAll();
      }
      group.clear();
      if (stop) {
        return;
      }
    }
  }

  /** Writes what was handed in, then stops the thread. */
  @Override
  public void close() throws InterruptedException {
    while (thread.isAlive() && !queue.offer(STOP, 50, TimeUnit.MILLISECONDS)) {
      // the writer is busy with the batches before; it stops after them (or is gone after a failed write)
    }
    thread.join(TimeUnit.SECONDS.toMillis(30));
  }
}
