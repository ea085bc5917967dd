package dev.distribank.cli.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a load run has seen so far, safe to update from every client thread at once: counts of outcomes by reason,
 * and the latency of committed transactions in an HdrHistogram {@link Recorder}.
 *
 * <p>Outcomes fall in three families. <em>Committed</em>: a receipt came back. <em>Refused</em>: the bank answered with
 * a reason ({@code google.rpc.ErrorInfo}), so the transaction is known to have changed nothing (INSUFFICIENT_FUNDS,
 * BANK_UNAVAILABLE, TIMED_OUT, ...). <em>Errors</em>: no reason came back (a deadline, a lost connection), so the
 * outcome is unknown even after the retries; such a transaction is never counted as acknowledged, and is counted
 * under its gRPC status code (DEADLINE_EXCEEDED, UNAVAILABLE).
 *
 * <p>It also keeps a timeline: how many transactions committed in each second of the run, so that a chaos script can
 * tell whether transfers kept committing while a bank was down.
 *
 * <p>Only the progress thread and the final report read the recorder, through {@link #intervalP99Micros()} and
 * {@link #total()}; both are synchronized, since draining a {@link Recorder} is single-reader.
 */
final class LoadStats {
  /** The reason counted for a transaction that committed. */
  static final String COMMITTED = "COMMITTED";

  // Up to ten minutes in microseconds with 3 significant digits: a latency past that is clamped, not lost.
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
  private static final int SIGNIFICANT_DIGITS = 3;

  private final Recorder recorder = new Recorder(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  private final Histogram total = new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  private Histogram recycled;

  private final LongAdder committed = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

  private final long startNanos;
  private final long startedAtEpochMillis;
  private final AtomicLongArray committedPerSecond;
  private volatile long elapsedNanos = -1;

  /**
   * Starts the run's clock now.
   *
   * @param timelineSeconds how many seconds the timeline covers; commits after that count in its last second
   */
  LoadStats(int timelineSeconds) {
    this.startNanos = System.nanoTime();
    this.startedAtEpochMillis = System.currentTimeMillis();
    this.committedPerSecond = new AtomicLongArray(Math.max(1, timelineSeconds));
  }

  /**
   * A transaction committed {@code nanos} after it was first sent, retries included; in the open loop, after its call
   * was scheduled to be sent.
   */
  void committed(long nanos) {
    long second = (System.nanoTime() - startNanos) / 1_000_000_000L;
    committedPerSecond.incrementAndGet((int) Math.min(committedPerSecond.length() - 1, Math.max(0, second)));
    committed.increment();
    count(COMMITTED);
    recorder.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos))));
  }

  /** The bank refused a transaction, saying why; nothing was applied. */
  void refused(String reason) {
    refused.increment();
    count(reason);
  }

  /** A transaction's outcome stayed unknown: {@code reason} is the gRPC status code of the last attempt. */
  void error(String reason) {
    errors.increment();
    count(reason);
  }

  /** An attempt was repeated with the same request id. */
  void retried() {
    retries.increment();
  }

  /** The run is over: the last client has its last answer. */
  void stopped() {
    elapsedNanos = System.nanoTime() - startNanos;
  }

  long startNanos() {
    return startNanos;
  }

  /** When the run started, on the wall clock, to line the timeline up with events outside this process. */
  long startedAtEpochMillis() {
    return startedAtEpochMillis;
  }

  /** From the start to {@link #stopped()}, or to now while the run goes on. */
  long elapsedNanos() {
    long elapsed = elapsedNanos;
    return elapsed >= 0 ? elapsed : System.nanoTime() - startNanos;
  }

  /** Transactions committed in each whole second of the run, from its start to its end. */
  List<Long> timeline() {
    int seconds = (int) Math.min(committedPerSecond.length(), (elapsedNanos() + 999_999_999L) / 1_000_000_000L);
    var out = new ArrayList<Long>(seconds);
    for (int i = 0; i < seconds; i++) {
      out.add(committedPerSecond.get(i));
    }
    return out;
  }

  long committed() {
    return committed.sum();
  }

  long refused() {
    return refused.sum();
  }

  long errors() {
    return errors.sum();
  }

  long retries() {
    return retries.sum();
  }

  /** Every transaction that got a final answer or gave up. */
  long finished() {
    return committed() + refused() + errors();
  }

  /** Counts by reason in name order, {@link #COMMITTED} among them. */
  Map<String, Long> outcomes() {
    var sorted = new TreeMap<String, Long>();
    outcomes.forEach((reason, n) -> sorted.put(reason, n.sum()));
    return sorted;
  }

  /**
   * The p99 latency in microseconds of the transactions committed since the previous call, or -1 if none; the
   * interval's latencies join the run's total.
   */
  synchronized long intervalP99Micros() {
    drain();
    return recycled.getTotalCount() == 0 ? -1 : recycled.getValueAtPercentile(99);
  }

  /** A copy of every latency recorded in the run so far. */
  synchronized Histogram total() {
    drain();
    return total.copy();
  }

  private void drain() {
    recycled = recorder.getIntervalHistogram(recycled);
    total.add(recycled);
  }

  private void count(String reason) {
    outcomes.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }
}
