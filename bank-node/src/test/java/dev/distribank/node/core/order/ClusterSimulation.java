package dev.distribank.node.core.order;

import static dev.distribank.node.core.order.ClusterHistory.check;

import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.order.SimulatedWorkload.Submission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One seeded run of a whole consortium in one thread (the etcd-raft / TigerBeetle VOPR way): 1..7 banks, each an
 * {@link OrderCore} over its own {@link Bank} with a {@link SimulatedStore}, joined by a {@link SimulatedNetwork} that
 * delays, reorders, duplicates and loses messages and cuts banks off; time passes as ticks at each bank, at different
 * speeds; banks crash and restart from their stores; clients send random transactions (and retry those a crash left
 * unanswered); a {@link SimulatedAuditor} audits now and then. Every choice comes from one {@code Random(seed)}, so a
 * seed replays the same run exactly. I2 is checked after every step, I3/I4/I6 as each application happens, audits as
 * they answer, and everything (I1, I3, I4, I6, answers, liveness) once the consortium has settled.
 */
final class ClusterSimulation {

  /** One bank: its ledger and its protocol core. */
  record Node(String id, Bank bank, OrderCore core) {}

  private static final List<String> BANK_IDS =
      List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india");
  /** Settling may take this many times the steps the run took so far (plus a floor), or it is stuck. */
  private static final long SETTLE_FACTOR = 20;
  private static final long SETTLE_FLOOR = 20_000;

  private final long seed;
  private final Random random;
  private final SimulationFault fault;
  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<String, SimulatedStore> stores = new TreeMap<>();
  private final Set<String> members;
  private final List<String> ids;
  private final SimulatedNetwork network = new SimulatedNetwork();
  private final ClusterHistory history = new ClusterHistory();
  private final SimulationTrace trace = new SimulationTrace();
  private final SimulatedWorkload workload;
  private final SimulatedAuditor auditor = new SimulatedAuditor();
  /** Requests a crash left unanswered, which their clients will send again. */
  private final List<Submission> retries = new ArrayList<>();
  private final SimulationMix mix;
  /** How fast each bank's clock runs against the others' (1..8): timers drift, threads stall. */
  private final int[] tickWeights;
  private final int tickWeightTotal;
  private final SimulatedPartition partitions;
  private final StepRecorder recorder;
  private long partitionEndsAtStep;
  private long step;
  private long nextTag;
  private long delivered;
  private long duplicated;
  private int crashes;
  private int crashesAfterEarly;
  private int batches;
  private long early;
  private long settledByPeers;
  /** A bank is restarting: no second crash cuts its recovery short. */
  private boolean crashing;
  /**
   * The bank that crashed and stays down until the others have settled without it what they can (a coordinator that
   * never comes back, as far as they know), or null; {@link #deferred} holds its clients' requests meanwhile.
   */
  private String dead;
  private final List<Submission> deferred = new ArrayList<>();

  ClusterSimulation(long seed, SimulationFault fault) {
    this.seed = seed;
    this.random = new Random(seed);
    this.fault = fault;
    if (fault == SimulationFault.LOSE_ONE_COMMIT_DECIDE) {
      network.blackHoleOneCommit();
    }
    var shuffled = new ArrayList<>(BANK_IDS);
    Collections.shuffle(shuffled, random);
    members = new TreeSet<>(shuffled.subList(0, 1 + random.nextInt(7)));
    var banks = new TreeMap<String, Bank>();
    for (String id : members) {
      var bank = new Bank(id);
      var store = new SimulatedStore();
      banks.put(id, bank);
      stores.put(id, store);
      nodes.put(id, new Node(id, bank, new OrderCore(id, members, bank, store,
          new SimulatedSigner(id))));
    }
    ids = List.copyOf(members);
    partitions = new SimulatedPartition(network, ids, n -> collect(n, false), this::remember);
    recorder = new StepRecorder(history, network, auditor, nodes, ids, () -> step, this::remember);
    workload = new SimulatedWorkload(random, banks);
    for (Node n : nodes.values()) {
      stores.get(n.id()).write(n.core().ready());
    }
    mix = SimulationMix.draw(random, ids.size());
    tickWeights = ids.stream().mapToInt(id -> 1 + random.nextInt(8)).toArray();
    tickWeightTotal = Arrays.stream(tickWeights).sum();
  }

  /** Runs the whole simulation; throws an {@link AssertionError} naming the seed, the broken check and the trace. */
  SimulationSummary run() {
    try {
      fund();
      int budget = 30 + random.nextInt(400);
      // A bank that stays down, on every seed with others to settle without it; not while a fault is injected on
      // purpose (a black-holed COMMIT keeps its bank in doubt for good, which the end's checks must be the ones to find).
      int dieAt = ids.size() < 2 || fault != SimulationFault.NONE ? Integer.MAX_VALUE
          : budget * 2 / 3 + random.nextInt(budget / 3);
      for (int submitted = 0; submitted < budget; ) {
        if (dead == null && submitted >= dieAt) {
          dieAt = Integer.MAX_VALUE;
          die();
        } else if (network.isEmpty() || random.nextInt(100) < mix.submitPercent()) {
          if (random.nextInt(100) < 8) {
            submitted += submitBatch();
          } else {
            submit(retries.isEmpty() || random.nextBoolean() ? workload.next(++nextTag) : retry());
            submitted++;
          }
        } else if (dead == null && random.nextInt(100) < mix.auditPercent()) {
          audit();
        } else if (dead == null && auditor.hasUndelivered() && random.nextInt(4) == 0) {
          askForSnapshot();
        } else if (network.cutOff() == null && random.nextInt(1000) < mix.partitionPerMille()) {
          partition();
        } else if (random.nextInt(1000) < mix.crashPerMille()) {
          crash();
        } else {
          networkStep();
        }
      }
      if (dead != null) {
        settleWithoutTheDead();
      }
      heal();
      boolean settled = settle();
      new ClusterChecks(history, nodes, workload).checkAll();
      check(settled, "the consortium did not settle: %s messages in flight, %s, %s", network.size(), auditor,
          leftovers());
      return new SimulationSummary(nodes.size(), step, history.submissions.size(), history.decisions.size(),
          history.audits.size(), delivered, duplicated, network.lost(), crashes, crashesAfterEarly, early, batches,
          SimulationSummary.balancesDigest(nodes.values()),
          network.blackHoled(), settledByPeers);
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(failureReport(e), e);
    }
  }

  /**
   * No new requests, no more losses: deliver (and less often duplicate) until nothing is in flight, then let time
   * pass for re-sends, time-outs and inquiries, until nothing is voted, coordinated or waiting to be audited. Time
   * stands still while messages are in flight, so re-sends cannot outrun deliveries. Returns false if settling takes
   * implausibly long (a transaction stuck for good).
   */
  private boolean settle() {
    long limit = step * SETTLE_FACTOR + SETTLE_FLOOR;
    while (!retries.isEmpty()) {
      submit(retry());
    }
    while (auditor.hasUndelivered()) {
      askForSnapshot();
    }
    while (!network.isEmpty()) {
      deliver(random.nextInt(100) < mix.duplicatePercent() / 2);
    }
    // Nothing lost: every message arrived, so the protocol must have finished without a re-send or time-out.
    check(network.lost() > 0 || crashes > 0 || settled(),
        "with no message lost and no crash, the consortium stalled until time passed: %s", leftovers());
    while (!settled()) {
      if (step > limit) {
        return false;
      }
      if (network.isEmpty()) {
        tick();
      } else {
        deliver(random.nextInt(100) < mix.duplicatePercent() / 2);
      }
    }
    return true;
  }

  private boolean settled() {
    if (!network.isEmpty() || !auditor.idle()) {
      return false;
    }
    return nodes.values().stream()
        .allMatch(n -> n.core().pendingVotes() == 0 && n.core().activeCoordinations() == 0);
  }

  private String leftovers() {
    var out = new StringBuilder();
    nodes.values().forEach(n -> out.append(n.id()).append(": ").append(n.core().pendingVotes())
        .append(" pending votes, ").append(n.core().activeCoordinations()).append(" coordinations; "));
    return out.toString();
  }

  /** One bank's links go down for a while ({@link SimulatedPartition}). */
  private void partition() {
    step++;
    partitionEndsAtStep = partitions.cut(step, random, nodes.values());
  }

  private void heal() {
    partitions.heal(nodes.values());
  }

  /**
   * A bank crashes and stays down: the others' health watches see it go, its links are cut, its clients wait. What it
   * coordinated and had not decided, or decided and not told everyone, is now settled among its participants, or waits
   * for it only where two-phase commit must (DESIGN §5).
   */
  private void die() {
    step++;
    heal();
    dead = ids.get(random.nextInt(ids.size()));
    crashes++;
    remember("%s crashes and stays down until the others have settled what they can without it", dead);
    for (Submission lost : history.crashed(dead)) {
      if (!lost.requestId().isEmpty()) {
        retries.add(lost);
      }
    }
    auditor.abandon(dead);
    network.crashed(dead, random);
    network.cut(dead);
    partitionEndsAtStep = Long.MAX_VALUE;
    nodes.values().stream().filter(n -> !n.id().equals(dead)).forEach(n -> partitions.healthWatch(n, false));
  }

  /**
   * With the dead bank still down: deliver and let time pass at the others until no vote there waits on anything but
   * a coordinator that is down and peers as much in doubt ({@link OutageCheck}), then bring it back.
   */
  private void settleWithoutTheDead() {
    long limit = step + SETTLE_FLOOR * 10;
    String waiting = OutageCheck.unsettled(nodes, dead);
    while (waiting != null) {
      check(step <= limit, "a coordinator that never came back still blocks a participant: %s", waiting);
      if (network.isEmpty()) {
        tick();
      } else {
        deliver(random.nextInt(100) < mix.duplicatePercent() / 2);
      }
      if (step % 64 == 0 || network.isEmpty()) {
        waiting = OutageCheck.unsettled(nodes, dead);
      }
    }
    remember("%s is back: the others settled what they could without it", dead);
    Node restarted = stores.get(dead).recover(dead, members);
    nodes.put(dead, restarted);
    restarted.core().resume();
    collect(restarted, false);
    dead = null;
    heal();
    var waitingClients = List.copyOf(deferred);
    deferred.clear();
    waitingClients.forEach(this::submit);
  }

  /** One thing happens on the network or the clock: a tick, a message lost, duplicated or delivered. */
  private void networkStep() {
    if (network.cutOff() != null && step >= partitionEndsAtStep) {
      heal();
    }
    if (random.nextInt(1000) < (network.cutOff() == null ? mix.tickPerMille() : 500)) {
      tick();
      return;
    }
    int roll = random.nextInt(100);
    if (roll < mix.dropPercent()) {
      step++;
      remember("lost %s", network.loseAny(random));
    } else {
      deliver(roll < mix.dropPercent() + mix.duplicatePercent());
    }
  }

  /** Every account starts with one deposit at its own bank (a single-bank transaction: done in one call). */
  private void fund() {
    for (var h : workload.holdings()) {
      submit(workload.funding(++nextTag, h));
    }
  }

  private void submit(Submission s) {
    if (s.coordinator().equals(dead)) {
      deferred.add(s); // its client cannot reach its bank: it will send it when the bank is back
      return;
    }
    step++;
    remember("submit #%s at %s: %s %s %s", s.tag(), s.coordinator(), s.kind(), s.requestId(), s.legs());
    history.submitted(s);
    Node n = clocked(s.coordinator());
    n.core().submit(s.tag(), s.principal(), s.legs(), s.requestId());
    collect(n, false);
  }

  /**
   * A batch, as {@code SubmitTransactions} sends one: 2 to 40 requests to one bank in one step (one write, and one
   * signature over the YES votes each bank casts on them). Returns how many.
   */
  private int submitBatch() {
    step++;
    String coordinator = ids.get(random.nextInt(ids.size()));
    if (coordinator.equals(dead)) {
      return 0;
    }
    int size = 2 + random.nextInt(39);
    remember("batch of %s at %s", size, coordinator);
    Node n = clocked(coordinator);
    var elsewhere = new ArrayList<Submission>();
    for (int i = 0; i < size; i++) {
      Submission s = workload.next(++nextTag, coordinator);
      if (!s.coordinator().equals(coordinator)) {
        elsewhere.add(s); // a stranger signed in at its own bank: sent there, on its own
        continue;
      }
      remember("  #%s: %s %s %s", s.tag(), s.kind(), s.requestId(), s.legs());
      history.submitted(s);
      n.core().submit(s.tag(), s.principal(), s.legs(), s.requestId());
    }
    collect(n, false);
    batches++;
    elsewhere.forEach(this::submit);
    return size;
  }

  private void tick() {
    step++;
    int pick = random.nextInt(tickWeightTotal);
    int i = 0;
    while (pick >= tickWeights[i]) {
      pick -= tickWeights[i++];
    }
    if (ids.get(i).equals(dead)) {
      return; // a bank that is down does not tick
    }
    Node n = clocked(ids.get(i));
    remember("tick at %s", n.id());
    n.core().tick();
    collect(n, true);
  }

  /**
   * A bank crashes and restarts from its store: what it had not written is gone, the answers it owed are lost (their
   * clients will retry those with a request id), so is some of what was on its links, and then it resumes.
   */
  private void crash() {
    step++;
    String id = ids.get(random.nextInt(ids.size()));
    if (!id.equals(dead)) {
      crash(id, "");
    }
  }

  private void crash(String id, String when) {
    crashes++;
    crashing = true;
    remember("%s crashes and restarts%s", id, when.isEmpty() ? "" : " " + when);
    for (Submission lost : history.crashed(id)) {
      if (!lost.requestId().isEmpty()) {
        retries.add(lost);
      }
    }
    auditor.abandon(id);
    network.crashed(id, random);
    Node restarted = stores.get(id).recover(id, members);
    nodes.put(id, restarted);
    restarted.core().resume();
    collect(restarted, false);
    crashing = false;
    partitions.healthWatch(restarted, false);
  }

  /** A client sends again a request a crash left unanswered: same principal, legs and request id. */
  private Submission retry() {
    Submission lost = retries.remove(random.nextInt(retries.size()));
    return new Submission(++nextTag, lost.coordinator(), lost.principal(), lost.legs(), lost.requestId(),
        SimulatedWorkload.Kind.RETRY, lost, lost.expect());
  }

  /** An audit (DESIGN §4): the cut is the highest clock of any bank, read now; the banks are asked later. */
  private void audit() {
    step++;
    long cut = nodes.values().stream().mapToLong(n -> n.core().clock()).max().orElseThrow();
    long id = auditor.start(cut, ids, () -> ++nextTag);
    remember("audit %s at cut %s", id, cut);
    history.auditStarted(id, cut, nodes.size());
  }

  private void askForSnapshot() {
    step++;
    SimulatedAuditor.Request r = auditor.deliverAny(random);
    remember("audit %s asks %s for its totals at %s", r.audit(), r.bank(), r.cut());
    Node n = clocked(r.bank());
    n.core().snapshot(r.tag(), r.cut());
    collect(n, false);
  }

  private void deliver(boolean duplicate) {
    step++;
    Envelope e = duplicate ? network.copyAny(random) : network.takeAny(random);
    if (network.onCutLink(e)) {
      if (!duplicate) {
        boolean lostWithLink = dead != null || random.nextBoolean(); // a bank that is down reads nothing
        network.stranded(e, lostWithLink);
        remember("%s on the cut link: %s", lostWithLink ? "lost" : "waiting", e);
      }
      return;
    }
    if (network.swallows(e, duplicate)) {
      remember("LOST on purpose: %s", e);
      return;
    }
    remember("%s %s -> %s: %s", duplicate ? "duplicate" : "deliver", e.from(), e.to(), e.message());
    if (duplicate) {
      duplicated++;
    } else {
      delivered++;
    }
    if (e.message() instanceof Message.Decide d) {
      history.checkDecisionMessage(e.to(), d);
    } else if (e.message() instanceof Message.Known k && k.decision() != null) {
      history.checkDecisionMessage(e.to(), k.decision());
    }
    Node n = clocked(e.to());
    n.core().receive(e);
    collect(n, false);
  }

  /**
   * Takes a node's effects after one step: writes them to its store, then records decisions, applications, messages
   * and answers. {@code ticked}: time passed in this step, so a client may be answered COMMITTED on a time-out.
   */
  private void collect(Node n, boolean ticked) {
    Ready effects = n.core().ready();
    settledByPeers += effects.protocol().settledByPeers().size();
    check(effects.faults().isEmpty(), "%s refused a message from an honest bank: %s", n.id(), effects.faults());
    // What may leave early leaves before the step's write, as on a real node; a crash may cut the step off there.
    Ready.Early leaving = effects.early();
    recorder.send(n, leaving.outbound());
    recorder.answer(n, leaving.replies(), ticked);
    early += leaving.outbound().size() + leaving.replies().size();
    if (!(leaving.outbound().isEmpty() && leaving.replies().isEmpty()) && !crashing && mix.crashPerMille() > 0
        && random.nextInt(100) < 5) {
      crashesAfterEarly++;
      crash(n.id(), "after its early messages and answers, before its write");
      return;
    }
    stores.get(n.id()).write(effects);
    recorder.written(n, effects, ticked);
  }

  /** Simulated wall-clock time per step, which consents expire by. */
  static final long MILLIS_PER_STEP = 10;

  /** The node about to act, told the time first (every bank's wall clock is the step count, roughly in sync). */
  private Node clocked(String id) {
    Node n = nodes.get(id);
    n.bank().advanceClock(step * MILLIS_PER_STEP);
    return n;
  }

  private void remember(String format, Object... args) {
    trace.add(step, String.format(format, args));
  }

  private String failureReport(Throwable e) {
    return trace.report("seed " + seed + " failed at step " + step + ": " + e.getMessage()
        + "\n  replay: mvn -pl bank-node test -Dtest=SimulatedClusterTest -Dsim.seed=" + seed
        + (System.getProperty("sim.auditsAcrossRestarts", "true").equals("false")
            ? " -Dsim.auditsAcrossRestarts=false" : "")
        + "\n  banks " + nodes.keySet() + ", fault " + fault + "; " + mix);
  }
}
