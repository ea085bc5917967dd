package dev.distribank.cli.load;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The open loop of {@code load --rate}: calls (transfers, or batches) go out on a fixed schedule, R a second from the
 * run's start, whether or not the banks keep up, each handed to whichever client is free.
 *
 * <p>Each call's latency counts from its <em>scheduled</em> time, not from when it went out. A closed loop, where a
 * client sends its next call only when the last is answered, hides a stall: while the banks stand still it sends
 * nothing, so the calls a real user would have made during the stall are never measured ("coordinated omission"). Here
 * the schedule does not wait, and a call that could not go out on time (every client busy, or the pacer itself
 * behind) still counts from the time it was due, so a stall of X ms shows in the latency of every call due during it.
 *
 * <p>The clients bound the calls in flight. A call due when none is free waits for one (and counts as waited); one
 * sent {@link #LATE_NANOS} or more after its time counts as late, whether it waited for a client or the pacer itself
 * was behind (a busy machine). The schedule ends at the run's deadline (or after {@code --transactions}):
 * calls due before it that found no free client by then are not sent, and count as shed.
 */
final class OpenLoop {
  /** A call that goes out this long after its scheduled time or later counts as late. */
  static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** The deadline of a wait that has none: at the end, each client comes back once its call is answered. */
  static final long FOREVER = Long.MAX_VALUE;
  /** The highest --rate accepted: one call a microsecond (a rate of calls, a double like --rate; never money). */
  static final double MAX_RATE_PER_SECOND = 1_000_000;

  /** The pacer's time: {@link System#nanoTime()} in a run, a fake one that jumps in a test. */
  interface Clock {
    Clock SYSTEM = new Clock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleepUntil(long nanos) throws InterruptedException {
        for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
          LockSupport.parkNanos(left);
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
        }
      }
    };

    long nanoTime();

    /** Returns at {@code nanos} or soon after; at once if that has passed. */
    void sleepUntil(long nanos) throws InterruptedException;
  }

  /** A client that takes one call at a time. */
  interface Slot {
    /** Sends a call of {@code transfers} transfers whose latency counts from {@code scheduledNanos}; never blocks. */
    void send(int transfers, long scheduledNanos);
  }

  /** The clients that are free. */
  interface Slots {
    /**
     * A free client, waiting for one until {@code deadlineNanos} at most ({@link #FOREVER}: no deadline); null if none
     * came free by then.
     */
    Slot take(long deadlineNanos) throws InterruptedException;
  }

  /**
   * What the schedule did, in calls (a call is one transfer, or one batch with --batch-size).
   *
   * @param answered calls that got their answer, whatever it said
   * @param waited calls that found every client busy and waited for one
   */
  record Summary(double offeredPerSecond, long scheduled, long sent, long answered, long late, long waited,
      long shed) {
    /** Calls answered per second of a run that lasted {@code elapsedNanos}. */
    double achievedPerSecond(long elapsedNanos) {
      return elapsedNanos <= 0 ? 0 : answered * 1e9 / elapsedNanos;
    }
  }

  private final double ratePerSecond;
  private final double nanosPerCall;
  private final long startNanos;
  private final long endNanos;
  private final long transactions;
  private final int batchSize;
  private final int clients;
  private final long scheduled;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong waited = new AtomicLong();
  private final LongAdder answered = new LongAdder();
  private volatile boolean stopping;
  private volatile Thread pacer;

  /**
   * @param transactions how many transfers to send in all, or 0 for as many calls as are due before the deadline
   * @param clients how many clients there are: the most calls in flight at once
   */
  OpenLoop(double ratePerSecond, long startNanos, long durationNanos, long transactions, int batchSize,
      int clients) {
    checkArgument(ratePerSecond > 0 && ratePerSecond <= MAX_RATE_PER_SECOND, "rate %s", ratePerSecond);
    checkArgument(durationNanos > 0 && transactions >= 0 && batchSize >= 1 && clients >= 1, "bad schedule");
    this.ratePerSecond = ratePerSecond;
    // Not money: a period in nanoseconds, as a double so that a rate such as 3 a second keeps its exact pace.
    this.nanosPerCall = 1e9 / ratePerSecond;
    this.startNanos = startNanos;
    this.endNanos = startNanos + durationNanos;
    this.transactions = transactions;
    this.batchSize = batchSize;
    this.clients = clients;
    long due = (long) Math.ceil(durationNanos / nanosPerCall);
    while (due > 0 && offsetNanos(due - 1) >= durationNanos) {
      due--;
    }
    while (offsetNanos(due) < durationNanos) {
      due++;
    }
    this.scheduled = transactions == 0 ? due : Math.min(due, (transactions + batchSize - 1) / batchSize);
  }

  /** How many calls the schedule holds: those due before the deadline, at most what --transactions allows. */
  long scheduled() {
    return scheduled;
  }

  /** When call {@code call} (from 0) is due: the start plus {@code call} periods. */
  long scheduledNanos(long call) {
    return startNanos + offsetNanos(call);
  }

  /** How many transfers call {@code call} carries: the batch size, or what --transactions leaves for the last one. */
  int transfersOf(long call) {
    return transactions == 0 ? batchSize : (int) Math.min(batchSize, transactions - call * batchSize);
  }

  /** A client's call got its answer; counted for the achieved rate. */
  void answered() {
    answered.increment();
  }

  /**
   * Runs the schedule on a thread of its own, "load-pacer". The future completes once every call due was sent (or
   * shed) and every client is back, that is every call was answered; or after {@link #stop()}.
   */
  CompletableFuture<Void> start(Clock clock, Slots slots) {
    var finished = new CompletableFuture<Void>();
    Thread thread = new Thread(() -> {
      try {
        run(clock, slots);
        finished.complete(null);
      } catch (InterruptedException stopped) {
        finished.complete(null);
      } catch (RuntimeException | Error bug) {
        finished.completeExceptionally(bug);
      }
    }, "load-pacer");
    thread.setDaemon(true);
    pacer = thread;
    thread.start();
    return finished;
  }

  /** Sends nothing more, and stops waiting for the clients: the run is out of time. Calls not sent count as shed. */
  void stop() {
    stopping = true;
    Thread thread = pacer;
    if (thread != null) {
      thread.interrupt();
    }
  }

  /**
   * The schedule, on the caller's thread: each call at its time, to a free client, until the last is sent or shed;
   * then waits for every client to come back. A stall of the banks delays the calls, never the times they are due at.
   */
  void run(Clock clock, Slots slots) throws InterruptedException {
    for (long call = 0; call < scheduled && !stopping; call++) {
      long due = scheduledNanos(call);
      clock.sleepUntil(due);
      Slot slot = slots.take(clock.nanoTime());
      if (slot == null) {
        waited.incrementAndGet();
        slot = slots.take(endNanos);
        if (slot == null) {
          break;
        }
      }
      if (clock.nanoTime() - due >= LATE_NANOS) {
        late.incrementAndGet();
      }
      sent.incrementAndGet();
      slot.send(transfersOf(call), due);
    }
    for (int i = 0; i < clients && !stopping; i++) {
      slots.take(FOREVER);
    }
  }

  /** What the schedule did so far; once {@link #run} returned, what it did. */
  Summary summary() {
    long sentCalls = sent.get();
    return new Summary(ratePerSecond, scheduled, sentCalls, answered.sum(), late.get(), waited.get(),
        scheduled - sentCalls);
  }

  private long offsetNanos(long call) {
    return (long) (call * nanosPerCall);
  }
}
