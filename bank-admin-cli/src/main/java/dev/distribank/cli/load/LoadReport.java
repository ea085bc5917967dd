package dev.distribank.cli.load;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.distribank.cli.audit.AuditCommand;
import dev.distribank.cli.audit.AuditTotals;
import dev.distribank.cli.audit.AuditVerdict;
import dev.distribank.cli.text.Money;
import dev.distribank.cli.text.Table;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankTotals;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The end of a load run, for people (text) and machines (one JSON object): what ran, throughput, latency percentiles
 * of committed transactions, outcomes by reason, the audit's verdicts and the ledger check's; and in the open loop
 * ({@code --rate}) the offered and achieved rates, and the calls sent late, that waited for a client, or shed.
 *
 * @param stats what the run saw, its clock stopped at the last answer
 * @param latency latencies of committed transactions in microseconds; in the open loop counted from each call's
 *     scheduled time (corrected for coordinated omission), else from when it was sent
 * @param openLoop what the open loop's schedule did, or null for the closed loop
 * @param audit the final audit, or null when it could not be run ({@code auditError} says why)
 * @param ledger the ledger check, or null when it could not be run ({@code ledgerError} says why)
 * @param cpu the CPU time the run took, of the load generator and of each bank, or null when not sampled
 * @param warmUp how long the same mix was sent, unmeasured, before the run (zero: no warm-up)
 */
record LoadReport(LoadSettings settings, LoadSetup.Prepared setup, LoadStats stats, Histogram latency,
    OpenLoop.Summary openLoop, AuditResponse audit, String auditError, LedgerCheck.Result ledger, String ledgerError,
    CpuUse cpu, java.time.Duration warmUp) {
  private static final Comparator<Map.Entry<String, Long>> MOST_FREQUENT_FIRST =
      Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey());

  /** One line, as scripts read it; {@code "audit": null} kept; strings as written, without Gson's HTML escapes. */
  private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  /** The percentiles reported, by label. */
  private static final List<Percentile> PERCENTILES = List.of(new Percentile("p50", 50), new Percentile("p90", 90),
      new Percentile("p99", 99), new Percentile("p999", 99.9));

  private record Percentile(String label, double percentile) {}

  /**
   * The run passed: both audit invariants hold, every pair of banks agrees on the money between them, and every
   * acknowledged transaction is in the ledgers.
   */
  boolean passed() {
    return audit != null && AuditVerdict.of(audit).holds() && ledger != null && ledger.passed();
  }

  double throughputPerSecond() {
    long elapsedNanos = stats.elapsedNanos();
    return elapsedNanos <= 0 ? 0 : stats.committed() * 1e9 / elapsedNanos;
  }

  void printText(PrintWriter out) {
    String batches = settings.batchSize() == 1 ? "" : " in batches of " + settings.batchSize();
    if (openLoop == null) {
      out.println(String.format(Locale.ROOT, "load: %d transactions from %d clients%s against %s in %.1f s (seed %d)",
          stats.finished(), settings.clients(), batches, String.join(", ", settings.targets().keySet()),
          stats.elapsedNanos() / 1e9, settings.seed()));
    } else {
      out.println(String.format(Locale.ROOT, "load: %d transactions%s, open loop at most %d in flight, against %s in"
          + " %.1f s (seed %d)", stats.finished(), batches, settings.clients(),
          String.join(", ", settings.targets().keySet()), stats.elapsedNanos() / 1e9, settings.seed()));
    }
    if (!warmUp.isZero()) {
      out.println(String.format(Locale.ROOT, "warm-up: %.1f s of the same mix before the run, not measured",
          warmUp.toMillis() / 1e3));
    }
    out.println(String.format(Locale.ROOT, "setup: %d accounts (%d opened), %d consents granted, %s deposited, %s"
        + " held at the start", setup.banks().stream().mapToInt(b -> b.accounts().size()).sum(),
        setup.openedAccounts(), setup.grantedConsents(), Money.format(setup.depositedCents()),
        Money.format(setup.totalCents())));
    out.println(String.format(Locale.ROOT, "throughput: %.1f committed tx/s (%d committed, %d refused, %d errors,"
        + " %d retries)", throughputPerSecond(), stats.committed(), stats.refused(), stats.errors(), stats.retries()));
    if (openLoop != null) {
      String unit = settings.batchSize() == 1 ? "calls" : "batches";
      out.println(String.format(Locale.ROOT, "open loop: offered %s %s/s, achieved %.1f %s/s; %d %s scheduled, %d"
          + " sent, %d late (sent 1 ms or more behind schedule), %d waited for a free client, %d shed (no free"
          + " client before the end)", decimal("rate", openLoop.offeredPerSecond()).toPlainString(), unit,
          achievedPerSecond(), unit, openLoop.scheduled(), unit, openLoop.sent(), openLoop.late(), openLoop.waited(),
          openLoop.shed()));
    }
    var percentiles = new StringBuilder(openLoop == null ? "latency of committed transactions:"
        : "latency of committed transactions from each call's scheduled time (corrected for coordinated omission):");
    latencyMillis().forEach((label, ms) -> percentiles.append(String.format(Locale.ROOT, " %s %.2f ms", label, ms)));
    out.println(latency.getTotalCount() == 0 ? "latency: nothing committed" : percentiles.toString());
    if (cpu != null) {
      out.println(cpu.text(stats.committed(), settings.targets().size()));
    }
    out.println("outcomes:");
    Table outcomes = new Table().left("  REASON").right("COUNT").right("SHARE");
    long all = Math.max(1, stats.finished());
    stats.outcomes().entrySet().stream().sorted(MOST_FREQUENT_FIRST)
        .forEach(e -> outcomes.row("  " + e.getKey(), Long.toString(e.getValue()),
            String.format(Locale.ROOT, "%.1f%%", 100.0 * e.getValue() / all)));
    outcomes.print(out);
    if (audit == null) {
      out.println("audit: FAILED to run: " + auditError);
    } else {
      out.println("audit:");
      var table = new StringWriter();
      AuditCommand.print(new PrintWriter(table), audit, AuditVerdict.of(audit));
      table.toString().lines().forEach(line -> out.println("  " + line));
    }
    out.println(ledgerLine());
    if (ledger != null) {
      ledger.problems().forEach(p -> out.println("  " + p));
    }
    if (stats.committed() == 0) {
      out.println("warning: nothing committed, so the checks above prove little");
    }
    out.println("result: " + (passed() ? "PASSED" : "FAILED"));
  }

  /** Two lines: the verdict with what it covers, then the counts of each kind of problem. */
  private String ledgerLine() {
    if (ledger == null) {
      return "ledger check: FAILED to run: " + ledgerError;
    }
    return String.format(Locale.ROOT, "ledger check: %s (%d of %d acknowledged transactions logged exactly once,"
        + " COMMITTED, by every bank they touch)%n  %d missing, %d duplicated, %d contradicted; I3 atomicity held"
        + " for %d of %d transactions; %d operations read", ledger.passed() ? "OK" : "BROKEN", ledger.verified(),
        ledger.acknowledged(), ledger.missing(), ledger.duplicated(), ledger.contradicted(),
        ledger.transactionsChecked() - ledger.atomicityViolations(), ledger.transactionsChecked(),
        ledger.operationsRead());
  }

  /** The open loop's calls answered per second of the run; 0 in the closed loop. */
  double achievedPerSecond() {
    return openLoop == null ? 0 : openLoop.achievedPerSecond(stats.elapsedNanos());
  }

  /**
   * The report as one JSON object on one line; an audit or ledger check that could not run is null, with why. The open
   * loop adds {@code config.ratePerSecond}, an {@code openLoop} object and
   * {@code latency.correctedForCoordinatedOmission}.
   */
  String json() {
    var report = new JsonObject();
    report.add("config", configJson());
    report.add("setup", setupJson());
    report.addProperty("startedAtEpochMillis", stats.startedAtEpochMillis());
    report.addProperty("elapsedSeconds", decimal("elapsedSeconds", stats.elapsedNanos() / 1e9));
    report.addProperty("finished", stats.finished());
    report.addProperty("committed", stats.committed());
    report.addProperty("refused", stats.refused());
    report.addProperty("errors", stats.errors());
    report.addProperty("retries", stats.retries());
    report.addProperty("throughputPerSecond", decimal("throughputPerSecond", throughputPerSecond()));
    if (openLoop != null) {
      report.add("openLoop", openLoopJson());
    }
    report.add("latency", latencyJson());
    report.add("cpu", cpu == null ? JsonNull.INSTANCE : cpu.json(stats.committed()));
    var outcomes = new JsonObject();
    stats.outcomes().forEach(outcomes::addProperty);
    report.add("outcomes", outcomes);
    var timeline = new JsonArray();
    stats.timeline().forEach(timeline::add);
    report.add("timeline", timeline);
    if (audit == null) {
      report.add("audit", JsonNull.INSTANCE);
      report.addProperty("auditError", auditError);
    } else {
      report.add("audit", auditJson());
    }
    if (ledger == null) {
      report.add("ledgerCheck", JsonNull.INSTANCE);
      report.addProperty("ledgerCheckError", ledgerError);
    } else {
      report.add("ledgerCheck", ledgerJson());
    }
    report.addProperty("passed", passed());
    return GSON.toJson(report);
  }

  private JsonObject configJson() {
    var s = settings;
    var targets = new JsonObject();
    s.targets().forEach(targets::addProperty);
    var config = new JsonObject();
    config.addProperty("seed", s.seed());
    config.addProperty("warmUpSeconds", warmUp.toMillis() / 1e3);
    config.add("targets", targets);
    config.addProperty("clients", s.clients());
    config.addProperty("batchSize", s.batchSize());
    config.addProperty("accountsPerBank", s.accountsPerBank());
    config.addProperty("initialBalance", Money.format(s.initialBalanceCents()));
    config.addProperty("durationSeconds", decimal("durationSeconds", s.duration().toMillis() / 1000.0));
    config.addProperty("transactions", s.transactions());
    config.addProperty("crossBankRatio", decimal("crossBankRatio", s.crossBankRatio()));
    config.addProperty("multiLegRatio", decimal("multiLegRatio", s.multiLegRatio()));
    config.addProperty("overdraftRatio", decimal("overdraftRatio", s.overdraftRatio()));
    config.addProperty("retries", s.retries());
    if (openLoop != null) {
      config.addProperty("ratePerSecond", decimal("ratePerSecond", s.ratePerSecond()));
    }
    return config;
  }

  private JsonObject setupJson() {
    var json = new JsonObject();
    json.addProperty("accounts", setup.banks().stream().mapToInt(b -> b.accounts().size()).sum());
    json.addProperty("openedAccounts", setup.openedAccounts());
    json.addProperty("grantedConsents", setup.grantedConsents());
    json.addProperty("depositedCents", setup.depositedCents());
    json.addProperty("totalCents", setup.totalCents());
    return json;
  }

  /** Rates in calls (transfers, or batches) a second; counts in calls. */
  private JsonObject openLoopJson() {
    var json = new JsonObject();
    json.addProperty("offeredPerSecond", decimal("offeredPerSecond", openLoop.offeredPerSecond()));
    json.addProperty("achievedPerSecond", decimal("achievedPerSecond", achievedPerSecond()));
    json.addProperty("scheduled", openLoop.scheduled());
    json.addProperty("sent", openLoop.sent());
    json.addProperty("answered", openLoop.answered());
    json.addProperty("late", openLoop.late());
    json.addProperty("waited", openLoop.waited());
    json.addProperty("shed", openLoop.shed());
    return json;
  }

  /** The count, then p50Ms ... maxMs when anything committed; in the open loop, first that they are corrected. */
  private JsonObject latencyJson() {
    var json = new JsonObject();
    if (openLoop != null) {
      json.addProperty("correctedForCoordinatedOmission", true);
    }
    json.addProperty("count", latency.getTotalCount());
    latencyMillis().forEach((label, ms) -> json.addProperty(label + "Ms", decimal(label + "Ms", ms)));
    return json;
  }

  private JsonObject ledgerJson() {
    var json = new JsonObject();
    json.addProperty("passed", ledger.passed());
    json.addProperty("acknowledged", ledger.acknowledged());
    json.addProperty("verified", ledger.verified());
    json.addProperty("missing", ledger.missing());
    json.addProperty("duplicated", ledger.duplicated());
    json.addProperty("contradicted", ledger.contradicted());
    json.addProperty("atomicityViolations", ledger.atomicityViolations());
    json.addProperty("acknowledgedTwice", ledger.acknowledgedTwice());
    json.addProperty("transactionsChecked", ledger.transactionsChecked());
    json.addProperty("operationsRead", ledger.operationsRead());
    json.addProperty("complete", ledger.complete());
    var problems = new JsonArray();
    ledger.problems().forEach(problems::add);
    json.add("problems", problems);
    return json;
  }

  /**
   * The audit: its verdicts ({@code conservation}, {@code noNegativeBalance}, {@code bilateral} with the
   * {@code disagreeingPairs}), then the response's numbers, amounts in centavos as exact JSON numbers (running totals
   * may pass what an int64 holds).
   */
  private JsonObject auditJson() {
    AuditVerdict verdict = AuditVerdict.of(audit);
    var json = new JsonObject();
    json.addProperty("conservation", verdict.conservation());
    json.addProperty("noNegativeBalance", verdict.noNegativeBalance());
    json.addProperty("bilateral", verdict.bilateral());
    var disagreeing = new JsonArray();
    verdict.disagreeingPairs().forEach(disagreeing::add);
    json.add("disagreeingPairs", disagreeing);
    json.addProperty("atCounter", audit.getAtCounter());
    json.addProperty("totalBalanceCents", AuditTotals.balance(audit));
    json.addProperty("depositsCents", AuditTotals.deposits(audit));
    json.addProperty("withdrawalsCents", AuditTotals.withdrawals(audit));
    var banks = new JsonArray();
    for (BankTotals b : audit.getBanksList()) {
      var bank = new JsonObject();
      bank.addProperty("bank", b.getBank());
      bank.addProperty("accounts", b.getAccounts());
      bank.addProperty("totalBalanceCents", AuditTotals.balance(b));
      bank.addProperty("depositsCents", AuditTotals.deposits(b));
      bank.addProperty("withdrawalsCents", AuditTotals.withdrawals(b));
      bank.addProperty("negativeAccounts", b.getNegativeAccounts());
      banks.add(bank);
    }
    json.add("banks", banks);
    return json;
  }

  /**
   * A finite number rounded to three decimals, as a JSON number without trailing zeros: 84.333, 84.3, 12. Gson would
   * print a double in full ({@code 12.0}, {@code 84.33333333333333}); a decimal prints as written.
   */
  static BigDecimal decimal(String key, double value) {
    checkArgument(Double.isFinite(value), "%s is %s, which JSON cannot hold", key, value);
    BigDecimal rounded = BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
    // stripTrailingZeros writes 100 as 1E+2; a scale of 0 keeps it 100.
    return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
  }

  /** p50, p90, p99, p999 and max in milliseconds; empty when nothing committed. */
  private Map<String, Double> latencyMillis() {
    var out = new LinkedHashMap<String, Double>();
    if (latency.getTotalCount() > 0) {
      PERCENTILES.forEach(p -> out.put(p.label(), latency.getValueAtPercentile(p.percentile()) / 1000.0));
      out.put("max", latency.getMaxValue() / 1000.0);
    }
    return out;
  }
}
