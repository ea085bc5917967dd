package dev.distribank.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.Scrape;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gauges read the loop's backlog at scrape time, at most once a second, and never hang a scrape. */
class BankGaugesTest {
  final PullReader reader = new PullReader();
  final SdkMeterProvider provider = SdkMeterProvider.builder().setResource(PrometheusTextTest.RESOURCE)
      .registerMetricReader(reader).build();
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final AtomicInteger reads = new AtomicInteger();

  @AfterEach
  void close() {
    provider.close();
  }

  Scrape scrape() {
    return new Scrape(PrometheusText.write(reader.collect(), PrometheusTextTest.RESOURCE));
  }

  @Test
  void backlogAndLinks_inSecondsAndOnes() {
    new BankGauges(provider.get("test"), () -> {
      reads.incrementAndGet();
      return CompletableFuture.completedFuture(new Backlog(2, 1_500, 3, 400, 42, 5));
    }, List.of("beta", "gamma"), "beta"::equals, nanos::get);

    var s = scrape();
    assertEquals(2, s.value("distribank_in_doubt_votes{bank=\"alpha\"}"));
    assertEquals(1.5, s.value("distribank_in_doubt_oldest_age_seconds{bank=\"alpha\"}"));
    assertEquals(3, s.value("distribank_delivery_queue_depth{bank=\"alpha\"}"));
    assertEquals(0.4, s.value("distribank_delivery_head_wait_seconds{bank=\"alpha\"}"));
    assertEquals(42, s.value("distribank_lamport_clock{bank=\"alpha\"}"));
    assertEquals(5, s.value("distribank_consents{bank=\"alpha\"}"));
    assertEquals(1, s.value("distribank_peer_link_up{bank=\"alpha\",peer=\"beta\"}"));
    assertEquals(0, s.value("distribank_peer_link_up{bank=\"alpha\",peer=\"gamma\"}"));
    assertTrue(s.has("distribank_peer_link_up{bank=\"alpha\",peer=\"gamma\"}"));
    for (String gauge : List.of("distribank_in_doubt_votes", "distribank_delivery_head_wait_seconds",
        "distribank_peer_link_up", "distribank_lamport_clock", "distribank_consents")) {
      assertEquals("gauge", s.type(gauge), gauge);
    }
  }

  @Test
  void scrapesCloseTogether_shareOneRead() {
    new BankGauges(provider.get("test"), () -> {
      reads.incrementAndGet();
      return CompletableFuture.completedFuture(new Backlog(0, 0, 0, 0, reads.get(), 0));
    }, List.of(), bank -> false, nanos::get);

    scrape();
    nanos.addAndGet(BankGauges.REUSE_MILLIS * 1_000_000L / 2);
    var second = scrape();
    assertEquals(1, reads.get());
    assertEquals(1, second.value("distribank_lamport_clock{bank=\"alpha\"}"));

    nanos.addAndGet(BankGauges.REUSE_MILLIS * 1_000_000L);
    assertEquals(2, scrape().value("distribank_lamport_clock{bank=\"alpha\"}"));
  }

  @Test
  void loopThatDoesNotAnswer_leavesItsGaugesOut_scrapeStillAnswers_noSecondReadPiledOn() {
    var never = new CompletableFuture<Backlog>();
    new BankGauges(provider.get("test"), () -> {
      reads.incrementAndGet();
      return never;
    }, List.of("beta"), bank -> true, nanos::get);

    long start = System.nanoTime();
    var s = scrape();
    nanos.addAndGet(5_000_000_000L);
    scrape();

    assertTrue(System.nanoTime() - start < 10_000_000_000L);
    assertFalse(s.has("distribank_in_doubt_votes{bank=\"alpha\"}"));
    assertEquals(1, s.value("distribank_peer_link_up{bank=\"alpha\",peer=\"beta\"}"), "links need no loop");
    assertEquals(1, reads.get(), "a read under way is waited on again, not repeated");
  }
}
