package dev.distribank.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.Operation;
import dev.distribank.node.testing.Scrape;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bank's counters and histograms count what the loop and writer report, once each. */
class BankInstrumentsTest {
  final PullReader reader = new PullReader();
  final SdkMeterProvider provider = SdkMeterProvider.builder().setResource(PrometheusTextTest.RESOURCE)
      .registerMetricReader(reader).build();
  final BankInstruments instruments = new BankInstruments(provider.get("test"));

  @AfterEach
  void close() {
    provider.close();
  }

  Scrape scrape() {
    return new Scrape(PrometheusText.write(reader.collect(), PrometheusTextTest.RESOURCE));
  }

  @Test
  void groupCommit_countsTheTasksOfEveryBatchTheSyncMadeDurable() {
    instruments.batchRun(3);
    instruments.batchRun(5);
    instruments.written(2, true, 2_000_000);
    instruments.batchRun(7);
    instruments.written(1, false, 1_000); // nothing to write: no fsync, nothing recorded
    instruments.batchRun(1);
    instruments.written(1, true, 500_000);

    var s = scrape();
    assertEquals("histogram", s.type("distribank_group_commit_size"));
    assertEquals(2, s.value("distribank_group_commit_size_count{bank=\"alpha\"}"));
    assertEquals(9, s.value("distribank_group_commit_size_sum{bank=\"alpha\"}"), "3 + 5, then 1");
    assertEquals(1, s.value("distribank_group_commit_size_bucket{bank=\"alpha\",le=\"1\"}"));
    assertEquals(2, s.value("distribank_fsync_duration_seconds_count{bank=\"alpha\"}"));
    assertEquals(0.0025, s.value("distribank_fsync_duration_seconds_sum{bank=\"alpha\"}"), 1e-12);
  }

  @Test
  void finished_byOutcomeAndLowerSnakeReason() {
    var insufficient = Rejection.of(Reason.INSUFFICIENT_FUNDS, "", "no");
    instruments.finished(List.of(
        new Operation("alpha-1", null, true, List.of(), null, "", "ana"),
        new Operation("alpha-2", null, false, List.of(), insufficient, "", "ana"),
        new Operation("alpha-3", null, false, List.of(), insufficient, "", "ana"),
        new Operation("alpha-4", null, true, List.of(), null, "", "ana")));

    var s = scrape();
    assertEquals("counter", s.type("distribank_transactions_total"));
    assertEquals(2, s.value("distribank_transactions_total{bank=\"alpha\",outcome=\"committed\",reason=\"\"}"));
    assertEquals(2, s.value(
        "distribank_transactions_total{bank=\"alpha\",outcome=\"aborted\",reason=\"insufficient_funds\"}"));
  }

  @Test
  void startAtZero_countersThereBeforeAnythingHappens() {
    instruments.startAtZero(List.of("beta"));

    var s = scrape();
    for (String series : List.of(
        "distribank_transactions_total{bank=\"alpha\",outcome=\"committed\",reason=\"\"}",
        "distribank_login_failures_total{bank=\"alpha\"}",
        "distribank_requests_refused_total{bank=\"alpha\",error_reason=\"overloaded\","
            + "reason=\"resource_exhausted\"}",
        "distribank_requests_refused_total{bank=\"alpha\",error_reason=\"login_throttled\","
            + "reason=\"resource_exhausted\"}",
        "distribank_peer_messages_total{bank=\"alpha\",direction=\"sent\",peer=\"beta\"}",
        "distribank_peer_messages_total{bank=\"alpha\",direction=\"received\",peer=\"beta\"}")) {
      assertTrue(s.has(series), series + " in\n" + s.text());
      assertEquals(0, s.value(series), series);
    }
  }

  @Test
  void peerMessagesLoginsRefusals_labelled() {
    instruments.peerMessages("beta", true, 3);
    instruments.peerMessages("beta", false, 2);
    instruments.peerMessages("beta", false, 0);
    instruments.loginFailed();
    instruments.refused("LOGIN_THROTTLED");
    instruments.refused("OVERLOADED");
    instruments.refused("OVERLOADED");

    var s = scrape();
    assertEquals(3, s.value("distribank_peer_messages_total{bank=\"alpha\",direction=\"sent\",peer=\"beta\"}"));
    assertEquals(2, s.value("distribank_peer_messages_total{bank=\"alpha\",direction=\"received\",peer=\"beta\"}"));
    assertEquals(1, s.value("distribank_login_failures_total{bank=\"alpha\"}"));
    assertEquals(2, s.value("distribank_requests_refused_total{bank=\"alpha\",error_reason=\"overloaded\","
        + "reason=\"resource_exhausted\"}"));
    assertEquals(3, s.sum("distribank_requests_refused_total", "reason=\"resource_exhausted\""));
    assertFalse(s.text().contains("gamma"));
  }
}
