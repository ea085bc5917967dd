package dev.distribank.node.core.order;

import dev.distribank.bench.Transfers;
import java.util.List;
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
 * Applying a batch of cross-bank transfers in the pure core (ledger and ordering protocol, no I/O, a one-SHA-256
 * signer), on banks that have taken {@code history} transfers before: a score is one batch; the {@code transfers}
 * row is the same time per transfer.
 *
 * <ul>
 *   <li>{@code participant}: beta alone, the bank paid: votes on the batch's proposals (holds), then takes the
 *       COMMITs (each vote's proof checked: digest, Merkle path, signature) and applies them in timestamp order.
 *   <li>{@code bothBanks}: the whole protocol on both sides — alpha numbers, proposes, votes and holds, decides,
 *       applies its side and answers; beta as above — so the core's CPU per cross-bank transfer, all banks together.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {ForkedHeap.MIN, ForkedHeap.MAX, ForkedHeap.PRE_TOUCH})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ApplyBatchBenchmark {

  /** The participant measured, and a twin pair that makes what alpha sends it, in lockstep with it. */
  @State(Scope.Thread)
  public static class ParticipantBatch {
    @Param({"100", "1000"})
    public int transfers;
    @Param(TwoBanks.HISTORY)
    public int history;
    /** Alpha's proposals and decisions for beta, made by the twin pair. */
    Ready proposals;
    Ready decisions;
    OrderCore beta;
    private TwoBanks twins;

    @Setup(Level.Trial)
    public void banks() {
      twins = new TwoBanks();
      beta = new TwoBanks().beta;
      twins.fill(history, beta);
    }

    /** The twins run the next batch; the measured beta, in the state of the twins' beta before it, gets the same. */
    @Setup(Level.Invocation)
    public void nextBatch() {
      TwoBanks.Exchange exchange = twins.run(twins.nextTransfers(transfers));
      proposals = exchange.alphaSteps().get(0);
      decisions = exchange.alphaSteps().get(1);
    }
  }

  /** Both banks, and the next batch for them. */
  @State(Scope.Thread)
  public static class BothBanks {
    @Param({"100", "1000"})
    public int transfers;
    @Param(TwoBanks.HISTORY)
    public int history;
    TwoBanks banks;
    List<TwoBanks.Submission> batch;

    @Setup(Level.Trial)
    public void banks() {
      banks = new TwoBanks();
      banks.fill(history, null);
    }

    @Setup(Level.Invocation)
    public void nextBatch() {
      batch = banks.nextTransfers(transfers);
    }
  }

  @Benchmark
  public Ready participant(ParticipantBatch s, Transfers counted) {
    TwoBanks.deliver(s.proposals, s.beta);
    Ready applied = TwoBanks.deliver(s.decisions, s.beta);
    if (applied.sent().size() != s.transfers) {
      throw new IllegalStateException("beta confirmed " + applied.sent().size() + " of " + s.transfers);
    }
    counted.transfers += s.transfers;
    return applied;
  }

  @Benchmark
  public TwoBanks.Exchange bothBanks(BothBanks s, Transfers counted) {
    TwoBanks.Exchange exchange = s.banks.run(s.batch);
    counted.transfers += s.transfers;
    return exchange;
  }
}
