package dev.distribank.cli;

import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.PeerStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code bank-admin load}: the consortium's load generator. Prepares known accounts ({@link LoadSetup}), runs random
 * transfers from concurrent clients ({@link LoadMix}, {@link LoadWorker}) with live progress ({@link ProgressLine}),
 * then audits the consortium and checks the operation logs ({@link LedgerCheck}) and reports ({@link LoadReport}).
 * Exits 0 only if the audit's invariants and bilateral check hold and every acknowledged transfer is in the ledgers.
 *
 * <p>Everything is bounded: the run stops at {@code --duration} or after {@code --transactions}, each call has the
 * {@code --timeout-seconds} deadline, each transfer is retried at most {@code --retries} times, and the calls go only
 * to the addresses in {@code --targets}.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Generate load: random single- and multi-leg transfers from concurrent clients, then verify.",
        "Setup: one customer at every target bank (login load-SEED), N accounts at each holding at least the"
            + " initial balance (reused and topped up on a rerun with the same seed), and at each bank a consent on"
            + " every load account to the load login at every other target bank. Then C clients"
            + " send transfers for D seconds or T transactions, coordinated by random banks, with the given shares"
            + " of cross-bank, multi-leg and deliberately overdrawing transfers; an unknown outcome is retried with"
            + " the same request id, a refusal is counted by its reason. Progress shows live on a terminal (every"
            + " 5 s on stderr otherwise).",
        "At the end: throughput, latency p50/p90/p99/p999/max of committed transfers (HdrHistogram), outcomes by"
            + " reason, an audit (I1, I2, every pair of banks agreeing on the money between them), and a ledger"
            + " check: every acknowledged transfer logged exactly once as COMMITTED by every bank it touched, and no"
            + " transfer COMMITTED at one bank but not at another (I3).",
        "Exits 0 when all of that holds, 1 when any of it broke, 2 on a wrong command line."},
    footerHeading = "%nExamples (against the 4-bank cluster of `make run`):%n",
    footer = {"  bank-admin load --admin-token \"$(cat data/admin-token)\" --duration 30s",
        "  bank-admin load --admin-token \"$(cat data/admin-token)\" \\",
        "      --targets alpha=127.0.0.1:7001,beta=127.0.0.1:7002 \\",
        "      --transactions 1000 --clients 4 --output json"})
final class LoadCommand implements Callable<Integer>, FailureReport.Targets {
  /** The 4-bank cluster {@code make run} starts. */
  static final String LOCAL_CLUSTER =
      "alpha=127.0.0.1:7001,beta=127.0.0.1:7002,gamma=127.0.0.1:7003,delta=127.0.0.1:7004";
  private static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
  /** The longest --duration accepted. */
  private static final Duration MAX_DURATION = Duration.ofHours(24);
  /** How long a run given only --transactions may last, so that it stops by itself even if the banks stall. */
  private static final Duration TRANSACTIONS_ONLY_CAP = Duration.ofHours(1);
  /** Repeats of the final audit while a bank does not answer it: after 1, 2, 4 and 8 seconds. */
  private static final int AUDIT_RETRIES = 4;

  /**
   * A run's validated settings. The ratios are probabilities of the random mix, not money, hence doubles; every
   * amount is long centavos.
   */
  record Settings(Map<String, String> targets, int accountsPerBank, long initialBalanceCents, int clients,
      Duration duration, long transactions, double crossBankRatio, double multiLegRatio, double overdraftRatio,
      long seed, int retries) {}

  @Mixin
  private GlobalOptions global;

  @Option(names = "--targets", split = ",", paramLabel = "BANK=HOST:PORT", defaultValue = LOCAL_CLUSTER,
      description = "The banks to load, by id and address; transfers touch only these. Default: ${DEFAULT-VALUE}.")
  private Map<String, String> targets;

  @Option(names = "--admin-token", paramLabel = "TOKEN",
      description = "The nodes' admin token, for the pre-flight check, the final audit and the operation logs."
          + " Default: --token or BANK_TOKEN.")
  private String adminToken;

  @Option(names = "--accounts-per-bank", paramLabel = "N", defaultValue = "10",
      description = "Load accounts at each bank, 2 to 10000. Default: ${DEFAULT-VALUE}.")
  private int accountsPerBank;

  @Option(names = "--initial-balance", paramLabel = "REAIS", defaultValue = "1000.00",
      converter = Money.Converter.class,
      description = "Each load account holds at least this when the run starts. Default: ${DEFAULT-VALUE}.")
  private Money initialBalance;

  @Option(names = "--clients", paramLabel = "C", defaultValue = "8",
      description = "Concurrent clients, each sending one transfer at a time, 1 to 1024. Default: ${DEFAULT-VALUE}.")
  private int clients;

  @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long to send, e.g. 30s, 500ms, 2m, 1h. Default: 30s, or with --transactions at most 1h.")
  private Duration duration;

  @Option(names = "--transactions", paramLabel = "T",
      description = "Stop after sending this many transfers (or at --duration, whichever comes first).")
  private Long transactions;

  // Ratios are probabilities for the random mix (doubles); amounts stay long centavos.
  @Option(names = "--cross-bank-ratio", paramLabel = "0..1", defaultValue = "0.5",
      description = "Share of transfers that touch a bank other than the coordinator. Default: ${DEFAULT-VALUE}.")
  private double crossBankRatio;

  @Option(names = "--multi-leg-ratio", paramLabel = "0..1", defaultValue = "0.2",
      description = "Share of transfers with 2 to 4 legs instead of one. Default: ${DEFAULT-VALUE}.")
  private double multiLegRatio;

  @Option(names = "--overdraft-ratio", paramLabel = "0..1", defaultValue = "0.05",
      description = "Share of transfers that ask for more than exists, to be refused. Default: ${DEFAULT-VALUE}.")
  private double overdraftRatio;

  @Option(names = "--seed", paramLabel = "SEED",
      description = "Seeds the customer, its accounts and the random transfers; reuse it to reuse the accounts."
          + " Default: a random one, printed in the report.")
  private Long seed;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
      description = "Times to repeat a transfer, with its request id, when its outcome is unknown (DEADLINE_EXCEEDED,"
          + " or UNAVAILABLE with no reason from a bank), 0 to 100. Default: ${DEFAULT-VALUE}.")
  private int retries;

  @Override
  public String describeTargets() {
    return targets.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ")) + " (--targets)";
  }

  @Override
  public Integer call() throws InterruptedException, ExecutionException {
    Settings settings = settings();
    String admin = adminToken();
    long timeoutSeconds = global.timeoutSeconds();
    var credentials = global.credentials();
    Map<String, BankConnection> connections = new LinkedHashMap<>();
    try {
      settings.targets().forEach((bank, address) ->
          connections.put(bank, BankConnection.open(address, admin, timeoutSeconds, credentials)));
      preflight(connections);
      LoadSetup.Identity identity = LoadSetup.Identity.of(settings.seed());
      LoadSetup.Prepared prepared = new LoadSetup(identity, settings.accountsPerBank(),
          settings.initialBalanceCents(), global::usage).prepare(connections);
      var acknowledged = new LedgerCheck.Acknowledged();
      LoadStats stats = run(settings, prepared, acknowledged, timeoutSeconds);
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
      var report = new LoadReport(settings, prepared, stats, stats.total(), audit, auditError, ledger, ledgerError);
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
   * Sends transfers from {@code clients} threads until the budget is spent and every client has its last answer.
   *
   * @return what the run saw, its clock stopped
   */
  private LoadStats run(Settings settings, LoadSetup.Prepared prepared, LedgerCheck.Acknowledged acknowledged,
      long timeoutSeconds) throws InterruptedException, ExecutionException {
    var mix = new LoadMix(prepared.banks(), settings.crossBankRatio(), settings.multiLegRatio(),
        settings.overdraftRatio(), settings.initialBalanceCents(), prepared.totalCents());
    var threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(settings.clients(), r -> {
      Thread t = new Thread(r, "load-client-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // Clients stop starting transfers at the deadline; the last one may then need every attempt's whole timeout.
    long graceSeconds = (settings.retries() + 1L) * (timeoutSeconds + 1) + 5;
    long waitSeconds = settings.duration().toSeconds() + graceSeconds;
    var stats = new LoadStats((int) Math.min(Integer.MAX_VALUE - 1, waitSeconds + 1));
    var budget = new LoadWorker.Budget(stats.startNanos(), settings.duration().toNanos(), settings.transactions());
    var random = new SplittableRandom(settings.seed());
    var workers = new ArrayList<Future<?>>();
    try (ProgressLine progress = ProgressLine.start(stats, global.out(), global.err())) {
      for (int i = 0; i < settings.clients(); i++) {
        workers.add(pool.submit(new LoadWorker(mix, random.split(), budget, settings.retries(), stats,
            acknowledged)));
      }
      pool.shutdown();
      if (!pool.awaitTermination(waitSeconds, TimeUnit.SECONDS)) {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      stats.stopped();
    }
    for (Future<?> worker : workers) {
      if (worker.isDone() && !worker.isCancelled()) {
        worker.get(); // a client that died of a bug fails the run with its stack trace, not silently
      }
    }
    return stats;
  }

  /**
   * The final audit, asked again a few times (about 15 s in all) while a bank does not answer it: a bank that was
   * down during the run may take a moment to be reachable again, and the audit only reads.
   */
  private static AuditResponse audit(BankConnection bank) {
    for (int attempt = 0; ; attempt++) {
      try {
        return bank.admin().audit(AuditRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        if (attempt >= AUDIT_RETRIES || e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
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

  /** The options, checked: anything out of range is a usage error (exit 2) before any call is made. */
  private Settings settings() {
    if (targets.isEmpty()) {
      throw global.usage("--targets names no bank; give BANK=HOST:PORT, e.g. " + LOCAL_CLUSTER);
    }
    var checked = new LinkedHashMap<String, String>();
    targets.forEach((bank, address) -> {
      if (!WireText.BANK_ID.matcher(bank).matches()) {
        throw global.usage("--targets: '" + bank + "' is not a bank id (a-z, 0-9 and '-', 2 to 16 characters,"
            + " starting with a letter)");
      }
      if (address == null || address.isBlank()) {
        throw global.usage("--targets: bank " + bank + " has no address; give BANK=HOST:PORT");
      }
      checked.put(bank, address.strip());
    });
    checkRange("--accounts-per-bank", accountsPerBank, 2, 10_000);
    checkRange("--clients", clients, 1, 1024);
    checkRange("--retries", retries, 0, 100);
    if (transactions != null && transactions < 1) {
      throw global.usage("--transactions must be at least 1, not " + transactions);
    }
    Duration runFor = duration != null ? duration : transactions != null ? TRANSACTIONS_ONLY_CAP : DEFAULT_DURATION;
    if (runFor.isNegative() || runFor.isZero() || runFor.compareTo(MAX_DURATION) > 0) {
      throw global.usage("--duration must be more than 0 and at most 24h, not " + runFor);
    }
    checkRatio("--cross-bank-ratio", crossBankRatio);
    checkRatio("--multi-leg-ratio", multiLegRatio);
    checkRatio("--overdraft-ratio", overdraftRatio);
    if (seed != null && seed < 0) {
      throw global.usage("--seed must be 0 or more, not " + seed);
    }
    try {
      // Everything the load accounts hold must fit a long, with room for the overdraft amount above it.
      Math.multiplyExact(Math.multiplyExact(initialBalance.cents(), (long) accountsPerBank), 2L * checked.size());
    } catch (ArithmeticException e) {
      throw global.usage("--initial-balance " + initialBalance + " times " + accountsPerBank + " accounts at "
          + checked.size() + " banks is more money than the tool can count");
    }
    long chosenSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 31);
    return new Settings(java.util.Collections.unmodifiableMap(checked), accountsPerBank,
        initialBalance.cents(), clients, runFor, transactions == null ? 0 : transactions, crossBankRatio,
        multiLegRatio, overdraftRatio, chosenSeed, retries);
  }

  private void checkRange(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw global.usage(option + " must be between " + min + " and " + max + ", not " + value);
    }
  }

  private void checkRatio(String option, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw global.usage(option + " must be between 0 and 1, not " + value);
    }
  }

  /** --admin-token, else --token or BANK_TOKEN; without one the run could not be verified, so it does not start. */
  private String adminToken() {
    String token = adminToken != null ? adminToken.strip() : global.bearer();
    if (token.isEmpty()) {
      throw global.usage("load needs the nodes' admin token for its audit and ledger check: give --admin-token,"
          + " --token or BANK_TOKEN (make run writes it to data/admin-token)");
    }
    if (!token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      throw global.usage("--admin-token must be printable ASCII without spaces");
    }
    return token;
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
      throw global.usage("--targets names " + unknown + ", not in the consortium of " + members.keySet());
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
    String reason = LoadWorker.reason(e);
    String description = status.getDescription() == null ? "no message" : status.getDescription();
    return (reason.isEmpty() ? "" : reason + ": ") + description + " (" + status.getCode() + ")";
  }

  /** Reads "30s", "500ms", "2m", "1h", a plain number of seconds, or ISO-8601 ("PT30S"). */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
      Matcher m = SHORT.matcher(value.strip());
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        };
      }
      try {
        return Duration.parse(value.strip());
      } catch (java.time.format.DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a duration; write e.g. 30s, 500ms, 2m or 1h");
      }
    }
  }
}
