package dev.distribank.node.core.order;

import dev.distribank.bench.Transfers;
import dev.distribank.node.core.ledger.Reservation;
import dev.distribank.node.core.ledger.Stamp;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The participant's delivery queue with a batch pending: a committed transaction waits there, by final timestamp,
 * while an undecided one with a smaller timestamp might still commit below it. A score is one batch; the
 * {@code transfers} row is per transfer.
 *
 * <ul>
 *   <li>{@code behindUndecidedHead}: beta votes on the batch, then every COMMIT but the first arrives — each re-queued
 *       by its final timestamp, none deliverable — and then the first, which delivers the whole batch at once. Through
 *       the core; compare with {@code ApplyBatchBenchmark.participant}, where each COMMIT is delivered as it comes.
 *   <li>{@code queueAlone}: only the queue's own work in that run — the sorted map of {@code Participant} keyed as it
 *       keys it (proposed timestamp, then final), its inserts, re-keys and the drain from the head — so its share.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {ForkedHeap.MIN, ForkedHeap.MAX, ForkedHeap.PRE_TOUCH})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DeliveryQueueBenchmark {

  /** Beta with a batch to vote on and the decisions for it, the first one held back to the end. */
  @State(Scope.Thread)
  public static class HeldBack {
    @Param({"100", "1000"})
    public int transfers;
    @Param(TwoBanks.HISTORY)
    public int history;
    Ready proposals;
    List<Envelope> decisions;
    OrderCore beta;
    private TwoBanks twins;

    @Setup(Level.Trial)
    public void banks() {
      twins = new TwoBanks();
      beta = new TwoBanks().beta;
      twins.fill(history, beta);
    }

    @Setup(Level.Invocation)
    public void nextBatch() {
      TwoBanks.Exchange exchange = twins.run(twins.nextTransfers(transfers));
      proposals = exchange.alphaSteps().get(0);
      var inOrder = exchange.alphaSteps().get(1).sent();
      decisions = new ArrayList<>(inOrder.subList(1, inOrder.size()));
      decisions.add(inOrder.get(0));
    }
  }

  /** The votes of a batch as the queue holds them: proposed timestamps in voting order, final ones above them. */
  @State(Scope.Thread)
  public static class QueuedVotes {
    @Param({"100", "1000"})
    public int transfers;
    List<PendingVote> votes;
    List<Stamp> finals;

    @Setup(Level.Trial)
    public void votes() {
      votes = new ArrayList<>(transfers);
      finals = new ArrayList<>(transfers);
      var none = new Reservation(List.of());
      for (int i = 0; i < transfers; i++) {
        votes.add(new PendingVote(null, new Stamp(1_000 + i, "beta"), none, null));
        finals.add(Stamp.max(new Stamp(1_000 + i, "alpha"), new Stamp(1_000 + i, "beta")));
      }
    }
  }

  @Benchmark
  public Ready behindUndecidedHead(HeldBack s, Transfers counted) {
    TwoBanks.deliver(s.proposals, s.beta);
    for (Envelope decision : s.decisions.subList(0, s.decisions.size() - 1)) {
      s.beta.receive(decision);
    }
    if (s.beta.pendingVotes() != s.transfers) {
      throw new IllegalStateException("beta delivered behind an undecided vote: " + s.beta.pendingVotes() + " left");
    }
    s.beta.receive(s.decisions.get(s.decisions.size() - 1));
    Ready applied = s.beta.ready();
    if (applied.sent().size() != s.transfers || s.beta.pendingVotes() != 0) {
      throw new IllegalStateException("beta confirmed " + applied.sent().size() + " of " + s.transfers);
    }
    counted.transfers += s.transfers;
    return applied;
  }

  /** The same sequence of queue operations as {@link #behindUndecidedHead}, on the map alone. */
  @Benchmark
  public int queueAlone(QueuedVotes s, Transfers counted) {
    var queue = new TreeMap<Stamp, PendingVote>();
    for (PendingVote vote : s.votes) {
      queue.put(vote.queueKey(), vote);
    }
    int n = s.votes.size();
    for (int i = 1; i <= n; i++) {
      PendingVote vote = s.votes.get(i % n); // the first one last
      queue.remove(vote.queueKey());
      PendingVote committed = vote.commit(s.finals.get(i % n));
      queue.put(committed.queueKey(), committed);
      while (!queue.isEmpty() && queue.firstEntry().getValue().committed()) {
        queue.pollFirstEntry();
      }
    }
    if (!queue.isEmpty()) {
      throw new IllegalStateException(queue.size() + " votes left in the queue");
    }
    counted.transfers += n;
    return n;
  }
}
