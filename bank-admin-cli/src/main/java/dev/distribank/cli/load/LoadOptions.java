package dev.distribank.cli.load;

import dev.distribank.cli.text.DurationConverter;
import dev.distribank.cli.text.Money;
import dev.distribank.cli.text.WireText;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of {@code bank-admin load}, as the mixin {@link LoadCommand} holds, and their check: {@link #settings()}
 * refuses anything out of range as a usage error (exit 2) before any call is made.
 */
final class LoadOptions {
  /** The 4-bank cluster {@code make run} starts. */
  static final String LOCAL_CLUSTER =
      "alpha=127.0.0.1:7001,beta=127.0.0.1:7002,gamma=127.0.0.1:7003,delta=127.0.0.1:7004";
  private static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
  /** The longest --duration accepted. */
  private static final Duration MAX_DURATION = Duration.ofHours(24);
  /** How long a run given only --transactions may last, so that it stops by itself even if the banks stall. */
  private static final Duration TRANSACTIONS_ONLY_CAP = Duration.ofHours(1);
  /** The most transactions one SubmitTransactions may carry. */
  static final int MAX_BATCH = 8_190;
  /** Clients without --clients: of the closed loop, and (the most calls in flight) of the open loop. */
  private static final int DEFAULT_CLIENTS = 8;
  private static final int DEFAULT_OPEN_LOOP_CLIENTS = 64;

  // The load command, against which usage errors are reported, so that its help is the one suggested.
  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

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

  @Option(names = "--clients", paramLabel = "C",
      description = "Concurrent clients, each with one call (a transfer, or a batch) in flight at a time, 1 to 1024;"
          + " with --rate, the most calls in flight at once. Default: " + DEFAULT_CLIENTS + ", with --rate "
          + DEFAULT_OPEN_LOOP_CLIENTS + ".")
  private Integer clients;

  // A rate of calls, not money.
  @Option(names = "--rate", paramLabel = "R",
      description = "Open loop: send R calls a second in all (transfers, or batches with --batch-size), more than 0"
          + " and at most 1000000, on a fixed schedule from the start, whether or not the banks keep up. Each"
          + " call's latency counts from the time it was due, not when it went out, so a stall shows in every call"
          + " due during it (corrected for coordinated omission). A call due while all --clients calls are in flight"
          + " waits for one to end; one still waiting at the end is not sent (shed); one sent 1 ms or more behind"
          + " schedule counts as late. Default: the closed loop, each client sending its next call when the last is"
          + " answered.")
  private Double rate;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1",
      description = "Transfers per call, 1 to " + MAX_BATCH + ": 1 sends each as a Transfer; more sends a"
          + " SubmitTransactions of N, all coordinated by one bank, and each transfer's latency is its batch's."
          + " Default: ${DEFAULT-VALUE}.")
  private int batchSize;

  @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long to send, e.g. 30s, 500ms, 2m, 1h. Default: 30s, or with --transactions at most 1h.")
  private Duration duration;

  @Option(names = "--warm-up", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "First send the same mix this long, unmeasured (e.g. 10s), so the run measures JIT-compiled,"
          + " steady banks; its transfers are still audited and checked. Default: none.")
  private Duration warmUp;

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
      description = "Times to repeat a transfer, with its request id, when it fails with UNAVAILABLE or"
          + " DEADLINE_EXCEEDED (and a setup call on UNAVAILABLE), 0 to 100. Default: ${DEFAULT-VALUE}.")
  private int retries;

  /** How long to send unmeasured before the run (--warm-up): zero for no warm-up. Check {@link #settings} first. */
  Duration warmUp() {
    return warmUp == null ? Duration.ZERO : warmUp;
  }

  /** The banks named by --targets, as the failure report's hint names them. */
  String describeTargets() {
    return targets.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ")) + " (--targets)";
  }

  /**
   * --admin-token, else {@code fallback} (--token or BANK_TOKEN); without one the run could not be verified, so it
   * does not start.
   */
  String adminToken(String fallback) {
    String token = adminToken != null ? adminToken.strip() : fallback;
    if (token.isEmpty()) {
      throw usage("load needs the nodes' admin token for its audit and ledger check: give --admin-token,"
          + " --token or BANK_TOKEN (make run writes it to data/admin-token)");
    }
    if (!token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      throw usage("--admin-token must be printable ASCII without spaces");
    }
    return token;
  }

  /** The options, checked: anything out of range is a usage error (exit 2) before any call is made. */
  LoadSettings settings() {
    if (targets.isEmpty()) {
      throw usage("--targets names no bank; give BANK=HOST:PORT, e.g. " + LOCAL_CLUSTER);
    }
    var checked = new LinkedHashMap<String, String>();
    targets.forEach((bank, address) -> {
      if (!WireText.BANK_ID.matcher(bank).matches()) {
        throw usage("--targets: '" + bank + "' is not a bank id (a-z, 0-9 and '-', 2 to 16 characters,"
            + " starting with a letter)");
      }
      if (address == null || address.isBlank()) {
        throw usage("--targets: bank " + bank + " has no address; give BANK=HOST:PORT");
      }
      checked.put(bank, address.strip());
    });
    checkRange("--accounts-per-bank", accountsPerBank, 2, 10_000);
    int clientCount = clients != null ? clients : rate != null ? DEFAULT_OPEN_LOOP_CLIENTS : DEFAULT_CLIENTS;
    checkRange("--clients", clientCount, 1, 1024);
    if (rate != null && !(rate > 0 && rate <= OpenLoop.MAX_RATE_PER_SECOND)) {
      throw usage("--rate must be a positive number of calls a second, at most 1000000, not " + rate);
    }
    checkRange("--retries", retries, 0, 100);
    checkRange("--batch-size", batchSize, 1, MAX_BATCH);
    if (transactions != null && transactions < 1) {
      throw usage("--transactions must be at least 1, not " + transactions);
    }
    Duration runFor = duration != null ? duration : transactions != null ? TRANSACTIONS_ONLY_CAP : DEFAULT_DURATION;
    if (runFor.isNegative() || runFor.isZero() || runFor.compareTo(MAX_DURATION) > 0) {
      throw usage("--duration must be more than 0 and at most 24h, not " + runFor);
    }
    if (warmUp != null && (warmUp.isNegative() || warmUp.compareTo(MAX_DURATION) > 0)) {
      throw usage("--warm-up must be at least 0 and at most 24h, not " + warmUp);
    }
    checkRatio("--cross-bank-ratio", crossBankRatio);
    checkRatio("--multi-leg-ratio", multiLegRatio);
    checkRatio("--overdraft-ratio", overdraftRatio);
    if (seed != null && seed < 0) {
      throw usage("--seed must be 0 or more, not " + seed);
    }
    try {
      // Everything the load accounts hold must fit a long, with room for the overdraft amount above it.
      Math.multiplyExact(Math.multiplyExact(initialBalance.cents(), (long) accountsPerBank), 2L * checked.size());
    } catch (ArithmeticException e) {
      throw usage("--initial-balance " + initialBalance + " times " + accountsPerBank + " accounts at "
          + checked.size() + " banks is more money than the tool can count");
    }
    long chosenSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 31);
    return new LoadSettings(Collections.unmodifiableMap(checked), accountsPerBank, initialBalance.cents(),
        clientCount, runFor, transactions == null ? 0 : transactions, crossBankRatio, multiLegRatio, overdraftRatio,
        chosenSeed, retries, batchSize, rate == null ? 0 : rate);
  }

  private void checkRange(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw usage(option + " must be between " + min + " and " + max + ", not " + value);
    }
  }

  private void checkRatio(String option, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw usage(option + " must be between 0 and 1, not " + value);
    }
  }

  /** A usage error (exit 2) reported against the load command. */
  ParameterException usage(String message) {
    return new ParameterException(command.commandLine(), message);
  }
}
