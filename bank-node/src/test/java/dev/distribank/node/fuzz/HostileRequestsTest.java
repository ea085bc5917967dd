package dev.distribank.node.fuzz;

import static dev.distribank.node.fuzz.Scenario.ALPHA;
import static dev.distribank.node.fuzz.Scenario.BETA;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.fuzz.RawCalls.Answer;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.node.testing.LogWatch;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded generator of malformed and hostile requests against two real bank nodes (gRPC servers on loopback ports,
 * RocksDB directories): garbage bytes to every unary method, and well-formed requests that a stranger, a CPF impostor,
 * the consent's grantee, the victim herself, nobody and forged tokens must all have refused ({@link Scenario}). Every
 * answer must follow {@link AnswerRules}. Afterwards both nodes still serve, the audit is balanced with the same
 * totals, the victim's accounts, statements, PIX keys and consent are exactly as they were, the others still own
 * nothing, and the log stayed small: a few rate-limited WARNING lines, none with a stack trace.
 *
 * <p>Request i is generated from {@code new Random(seed * 1_000_003 + i)}, so a run replays whatever order its
 * threads send in. {@code -Dfuzz.seed=S} replays a run (otherwise a fresh seed, printed); {@code -Dfuzz.requests=N}
 * sends N (default {@value #DEFAULT_REQUESTS}; {@code make fuzz REQUESTS=1000000}); {@code -Dfuzz.only=i,j} sends
 * only those requests of the seed's run. After the mix, {@value #BURST} well-formed sign-ups arrive at once, more
 * than the password-hashing queue holds.
 */
class HostileRequestsTest {
  static final long DEFAULT_REQUESTS = 10_000;
  static final int THREADS = 4;
  static final int BURST = 256;
  static final int FINDINGS_SHOWN = 25;
  /** The server rate-limits each kind of warning to about 20 a minute; this leaves room for a few kinds. */
  static final int WARNINGS_ALLOWED = 200;
  static final int WARNINGS_ALLOWED_PER_MINUTE = 100;

  @TempDir Path dir;

  @Test
  void hostileRequests_seededMix_refusedByTheRulesAndNothingChanges() throws Exception {
    long seed = Long.getLong("fuzz.seed", new SecureRandom().nextInt(Integer.MAX_VALUE));
    long requests = Long.getLong("fuzz.requests", DEFAULT_REQUESTS);
    String only = System.getProperty("fuzz.only", "").strip();
    List<Long> indices = only.isEmpty() ? null : Arrays.stream(only.split(",")).map(String::strip)
        .map(Long::parseLong).toList();
    String replay = "replay: make fuzz SEED=" + seed + " REQUESTS=" + requests + "  (or mvn -pl bank-node -am test "
        + "-Dtest=HostileRequestsTest -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.seed=" + seed
        + " -Dfuzz.requests=" + requests + "; add -Dfuzz.only=<i,j> to send only those requests)";
    System.out.println("fuzz: seed " + seed + ", " + (indices == null ? requests + " requests" : "requests " + indices)
        + ", " + THREADS + " threads");
    try (var cluster = new LocalCluster(dir, List.of(ALPHA, BETA))) {
      var scenario = Scenario.setUp(cluster);
      Scenario.Ledger before = scenario.read(cluster);
      var mix = new Mix(scenario);
      var tally = new Tally();
      long started = System.nanoTime();
      try (var log = LogWatch.attach()) {
        if (indices == null) {
          send(cluster, mix, seed, requests, i -> i, tally);
          burst(cluster, mix, seed, requests, tally);
        } else {
          send(cluster, mix, seed, indices.size(), i -> indices.get((int) i), tally);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println(tally.summary(seed, millis));
        System.out.println(tally.categories());
        int warningsAllowed = WARNINGS_ALLOWED + (int) (WARNINGS_ALLOWED_PER_MINUTE * millis / 60_000);
        assertAll("hostile requests, seed " + seed + "\n" + replay,
            () -> assertEquals(ServingStatus.SERVING, Scenario.health(cluster, ALPHA), "alpha stopped serving"),
            () -> assertEquals(ServingStatus.SERVING, Scenario.health(cluster, BETA), "beta stopped serving"),
            () -> assertTrue(tally.clean(), () -> tally.report(FINDINGS_SHOWN)),
            () -> unchanged(before, scenario.read(cluster)),
            () -> assertTrue(log.warnings() < warningsAllowed, () -> log.warnings() + " log records at WARNING or "
                + "above in " + millis + " ms, at most " + warningsAllowed + " expected; the first: " + log.first()),
            () -> assertEquals(0, log.thrown(), () -> "log records with a stack trace: " + log.withThrown()));
      }
    }
  }

  /** Request i of a run: garbage 35 %, money movement 30 %, accounts, keys and consents 20 %, the rest 15 %. */
  private static final class Mix {
    private final GarbageRequests garbage;
    private final HostileMoves moves;
    private final HostileAccountCalls accounts;
    private final HostileSignIns signIns;

    Mix(Scenario s) {
      this.garbage = new GarbageRequests(List.of(s.account, s.joint, "alpha:pix:" + Scenario.PIX_KEY, "vera", "sam",
          "beta:vitor", "not the password", "alpha:99999", "zeta:1001", "", "Vera Lúcia"));
      this.moves = new HostileMoves(s);
      this.accounts = new HostileAccountCalls(s);
      this.signIns = new HostileSignIns(s, garbage);
    }

    Attempt attempt(long seed, long index) {
      var r = new Random(seed * 1_000_003 + index);
      int roll = r.nextInt(100);
      return roll < 35 ? garbage.next(r) : roll < 65 ? moves.next(r) : roll < 85 ? accounts.next(r)
          : signIns.next(r);
    }
  }

  /**
   * Sends requests 0..count-1 (through {@code indexAt}) from {@value #THREADS} threads, checking each answer. Each
   * thread has its own connection to each bank, so that a call which breaks its connection fails alone.
   */
  private static void send(LocalCluster cluster, Mix mix, long seed, long count, LongUnaryOperator indexAt,
      Tally tally) throws Exception {
    var next = new AtomicLong();
    Callable<Void> worker = () -> {
      Map<String, ManagedChannel> channels = Map.of(ALPHA, connect(cluster, ALPHA), BETA, connect(cluster, BETA));
      try {
        for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          long index = indexAt.applyAsLong(i);
          Attempt attempt = mix.attempt(seed, index);
          Answer answer = RawCalls.call(channels.get(attempt.bank()), attempt.method(), attempt.caller().token(),
              attempt.body());
          tally.record(index, attempt, answer, AnswerRules.check(attempt, answer));
        }
      } finally {
        channels.values().forEach(ManagedChannel::shutdownNow);
      }
      return null;
    };
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (Future<Void> f : pool.invokeAll(java.util.Collections.nCopies(THREADS, worker))) {
        f.get(); // a generator or client that threw fails the test here, with its stack trace
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static ManagedChannel connect(LocalCluster cluster, String bank) {
    return io.grpc.Grpc.newChannelBuilder(cluster.at(bank).channel().authority(),
        dev.distribank.node.testing.Clients.tls(cluster.pki().resolve("ca.pem"))).build();
  }

  /** {@value #BURST} well-formed sign-ups sent at once, numbered after the mix's requests. */
  private static void burst(LocalCluster cluster, Mix mix, long seed, long first, Tally tally) throws Exception {
    var sent = new ArrayList<Map.Entry<Attempt, CompletableFuture<Answer>>>();
    for (int j = 0; j < BURST; j++) {
      Attempt attempt = mix.signIns.takenSignUp(new Random(seed * 1_000_003 + first + j), ALPHA);
      sent.add(Map.entry(attempt, RawCalls.callAsync(cluster.at(ALPHA).channel(), attempt.method(), "",
          attempt.body())));
    }
    for (int j = 0; j < BURST; j++) {
      Attempt attempt = sent.get(j).getKey();
      Answer answer = sent.get(j).getValue().get(RawCalls.DEADLINE_MILLIS + 5_000, TimeUnit.MILLISECONDS);
      tally.record(first + j, attempt, answer, AnswerRules.check(attempt, answer));
    }
  }

  private static void unchanged(Scenario.Ledger before, Scenario.Ledger after) {
    assertAll("what hostile requests must leave as it was",
        () -> assertTrue(after.audit().getBalanced() && after.audit().getNoNegativeBalance(),
            () -> "the audit is no longer balanced: " + after.audit()),
        () -> assertEquals(before.audit(), after.audit(), "the audit's totals changed"),
        () -> assertEquals(before.victimAccounts(), after.victimAccounts(), "the victim's accounts changed"),
        () -> assertEquals(counts(before.statements()), counts(after.statements()),
            "the victim's statements have other entry counts"),
        () -> assertEquals(before.statements(), after.statements(), "the victim's statements changed"),
        () -> assertEquals(before.consents(), after.consents(), "the consent changed (used, reserved or state)"),
        () -> assertEquals(before.pixKeys(), after.pixKeys(), "the victim's PIX keys changed"),
        () -> assertEquals(before.othersOwn(), after.othersOwn(), "someone else now owns an account"));
  }

  private static Map<String, Integer> counts(Map<String, ? extends List<?>> statements) {
    var out = new java.util.TreeMap<String, Integer>();
    statements.forEach((account, entries) -> out.put(account, entries.size()));
    return out;
  }
}
