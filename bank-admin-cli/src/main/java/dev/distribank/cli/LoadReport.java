package dev.distribank.cli;

import dev.distribank.proto.bank.v1.AuditResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The end of a load run, for people (text) and machines (one JSON object): what ran, throughput, latency percentiles
 * of committed transactions, outcomes by reason, the audit's verdicts and the ledger check's.
 *
 * @param stats what the run saw, its clock stopped at the last answer
 * @param latency latencies of committed transactions in microseconds
 * @param audit the final audit, or null when it could not be run ({@code auditError} says why)
 * @param ledger the ledger check, or null when it could not be run ({@code ledgerError} says why)
 */
record LoadReport(LoadCommand.Settings settings, LoadSetup.Prepared setup, LoadStats stats, Histogram latency,
    AuditResponse audit, String auditError, LedgerCheck.Result ledger, String ledgerError) {
  private static final Comparator<Map.Entry<String, Long>> MOST_FREQUENT_FIRST =
      Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey());

  /** The percentiles reported, by label. */
  private static final List<Percentile> PERCENTILES = List.of(new Percentile("p50", 50), new Percentile("p90", 90),
      new Percentile("p99", 99), new Percentile("p999", 99.9));

  private record Percentile(String label, double percentile) {}

  /** The run passed: both audit invariants hold and every acknowledged transaction is in the ledgers. */
  boolean passed() {
    return audit != null && AuditCommand.Verdict.of(audit).holds() && ledger != null && ledger.passed();
  }

  double throughputPerSecond() {
    long elapsedNanos = stats.elapsedNanos();
    return elapsedNanos <= 0 ? 0 : stats.committed() * 1e9 / elapsedNanos;
  }

  void printText(PrintWriter out) {
    out.println(String.format(Locale.ROOT, "load: %d transactions from %d clients against %s in %.1f s (seed %d)",
        stats.finished(), settings.clients(), String.join(", ", settings.targets().keySet()),
        stats.elapsedNanos() / 1e9, settings.seed()));
    out.println(String.format(Locale.ROOT, "setup: %d accounts (%d opened), %s deposited, %s held at the start",
        setup.banks().stream().mapToInt(b -> b.accounts().size()).sum(), setup.openedAccounts(),
        Money.format(setup.depositedCents()), Money.format(setup.totalCents())));
    out.println(String.format(Locale.ROOT, "throughput: %.1f committed tx/s (%d committed, %d refused, %d errors,"
        + " %d retries)", throughputPerSecond(), stats.committed(), stats.refused(), stats.errors(), stats.retries()));
    var percentiles = new StringBuilder("latency of committed transactions:");
    latencyMillis().forEach((label, ms) -> percentiles.append(String.format(Locale.ROOT, " %s %.2f ms", label, ms)));
    out.println(latency.getTotalCount() == 0 ? "latency: nothing committed" : percentiles.toString());
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
      AuditCommand.print(new PrintWriter(table), audit, AuditCommand.Verdict.of(audit));
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

  String json() {
    var s = settings;
    double durationSeconds = s.duration().toMillis() / 1000.0;
    var config = new JsonText().put("seed", s.seed()).putJson("targets", targetsJson())
        .put("clients", s.clients()).put("accountsPerBank", s.accountsPerBank())
        .put("initialBalance", Money.format(s.initialBalanceCents())).put("durationSeconds", durationSeconds)
        .put("transactions", s.transactions()).put("crossBankRatio", s.crossBankRatio())
        .put("multiLegRatio", s.multiLegRatio()).put("overdraftRatio", s.overdraftRatio()).put("retries", s.retries());
    var setupJson = new JsonText().put("accounts", setup.banks().stream().mapToInt(b -> b.accounts().size()).sum())
        .put("openedAccounts", setup.openedAccounts()).put("depositedCents", setup.depositedCents())
        .put("totalCents", setup.totalCents());
    var latencyJson = new JsonText().put("count", latency.getTotalCount());
    latencyMillis().forEach((label, ms) -> latencyJson.put(label + "Ms", ms));
    var report = new JsonText().putJson("config", config.toString()).putJson("setup", setupJson.toString())
        .put("startedAtEpochMillis", stats.startedAtEpochMillis()).put("elapsedSeconds", stats.elapsedNanos() / 1e9)
        .put("finished", stats.finished()).put("committed", stats.committed()).put("refused", stats.refused())
        .put("errors", stats.errors()).put("retries", stats.retries())
        .put("throughputPerSecond", throughputPerSecond()).putJson("latency", latencyJson.toString())
        .putCounts("outcomes", stats.outcomes()).putNumbers("timeline", stats.timeline());
    if (audit == null) {
      report.putJson("audit", "null").put("auditError", auditError);
    } else {
      report.putJson("audit", auditJson());
    }
    if (ledger == null) {
      report.putJson("ledgerCheck", "null").put("ledgerCheckError", ledgerError);
    } else {
      report.putJson("ledgerCheck", new JsonText().put("passed", ledger.passed())
          .put("acknowledged", ledger.acknowledged()).put("verified", ledger.verified())
          .put("missing", ledger.missing()).put("duplicated", ledger.duplicated())
          .put("contradicted", ledger.contradicted()).put("atomicityViolations", ledger.atomicityViolations())
          .put("acknowledgedTwice", ledger.acknowledgedTwice())
          .put("transactionsChecked", ledger.transactionsChecked()).put("operationsRead", ledger.operationsRead())
          .put("complete", ledger.complete()).put("problems", ledger.problems()).toString());
    }
    return report.put("passed", passed()).toString();
  }

  /**
   * The audit: its two verdicts ({@code conservation}, {@code noNegativeBalance}), then the response's numbers, amounts
   * in centavos as JSON numbers.
   */
  private String auditJson() {
    AuditCommand.Verdict verdict = AuditCommand.Verdict.of(audit);
    return new JsonText().put("conservation", verdict.conservation())
        .put("noNegativeBalance", verdict.noNegativeBalance()).put("atCounter", audit.getAtCounter())
        .put("totalBalanceCents", audit.getTotalBalanceCents()).put("depositsCents", audit.getDepositsCents())
        .put("withdrawalsCents", audit.getWithdrawalsCents())
        .putJsonArray("banks", audit.getBanksList().stream().map(b -> new JsonText().put("bank", b.getBank())
            .put("accounts", b.getAccounts()).put("totalBalanceCents", b.getTotalBalanceCents())
            .put("depositsCents", b.getDepositsCents()).put("withdrawalsCents", b.getWithdrawalsCents())
            .put("negativeAccounts", b.getNegativeAccounts()).toString()).toList())
        .toString();
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

  private String targetsJson() {
    var targets = new JsonText();
    settings.targets().forEach(targets::put);
    return targets.toString();
  }
}
