package dev.distribank.cli.load;

import dev.distribank.cli.BankConnection;
import dev.distribank.cli.FailureReport;
import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.RetryPolicy;
import dev.distribank.cli.StatusDetails;
import dev.distribank.cli.text.WireText;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.PeerStatus;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bank-admin load}: the consortium's load generator. Prepares known accounts ({@link LoadSetup}), runs random
 * transfers from concurrent clients ({@link LoadMix}, {@link LoadWorker}) with live progress ({@link ProgressLine}),
 * then audits the consortium and checks the operation logs ({@link LedgerCheck}) and reports ({@link LoadReport}).
 * Exits 0 only if the audit's invariants and bilateral check hold and every acknowledged transfer is in the ledgers.
 *
 * <p>Without {@code --rate} it is a closed loop: each client sends its next call when the last is answered. With it, an
 * open loop ({@link OpenLoop}): calls go out on a fixed schedule, and latency counts from when each was due.
 *
 * <p>Everything is bounded: the run stops at {@code --duration} or after {@code --transactions}, each call has the
 * {@code --timeout-seconds} deadline, a transfer is sent again at most {@code --retries} times on UNAVAILABLE (by the
 * channel's retry policy, within that deadline) and as many after its deadline passed, and the calls go only to the
 * addresses in {@code --targets}.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Generate load: random single- and multi-leg transfers from concurrent clients, then verify.",
        "Setup: one customer at every target bank (login load-SEED), N accounts at each holding at least the"
            + " initial balance (reused and topped up on a rerun with the same seed), and at each bank a consent on"
            + " every load account to the load login at every other target bank. Then C clients"
            + " send transfers for D seconds or T transactions, coordinated by random banks, with the given shares"
            + " of cross-bank, multi-leg and deliberately overdrawing transfers, one call in flight per client: a"
            + " Transfer, or with --batch-size N a SubmitTransactions of N transfers; an unknown outcome is retried"
            + " with the same request ids, a refusal is counted by its reason. Every count is of transfers, not"
            + " calls. Progress shows live on a terminal (every 5 s on stderr otherwise).",
        "With --rate R the load is an open loop instead: R calls a second in all go out on a fixed schedule whether"
            + " or not the banks keep up, each to a free client (--clients is then the most in flight), and latency"
            + " counts from each call's scheduled time, so that a stall is not hidden (corrected for coordinated"
            + " omission); the report adds the offered and achieved rates, and how many calls (not transfers) went"
            + " out late, waited for a free client, or were shed.",
        "At the end: throughput, latency p50/p90/p99/p999/max of committed transfers (HdrHistogram), outcomes by"
            + " reason, an audit (I1, I2, every pair of banks agreeing on the money between them), and a ledger"
            + " check: every acknowledged transfer logged exactly once as COMMITTED by every bank it touched, and no"
            + " transfer COMMITTED at one bank but not at another (I3).",
        "Exits 0 when all of that holds, 1 when any of it broke, 2 on a wrong command line."},
    footerHeading = "%nExamples (against the 4-bank cluster of `make run`):%n",
    footer = {"  bank-admin load --admin-token \"$(cat data/admin-token)\" --duration 30s",
        "  bank-admin load --admin-token \"$(cat data/admin-token)\" \\",
        "      --targets alpha=127.0.0.1:7001,beta=127.0.0.1:7002 \\",
        "      --transactions 1000 --clients 4 --output json",
        "  bank-admin load --admin-token \"$(cat data/admin-token)\" --batch-size 1000 --clients 4",
        "  bank-admin load --admin-token \"$(cat data/admin-token)\" --rate 200 --duration 30s"})
public final class LoadCommand implements Callable<Integer>, FailureReport.Targets {
  /** Repeats of the final audit while a bank does not answer it: after 1, 2, 4 and 8 seconds. */
  private static final int AUDIT_RETRIES = 4;

  /**
   * The calls a run's connections repeat on UNAVAILABLE: those every command repeats, and the setup's consent grants,
   * which have no limits, so that a repeat replacing a grant with an equal one changes nothing.
   */
  private static final List<MethodDescriptor<?, ?>> REPEATED = Stream.concat(RetryPolicy.REPEATABLE.stream(),
      Stream.of(BankServiceGrpc.getGrantConsentMethod())).toList();

  @Mixin
  private GlobalOptions global;

  @Mixin
  private LoadOptions options;

  @Override
  public String describeTargets() {
    return options.describeTargets();
  }

  @Override
  public Integer call() throws InterruptedException, ExecutionException {
    LoadSettings settings = options.settings();
    String admin = options.adminToken(global.bearer());
    long timeoutSeconds = global.timeoutSeconds();
    var credentials = global.credentials();
    var retries = new RetryPolicy(settings.retries() + 1, REPEATED);
    Map<String, BankConnection> connections = new LinkedHashMap<>();
    try {
      settings.targets().forEach((bank, address) ->
          connections.put(bank, BankConnection.open(address, admin, timeoutSeconds, credentials, retries)));
      preflight(connections);
      LoadSetup.Identity identity = LoadSetup.Identity.of(settings.seed());
      LoadSetup.Prepared prepared = new LoadSetup(identity, settings.accountsPerBank(),
          settings.initialBalanceCents(), options::usage).prepare(connections);
      var acknowledged = new LedgerCheck.Acknowledged();
      if (!options.warmUp().isZero()) {
        // The same mix, unmeasured: its transfers are acknowledged, so the audit and ledger check cover them too.
        run(settings.warmUp(options.warmUp()), prepared, acknowledged, timeoutSeconds);
      }
      CpuUse before = CpuUse.sample(connections);
      var run = run(settings, prepared, acknowledged, timeoutSeconds);
      CpuUse cpu = CpuUse.sample(connections).since(before);
      LoadStats stats = run.stats();
      AuditResponse audit = null;
      String auditError = null;
      try {
        audit = audit(connections.values().iterator().next());
      } catch (StatusRuntimeException e) {
        auditError = describe(e);
      }
      LedgerCheck.Result ledger = null;
      String ledgerError = null;
      try {
        var logs = new LinkedHashMap<String, LedgerCheck.OperationLog>();
        connections.forEach((bank, connection) -> logs.put(bank, LedgerCheck.OperationLog.of(connection, admin)));
        ledger = new LedgerCheck(logs, identity.login()).run(acknowledged);
      } catch (StatusRuntimeException e) {
        ledgerError = describe(e);
      }
      var report = new LoadReport(settings, prepared, stats, stats.total(), run.openLoop(), audit, auditError, ledger,
          ledgerError, cpu, options.warmUp());
      if (global.json()) {
        global.out().println(report.json());
      } else {
        report.printText(global.out());
      }
      global.out().flush();
      return report.passed() ? 0 : 1;
    } finally {
      connections.values().forEach(BankConnection::close);
    }
  }

  /**
   * What a run saw, its clock stopped, and in the open loop what its schedule did (else null).
   */
  private record Run(LoadStats stats, OpenLoop.Summary openLoop) {}

  /**
   * Sends transfers from {@code clients} clients until the budget (or the open loop's schedule) is spent and every
   * client has its last answer. The clients hold no thread while they wait for an answer: a few callback threads (one
   * per core) serve them all.
   */
  private Run run(LoadSettings settings, LoadSetup.Prepared prepared, LedgerCheck.Acknowledged acknowledged,
      long timeoutSeconds) throws InterruptedException, ExecutionException {
    var mix = new LoadMix(prepared.banks(), settings.crossBankRatio(), settings.multiLegRatio(),
        settings.overdraftRatio(), settings.initialBalanceCents(), prepared.totalCents(), settings.batchSize());
    var threads = new AtomicInteger();
    int callbackThreads = Math.max(1, Math.min(settings.clients(), Runtime.getRuntime().availableProcessors()));
    ExecutorService callbacks = Executors.newFixedThreadPool(callbackThreads, r -> {
      Thread t = new Thread(r, "load-client-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // Clients stop starting transfers at the deadline; the last one may then need every call's whole timeout: the first
    // and each repeat after a deadline (gRPC's own repeats fit within a call's deadline).
    long graceSeconds = (settings.retries() + 1L) * (timeoutSeconds + 1) + 5;
    long waitSeconds = settings.duration().toSeconds() + graceSeconds;
    var stats = new LoadStats((int) Math.min(Integer.MAX_VALUE - 1, waitSeconds + 1));
    var random = new SplittableRandom(settings.seed());
    var workers = new ArrayList<LoadWorker>();
    OpenLoop openLoop = !settings.openLoop() ? null : new OpenLoop(settings.ratePerSecond(), stats.startNanos(),
        settings.duration().toNanos(), settings.transactions(), settings.batchSize(), settings.clients());
    try (ProgressLine progress = ProgressLine.start(stats, global.out(), global.err())) {
      CompletableFuture<Void> all;
      if (openLoop == null) {
        var budget = new LoadWorker.Budget(stats.startNanos(), settings.duration().toNanos(),
            settings.transactions());
        var running = new ArrayList<CompletableFuture<Void>>();
        for (int i = 0; i < settings.clients(); i++) {
          var worker = LoadWorker.closedLoop(mix, random.split(), budget, settings.retries(), settings.batchSize(),
              stats, acknowledged, callbacks);
          workers.add(worker);
          running.add(worker.start());
        }
        all = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
      } else {
        all = startOpenLoop(openLoop, settings, mix, random, stats, acknowledged, callbacks, workers);
      }
      try {
        all.get(waitSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException late) {
        stop(workers, openLoop);
        try {
          all.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException stillLate) {
          // A call outlived its every deadline: report what was seen; it was never acknowledged.
        }
      }
    } finally {
      stop(workers, openLoop);
      callbacks.shutdownNow();
      stats.stopped();
    }
    return new Run(stats, openLoop == null ? null : openLoop.summary());
  }

  /**
   * Starts the open loop: {@code clients} clients, all free at first, and the schedule handing each call to a free
   * one. The future completes once every call was sent or shed and answered, or fails with the bug that stopped a
   * client.
   */
  private static CompletableFuture<Void> startOpenLoop(OpenLoop openLoop, LoadSettings settings, LoadMix mix,
      SplittableRandom random, LoadStats stats, LedgerCheck.Acknowledged acknowledged, ExecutorService callbacks,
      List<LoadWorker> workers) {
    var idle = new LinkedBlockingQueue<LoadWorker>();
    for (int i = 0; i < settings.clients(); i++) {
      workers.add(LoadWorker.openLoop(mix, random.split(), worker -> {
        openLoop.answered();
        idle.add(worker);
      }, settings.retries(), settings.batchSize(), stats, acknowledged, callbacks));
    }
    idle.addAll(workers);
    CompletableFuture<Void> all = openLoop.start(OpenLoop.Clock.SYSTEM, deadline -> deadline == OpenLoop.FOREVER
        ? idle.take() : idle.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS));
    workers.forEach(worker -> worker.failure().whenComplete((ignored, bug) -> {
      if (bug != null) {
        all.completeExceptionally(bug);
      }
    }));
    return all;
  }

  /** Sends nothing more: the run is out of time, or over. */
  private static void stop(List<LoadWorker> workers, OpenLoop openLoop) {
    if (openLoop != null) {
      openLoop.stop();
    }
    workers.forEach(LoadWorker::stop);
  }

  /**
   * The final audit, asked again a few times (about 15 s in all, besides the audits' own deadlines) while a bank does
   * not answer it: a bank that was down during the run may take a moment to be reachable again, and one still
   * working off a backlog (a run of large batches leaves one) may not have applied everything up to the cut within
   * an audit's deadline. The audit only reads; the ledger check after it counts on its cut being applied everywhere.
   *
   * <p>The channel's retry policy repeats the audit too, but cannot wait for a cluster to come back: its repeats share
   * the call's one deadline and wait a random time up to a second, where this waits a fixed 15 s in all, gives each
   * audit a deadline of its own, and reconnects at once rather than after gRPC's reconnect backoff.
   */
  private static AuditResponse audit(BankConnection bank) {
    for (int attempt = 0; ; attempt++) {
      try {
        return bank.admin().audit(AuditRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (attempt >= AUDIT_RETRIES || code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
          throw e;
        }
        bank.resetConnectBackoff();
        try {
          Thread.sleep(1_000L << attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * Before creating anything: the admin token works, and every target bank is a member of the consortium the first
   * target belongs to. A bank it sees DOWN is only a warning: refusals for it are part of what a run measures.
   */
  private void preflight(Map<String, BankConnection> connections) {
    Map<String, PeerStatus> members = connections.values().iterator().next().admin()
        .getClusterStatus(GetClusterStatusRequest.getDefaultInstance()).getBanksList().stream()
        .collect(Collectors.toMap(PeerStatus::getBank, b -> b, (a, b) -> a, LinkedHashMap::new));
    Set<String> unknown = new java.util.TreeSet<>(connections.keySet());
    unknown.removeAll(members.keySet());
    if (!unknown.isEmpty()) {
      throw options.usage("--targets names " + unknown + ", not in the consortium of " + members.keySet());
    }
    List<String> notUp = connections.keySet().stream()
        .filter(bank -> !WireText.label(members.get(bank).getState()).equals("up")).toList();
    if (!notUp.isEmpty()) {
      global.err().println("warning: " + String.join(", ", notUp) + " not UP in the consortium's view;"
          + " transfers touching them will be refused");
      global.err().flush();
    }
  }

  /** A failed call in one line for the report: "BANK_UNAVAILABLE: bank beta did not answer... (UNAVAILABLE)". */
  private static String describe(StatusRuntimeException e) {
    Status status = e.getStatus();
    String reason = StatusDetails.of(e).reason();
    String description = status.getDescription() == null ? "no message" : status.getDescription();
    return (reason.isEmpty() ? "" : reason + ": ") + description + " (" + status.getCode() + ")";
  }
}
