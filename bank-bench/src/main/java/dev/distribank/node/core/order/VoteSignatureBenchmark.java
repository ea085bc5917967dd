package dev.distribank.node.core.order;

import dev.distribank.bench.ScratchDirectory;
import dev.distribank.node.tls.NodeTls;
import dev.distribank.node.tls.TlsFiles;
import dev.distribank.pki.Consortium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * YES-vote signatures with the node's own signer (ECDSA P-256 with the bank certificate's key, checked against the
 * consortium CA, from a CA made as {@code bank-admin pki init} makes it): one vote signed alone against a batch of 100
 * sharing one signature over a Merkle root ({@link VoteBatch}). A score is one call; the {@code votes} row is per vote.
 *
 * <ul>
 *   <li>{@code signOne} / {@code signBatchOf100}: alpha signs one vote, or 100 at once.
 *   <li>{@code verifyOne} / {@code verifyBatchOf100}: beta checks a vote it has not seen (a fresh signature each
 *       time), or all 100 of a fresh batch: one ECDSA check for the root, then a Merkle path per vote and the
 *       remembered check.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {ForkedHeap.MIN, ForkedHeap.MAX, ForkedHeap.PRE_TOUCH})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VoteSignatureBenchmark {
  static final int BATCH = 100;

  /** Alpha's and beta's signers over a throw-away consortium CA, and 100 vote digests. */
  @State(Scope.Benchmark)
  public static class Signers {
    VoteSigner alpha;
    VoteSigner beta;
    List<byte[]> digests;
    private Path dir;
    private ScheduledExecutorService timers;
    private NodeTls alphaTls;
    private NodeTls betaTls;

    @Setup(Level.Trial)
    public void consortium() throws IOException {
      dir = Files.createTempDirectory("distribank-jmh-pki");
      Path pki = dir.resolve("pki");
      Consortium.init(pki, List.of("alpha", "beta"), Map.of(), Duration.ofDays(1));
      timers = Executors.newSingleThreadScheduledExecutor();
      alphaTls = new NodeTls("alpha", TwoBanks.MEMBERS, TlsFiles.inDirectory(pki, "alpha"), timers);
      betaTls = new NodeTls("beta", TwoBanks.MEMBERS, TlsFiles.inDirectory(pki, "beta"), timers);
      alpha = alphaTls.voteSigner();
      beta = betaTls.voteSigner();
      var random = new Random(42);
      digests = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        digests.add(digest);
      }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      alphaTls.close();
      betaTls.close();
      timers.shutdownNow();
      ScratchDirectory.delete(dir);
    }
  }

  /** A vote signed afresh before each call (ECDSA signatures are randomised), so beta has not checked it before. */
  @State(Scope.Thread)
  public static class FreshVote {
    VoteSignature vote;

    @Setup(Level.Invocation)
    public void sign(Signers s) {
      vote = VoteBatch.sign(s.alpha, List.of(s.digests.get(0))).get(0);
    }
  }

  /** A batch signed afresh before each call. */
  @State(Scope.Thread)
  public static class FreshBatch {
    List<VoteSignature> votes;

    @Setup(Level.Invocation)
    public void sign(Signers s) {
      votes = VoteBatch.sign(s.alpha, s.digests);
    }
  }

  /** Counts votes, so the time per vote is reported beside the time per call. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class VoteCount {
    public long votes;

    @Setup(Level.Iteration)
    public void reset() {
      votes = 0;
    }
  }

  @Benchmark
  public List<VoteSignature> signOne(Signers s, VoteCount counted) {
    counted.votes++;
    return VoteBatch.sign(s.alpha, List.of(s.digests.get(0)));
  }

  @Benchmark
  public List<VoteSignature> signBatchOf100(Signers s, VoteCount counted) {
    counted.votes += BATCH;
    return VoteBatch.sign(s.alpha, s.digests);
  }

  @Benchmark
  public boolean verifyOne(Signers s, FreshVote fresh, VoteCount counted) {
    counted.votes++;
    return checked(VoteBatch.verify(s.beta, "alpha", s.digests.get(0), fresh.vote));
  }

  @Benchmark
  public boolean verifyBatchOf100(Signers s, FreshBatch fresh, VoteCount counted) {
    boolean all = true;
    for (int i = 0; i < BATCH; i++) {
      all &= VoteBatch.verify(s.beta, "alpha", s.digests.get(i), fresh.votes.get(i));
    }
    counted.votes += BATCH;
    return checked(all);
  }

  private static boolean checked(boolean valid) {
    if (!valid) {
      throw new IllegalStateException("beta refused alpha's vote signature");
    }
    return true;
  }
}
