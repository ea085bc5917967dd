package dev.distribank.node.loop;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.Envelope;
import dev.distribank.node.core.order.Ready;
import dev.distribank.node.log.LogFields;
import dev.distribank.node.log.QuietLog;
import dev.distribank.node.metrics.LoopEvents;
import dev.distribank.node.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rocksdb.RocksDBException;

/**
 * The single thread that owns a bank's state (DESIGN §6). gRPC and peer threads hand it tasks; it runs a batch of
 * them, writes everything they changed in one synced RocksDB batch (group commit), and only then answers callers and
 * sends peer messages. So no lock is needed in the core, and nothing leaves the node before it is durable.
 */
public final class EventLoop implements AutoCloseable {
  private static final Logger log = Logger.getLogger(EventLoop.class.getName());
  private static final int MAX_BATCH = 4096;
  /**
   * At most this many client calls and peer messages wait for the loop (DESIGN §5, overload): past it a call is
   * refused at once with RESOURCE_EXHAUSTED, and a peer message is dropped (the protocol re-sends it), so a flood
   * cannot grow memory without bound.
   */
  public static final int MAX_QUEUED = 20_000;
  /** Room kept beyond {@link #MAX_QUEUED} for the loop's own events (ticks, peer health, links): never refused. */
  private static final int CONTROL_ROOM = 1_000;
  /** Peer faults are another bank's doing: logged with the sender, at most 20 lines a minute. */
  private static final QuietLog PEER_FAULTS = new QuietLog(log, 20);
  private static final QuietLog SETTLED_BY_PEERS = new QuietLog(log, 20);
  /** Peer messages refused as faults, by sending bank, since start (the log line for each is rate-limited). */
  private final java.util.concurrent.ConcurrentHashMap<String, Long> refused =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final BankState state;
  private final Clock wallClock;
  private final int maxQueued;
  private final BlockingQueue<Task> tasks;
  private final List<DurableWriter.Answer> afterCommit = new ArrayList<>();
  private final DurableWriter writer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private volatile LoopEvents events = LoopEvents.NONE;

  public EventLoop(BankState state, Consumer<List<Envelope>> outbound) {
    this(state, Clock.systemUTC(), MAX_QUEUED, outbound);
  }

  /**
   * A loop that tells the bank the time from {@code wallClock} before each batch (consents expire by it) and lets
   * at most {@code maxQueued} calls and peer messages wait.
   */
  public EventLoop(BankState state, Clock wallClock, int maxQueued, Consumer<List<Envelope>> outbound) {
    this.state = state;
    this.maxQueued = maxQueued;
    this.tasks = new LinkedBlockingQueue<>(maxQueued + CONTROL_ROOM);
    this.wallClock = wallClock;
    this.writer = new DurableWriter(state.bank().id(), this::commitGroup, outbound, this::writeFailed);
    state.beforeStoreRead(() -> {
      try {
        writer.awaitDurable();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Stopped("the bank node is stopping", e);
      }
    });
    this.thread = Thread.ofPlatform().name("bank-loop-" + state.bank().id()).unstarted(this::run);
  }

  /** The bank this loop serves (immutable, so any thread may ask). */
  /** How many protocol messages from {@code bank} were refused as contradicting this bank's state. */
  public long refusedFrom(String bank) {
    return refused.getOrDefault(bank, 0L);
  }

  public String bankId() {
    return state.bank().id();
  }

  /** Where the loop reports its batches, durable writes and finished transactions (metrics); call before start. */
  public void reportTo(LoopEvents events) {
    this.events = events;
  }

  public void start() {
    writer.start();
    thread.start();
  }

  /** Null while healthy; the cause once a durable write failed and the loop stopped. */
  public Throwable failure() {
    return failure;
  }

  /**
   * Why a call was not run: the node is shutting down, or its loop stopped on a fault. Callers answer UNAVAILABLE;
   * nothing of the call was applied.
   */
  public static final class Stopped extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Stopped(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Runs {@code work} on the loop; the future completes with its result, or with its {@link Rejection.Rejected}
   * refusal (which changed nothing), after the changes it made are durable. Any other exception means a broken
   * invariant: memory may be half-changed, so the loop stops before writing anything (fail-stop).
   */
  public <T> CompletableFuture<T> call(Function<BankState, T> work) {
    return submit(work, true);
  }

  /** {@link #call} for the node's own start-up and housekeeping: never refused for load. */
  public <T> CompletableFuture<T> controlCall(Function<BankState, T> work) {
    return submit(work, false);
  }

  private <T> CompletableFuture<T> submit(Function<BankState, T> work, boolean bounded) {
    var result = new CompletableFuture<T>();
    Task task = new Task(() -> {
      try {
        T value = work.apply(state);
        afterCommit.add(new DurableWriter.Answer(result, () -> result.complete(value)));
      } catch (Rejection.Rejected refused) {
        afterCommit.add(new DurableWriter.Answer(result, () -> result.completeExceptionally(refused)));
      }
    }, result);
    if (!running) {
      result.completeExceptionally(new Stopped("the bank node is stopping", failure));
    } else if (bounded && tasks.size() >= maxQueued || !tasks.offer(task)) {
      result.completeExceptionally(Rejection.of(Reason.OVERLOADED, "", "bank " + bankId() + " has " + maxQueued
          + " requests waiting; try again shortly").with(Rejection.RETRY_AFTER_MILLIS, "100").toException());
    }
    return result;
  }

  /**
   * Runs {@code work} (peer messages) on the loop without waiting for an answer; dropped (false) when
   * {@link #MAX_QUEUED} are waiting: every peer message is re-sent until it is answered.
   */
  public boolean execute(Consumer<BankState> work) {
    return running && tasks.size() < maxQueued && tasks.offer(new Task(() -> work.accept(state), null));
  }

  /** Runs one of the node's own events (a tick, a peer's health, a link coming up): never refused for load. */
  public void control(Consumer<BankState> work) {
    if (running) {
      tasks.offer(new Task(() -> work.accept(state), null));
    }
  }

  /** A unit of work for the loop, and the caller's future to fail if the loop dies before running it. */
  private record Task(Runnable work, CompletableFuture<?> caller) {}

  private void run() {
    var batch = new ArrayList<Task>();
    while (running || !tasks.isEmpty()) {
      try {
        Task first = tasks.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        tasks.drainTo(batch, MAX_BATCH - 1);
        state.bank().advanceClock(wallClock.millis());
        for (Task task : batch) {
          task.work().run();
        }
        events.batchRun(batch.size());
        commit();
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable fatal) {
        fail(writer.failure() != null ? writer.failure() : fatal, batch);
        return;
      }
    }
    if (writer.failure() != null) {
      fail(writer.failure(), batch);
    }
  }

  /**
   * Hands the batch's {@code Ready} to the writer: its write is built here, on the thread that owns the values, and
   * made durable on the writer's; its messages and answers leave only after that, but for the early ones, which wait
   * only for the batches before (DESIGN §6).
   */
  private void commit() throws Exception {
    Ready ready = state.core().ready();
    events.finished(ready.protocol().operations());
    if (!ready.protocol().settledByPeers().isEmpty()) {
      events.settledByPeers(ready.protocol().settledByPeers());
      for (var s : ready.protocol().settledByPeers()) {
        SETTLED_BY_PEERS.warn("transaction " + s.transactionId() + " was in doubt here with its coordinator away;"
            + " settled " + (s.committed() ? "COMMIT" : "ABORT") + " on the word of bank " + s.peer()
            + ", another participant", LogFields.peer(s.peer()).transaction(s.transactionId()).bank(bankId()));
      }
    }
    var write = state.storeForWrites().prepare(ready, state.sessions().takeUnsaved());
    for (Ready.SnapshotReply reply : ready.snapshots()) {
      var waiting = state.takeWaitingSnapshot(reply.tag());
      if (waiting != null && reply.snapshot() != null) {
        afterCommit.add(new DurableWriter.Answer(waiting, () -> waiting.complete(reply.snapshot())));
      } else if (waiting != null) {
        afterCommit.add(new DurableWriter.Answer(waiting,
            () -> waiting.completeExceptionally(reply.refusal().toException())));
      }
    }
    for (Ready.Reply reply : ready.replies()) {
      var waiting = state.takeWaiting(reply.tag());
      if (waiting != null) {
        afterCommit.add(new DurableWriter.Answer(waiting, () -> waiting.complete(reply.outcome())));
      }
    }
    var earlyAnswers = new ArrayList<DurableWriter.Answer>(ready.early().replies().size());
    for (Ready.Reply reply : ready.early().replies()) {
      var waiting = state.takeWaiting(reply.tag());
      if (waiting != null) {
        earlyAnswers.add(new DurableWriter.Answer(waiting, () -> waiting.complete(reply.outcome())));
      }
    }
    for (Ready.PeerFault fault : ready.faults()) {
      refused.merge(fault.from(), 1L, Long::sum);
      PEER_FAULTS.warn("refused a message from bank " + fault.from() + " about " + fault.transactionId() + ": "
          + fault.why() + "; nothing changed", LogFields.peer(fault.from())
          .transaction(fault.transactionId()).bank(bankId()));
    }
    writer.submit(write, ready.outbound(), List.copyOf(afterCommit), ready.early().outbound(), earlyAnswers);
    afterCommit.clear();
  }

  /** The writer's group commit (on its thread): one synced write of the batches it took, timed for the metrics. */
  private void commitGroup(List<Store.Prepared> writes) throws RocksDBException {
    boolean synced = !writes.stream().allMatch(Store.Prepared::isEmpty);
    long start = System.nanoTime();
    state.storeForWrites().commit(writes);
    events.written(writes.size(), synced, System.nanoTime() - start);
  }

  /** The writer's durable write failed (on its thread): the loop stops taking work and fails what waits. */
  private void writeFailed(Throwable cause) {
    failure = cause;
    running = false;
  }

  /**
   * A durable write failed, or an invariant broke while the batch ran: memory may now be ahead of disk, or half
   * changed, so the node must not answer or write anything more. Nothing of this batch was written. Fail every waiting
   * caller and stop; a restart recovers from what is on disk.
   */
  private void fail(Throwable cause, List<Task> unanswered) {
    String what = cause instanceof RocksDBException
        ? "a durable write failed (" + cause.getMessage() + ")"
        : "an invariant broke (" + cause + ")";
    log.log(Level.SEVERE, "bank loop stopped: " + what + "; nothing of the batch in hand was written; the node "
        + "recovers from its store when restarted (by itself once a full disk has room)", cause);
    failure = cause;
    running = false;
    var error = new Stopped("the bank node failed and is stopping: " + what, cause);
    afterCommit.clear();
    state.takeAllWaiting().forEach(f -> f.completeExceptionally(error));
    unanswered.forEach(t -> failCaller(t, error));
    Task task;
    while ((task = tasks.poll()) != null) {
      failCaller(task, error);
    }
  }

  private static void failCaller(Task task, Throwable error) {
    if (task.caller() != null) {
      task.caller().completeExceptionally(error);
    }
  }

  /** Runs the queued tasks, writes them, and stops the thread. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(TimeUnit.SECONDS.toMillis(30));
    writer.close();
  }
}
