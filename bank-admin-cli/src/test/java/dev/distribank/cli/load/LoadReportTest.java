package dev.distribank.cli.load;

import static dev.distribank.cli.audit.Audits.audit;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The load report's verdict and JSON on made-up audits, as the chaos run reads them. */
class LoadReportTest {
  @Test
  void loadRun_pairDisagrees_runFails_jsonNamesThePairForChaos() {
    var settings = new LoadSettings(Map.of("alpha", "127.0.0.1:1"), 1, 100, 1, Duration.ofSeconds(1), 1,
        0, 0, 0, 1, 0, 1, 0);
    var ledger = new LedgerCheck.Result(0, 0, 0, 0, 0, 0, 0, 0, 0, true, List.of());
    var stats = new LoadStats(1);
    stats.stopped();
    var prepared = new LoadSetup.Prepared(List.of(), 0, 0, 0, 0);

    var honest = new LoadReport(settings, prepared, stats, new Histogram(3), null, audit(9_000, 0, true), null, ledger,
        null, null, java.time.Duration.ZERO);
    var lying = new LoadReport(settings, prepared, stats, new Histogram(3), null, audit(9_000, 0, true, "1").build(),
        null, ledger, null, null, java.time.Duration.ZERO);

    assertTrue(honest.passed());
    assertFalse(lying.passed());
    assertTrue(honest.json().contains("\"bilateral\":true,\"disagreeingPairs\":[]"), honest.json());
    assertTrue(lying.json().contains("\"bilateral\":false,\"disagreeingPairs\":[\"alpha/beta\"]"), lying.json());
  }
}
