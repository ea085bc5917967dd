package dev.distribank.node.core.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.order.SimulationFault;
import dev.distribank.node.core.order.SimulationSummary;
import dev.distribank.node.testing.Cpfs;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The seeded simulated-cluster test of the ordering protocol (DESIGN §4): many whole consortiums, each run in one
 * thread from one seed ({@link ClusterSimulation}), with messages delayed, reordered, duplicated and lost, banks cut
 * off for a while or crashed and restarted from their stores, clocks ticking at different speeds, clients retrying,
 * and audits taken mid-flight; checking I1–I4, I6, the audit cut, that every request is answered (unless its
 * coordinator crashed first) and that nothing stays held (I7). A failure prints its seed, the command that replays
 * exactly that run, and the run's last events.
 *
 * <p>{@code -Dsim.seed=N} runs only seed N; {@code -Dsim.seeds=N} runs seeds 1..N (default {@value #DEFAULT_SEEDS});
 * audits reach banks that restarted after their cut, which must refuse them ({@code -Dsim.auditsAcrossRestarts=false}
 * abandons such requests instead; see {@link SimulatedAuditor}).
 */
class SimulatedClusterTest {
  private static final long DEFAULT_SEEDS = 1_000;
  /** Enough failing seeds to see a pattern, without waiting for every seed of a long run to fail. */
  private static final int MAX_FAILURES_REPORTED = 5;

  @Test
  void randomRuns_anySeed_keepEveryInvariant() {
    String only = System.getProperty("sim.seed", "").strip();
    if (!only.isEmpty()) {
      SimulationSummary s = new ClusterSimulation(Long.parseLong(only), SimulationFault.NONE).run();
      System.out.println("sim: seed " + only + " passed: " + s);
      return;
    }
    long seeds = Long.getLong("sim.seeds", DEFAULT_SEEDS);
    long started = System.nanoTime();
    var failures = new ArrayList<Long>();
    AssertionError first = null;
    long steps = 0;
    long transactions = 0;
    long early = 0;
    long crashesAfterEarly = 0;
    long batches = 0;
    long settledByPeers = 0;
    for (long seed = 1; seed <= seeds && failures.size() < MAX_FAILURES_REPORTED; seed++) {
      try {
        SimulationSummary s = new ClusterSimulation(seed, SimulationFault.NONE).run();
        steps += s.steps();
        transactions += s.transactions();
        early += s.early();
        crashesAfterEarly += s.crashesAfterEarly();
        batches += s.batches();
        settledByPeers += s.settledByPeers();
      } catch (AssertionError e) {
        failures.add(seed);
        first = first == null ? e : first;
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    if (first != null) {
      throw new AssertionError("simulation failed for seeds " + failures + (failures.size() == MAX_FAILURES_REPORTED
          ? " (stopped looking)" : "") + "; the first:\n" + first.getMessage(), first.getCause());
    }
    System.out.printf("sim: %d seeds passed in %d ms (%d steps, %d transactions, %d batches, %d messages and answers "
        + "sent early, %d crashes between those and their write, %d in-doubt votes settled on another participant's"
        + " word)%n", seeds, millis, steps, transactions, batches, early, crashesAfterEarly, settledByPeers);
    if (seeds >= 100) {
      // The runs must exercise what leaves before its write, and crashes in that window, or they prove nothing of it.
      assertTrue(early > 0 && crashesAfterEarly > 0 && batches > 0,
          "no early message, no crash right after one, or no batch");
      // And the banks that stay down must leave votes for cooperative termination to settle.
      assertTrue(settledByPeers > 0, "no in-doubt vote was settled on another participant's word");
    }
  }

  /** The checks bite: a COMMIT decision lost on the way to one bank is reported, with the seed to replay it. */
  @Test
  void lostCommitDecision_anySeedWithRemoteCommit_isCaughtAsAtomicityFailure() {
    int caught = 0;
    for (long seed = 1; seed <= 8; seed++) {
      SimulationSummary passed = null;
      String report = null;
      try {
        passed = new ClusterSimulation(seed, SimulationFault.LOSE_ONE_COMMIT_DECIDE).run();
      } catch (AssertionError e) {
        report = e.getMessage();
      }
      if (passed != null) {
        assertTrue(!passed.faultInjected(), "seed " + seed + " lost a COMMIT decision and no check noticed: " + passed);
        continue;
      }
      assertTrue(report.contains("I3") && report.contains("-Dsim.seed=" + seed), report);
      caught++;
    }
    // Single-bank seeds decide in-process, with nothing to lose; most seeds have several banks.
    assertTrue(caught >= 4, "only " + caught + " of 8 seeds had a remote COMMIT decision to lose");
  }


  /** The same seed is the same run: what makes a printed seed worth replaying. */
  @Test
  void sameSeed_runTwice_sameRun() {
    for (long seed : List.of(7L, 42L, 1234L)) {
      SimulationSummary a = new ClusterSimulation(seed, SimulationFault.NONE).run();
      SimulationSummary b = new ClusterSimulation(seed, SimulationFault.NONE).run();
      if (!a.equals(b)) {
        fail("seed " + seed + " ran differently twice: " + a + " then " + b);
      }
    }
  }

  /**
   * The first bug this simulation found (seed 2, and most seeds then): a committed transaction waiting behind an
   * undecided one was applied only when some later COMMIT reached that bank, never when the one ahead ABORTED; with
   * no later commit it waited for ever, holding its funds, its client never answered. The scenario, step by step.
   */
  @Test
  void committedBehindUndecided_whenTheOneAheadAborts_isApplied() {
    var members = Set.of("alpha", "bravo");
    var alphaBank = new Bank("alpha");
    var bravoBank = new Bank("bravo");
    String cpf = Cpfs.cpf(123_456_789);
    alphaBank.createCustomer("Ana Silva", CustomerKind.INDIVIDUAL, cpf, "ana", "hash");
    bravoBank.createCustomer("Ana Silva", CustomerKind.INDIVIDUAL, cpf, "ana", "hash");
    AccountId atAlpha = alphaBank.openAccount("ana", AccountKind.INDIVIDUAL).id();
    AccountId atBravo = bravoBank.openAccount("ana", AccountKind.INDIVIDUAL).id();
    var alpha = new OrderCore("alpha", members, alphaBank, History.NONE, new SimulatedSigner("alpha"));
    var bravo = new OrderCore("bravo", members, bravoBank, History.NONE, new SimulatedSigner("bravo"));
    Principal ana = alphaBank.principal("ana");

    // U: alpha must refuse (nothing to withdraw); bravo holds U's credit, proposed at 1@bravo.
    alpha.submit(1, ana, List.of(Leg.withdrawal(atAlpha, 500), Leg.deposit(atBravo, 100)), "u");
    Envelope proposeU = only(alpha.ready().sent());
    // T: two deposits, proposed at bravo after U, at 2@bravo.
    alpha.submit(2, ana, List.of(Leg.deposit(atAlpha, 200), Leg.deposit(atBravo, 300)), "t");
    Envelope proposeT = only(alpha.ready().sent());
    bravo.receive(proposeU);
    Envelope ackU = only(bravo.ready().sent());
    bravo.receive(proposeT);
    Envelope ackT = only(bravo.ready().sent());

    alpha.receive(ackT); // T commits at 2@bravo (alpha applies its half at once)
    bravo.receive(only(alpha.ready().sent()));
    assertEquals(List.of(), bravo.ready().sent(), "T must wait: U, still undecided, is ahead of it");

    alpha.receive(ackU); // U aborts: alpha voted NO
    Ready aborted = alpha.ready();
    assertInstanceOf(Outcome.Aborted.class, aborted.answers().get(0).outcome());
    bravo.receive(only(aborted.sent()));

    List<Envelope> applied = bravo.ready().sent();
    assertEquals(300, bravoBank.account(atBravo, "account").balanceCents(), "T applied at bravo once U aborted");
    assertEquals(0, bravo.pendingVotes());
    assertEquals(2, applied.size(), "bravo confirms U's abort and T's application: " + applied);
    applied.forEach(alpha::receive);
    Ready answered = alpha.ready();
    assertEquals(2, answered.answers().get(0).tag());
    assertInstanceOf(Outcome.Committed.class, answered.answers().get(0).outcome());
    assertEquals(0, alpha.activeCoordinations());
  }

  private static Envelope only(List<Envelope> envelopes) {
    assertEquals(1, envelopes.size(), "expected exactly one message: " + envelopes);
    return envelopes.get(0);
  }
}
