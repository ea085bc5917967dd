package dev.distribank.node.core.order;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The two SHA-256s over canonical text that every cross-bank transfer computes, one transfer each: the request
 * fingerprint (a coordinator takes it to tell a retry from a reuse of its request id) and the vote digest (what a
 * YES signs; the voter, the coordinator and every bank paid compute it).
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {ForkedHeap.MIN, ForkedHeap.MAX, ForkedHeap.PRE_TOUCH})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class DigestBenchmark {
  private TwoBanks.Submission transfer;
  private Message.Propose proposal;

  @Setup(Level.Trial)
  public void transfer() {
    var banks = new TwoBanks();
    transfer = banks.nextTransfers(1).get(0);
    proposal = (Message.Propose) banks.run(banks.nextTransfers(1)).alphaSteps().get(0).sent().get(0).message();
  }

  @Benchmark
  public RequestFingerprint requestFingerprint() {
    return RequestFingerprint.of(transfer.principal(), transfer.legs());
  }

  @Benchmark
  public byte[] voteDigest() {
    return Votes.digest(proposal, "alpha");
  }
}
