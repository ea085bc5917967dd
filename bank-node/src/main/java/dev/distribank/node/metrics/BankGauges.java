package dev.distribank.node.metrics;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The bank's gauges, read at scrape time from the state the node already keeps: what waits on the event loop (one
 * {@link Backlog}, read on the loop itself, which owns that state) and whether each peer link is up. A scrape that
 * comes while the last read is under way, or within {@value #REUSE_MILLIS} ms of it, reuses it: a flood of scrapes
 * adds at most five tasks a second to the loop. A loop too busy to answer within {@value #WAIT_MILLIS} ms leaves its
 * gauges out of that scrape rather than hold it.
 */
final class BankGauges implements AutoCloseable {
  static final long REUSE_MILLIS = 200;
  static final long WAIT_MILLIS = 2_000;

  private final Supplier<CompletableFuture<Backlog>> source;
  private final LongSupplier nanoTime;
  private final Map<String, Attributes> peers = new TreeMap<>();
  private final Predicate<String> linkUp;
  private final BatchCallback callback;
  private CompletableFuture<Backlog> last;
  private long lastStartNanos;

  BankGauges(Meter meter, Supplier<CompletableFuture<Backlog>> source, Iterable<String> otherBanks,
      Predicate<String> linkUp, LongSupplier nanoTime) {
    this.source = source;
    this.linkUp = linkUp;
    this.nanoTime = nanoTime;
    otherBanks.forEach(bank -> peers.put(bank, Attributes.of(BankInstruments.PEER, bank)));
    ObservableLongMeasurement inDoubt = meter.gaugeBuilder("distribank.in_doubt.votes").ofLongs()
        .setUnit("{vote}").setDescription("YES votes here waiting for their coordinator's decision").buildObserver();
    ObservableDoubleMeasurement oldest = meter.gaugeBuilder("distribank.in_doubt.oldest_age").setUnit("s")
        .setDescription("How long the oldest YES vote here has waited for its decision; 0 when none")
        .buildObserver();
    ObservableLongMeasurement depth = meter.gaugeBuilder("distribank.delivery.queue_depth").ofLongs()
        .setUnit("{operation}").setDescription("Operations waiting in the ordered delivery queue").buildObserver();
    ObservableDoubleMeasurement headWait = meter.gaugeBuilder("distribank.delivery.head_wait").setUnit("s")
        .setDescription("How long the head of the delivery queue has waited; 0 when it is empty").buildObserver();
    ObservableLongMeasurement clock = meter.gaugeBuilder("distribank.lamport_clock").ofLongs()
        .setDescription("This bank's Lamport clock").buildObserver();
    ObservableLongMeasurement consents = meter.gaugeBuilder("distribank.consents").ofLongs().setUnit("{consent}")
        .setDescription("Consents in force at this bank (not revoked, replaced or expired)").buildObserver();
    ObservableLongMeasurement links = meter.gaugeBuilder("distribank.peer.link_up").ofLongs()
        .setDescription("1 while the peer link to the bank is up, 0 while it is down").buildObserver();
    this.callback = meter.batchCallback(() -> {
      peers.forEach((bank, attributes) -> links.record(linkUp.test(bank) ? 1 : 0, attributes));
      Backlog b = backlog();
      if (b != null) {
        inDoubt.record(b.inDoubtVotes());
        oldest.record(b.oldestInDoubtMillis() / 1000.0);
        depth.record(b.queueDepth());
        headWait.record(b.headWaitMillis() / 1000.0);
        clock.record(b.lamportClock());
        consents.record(b.consents());
      }
    }, inDoubt, oldest, depth, headWait, clock, consents, links);
  }

  /** The latest backlog: a fresh read unless one is under way or recent; null if the loop does not answer in time. */
  private synchronized Backlog backlog() {
    long now = nanoTime.getAsLong();
    if (last == null || last.isDone() && now - lastStartNanos >= TimeUnit.MILLISECONDS.toNanos(REUSE_MILLIS)) {
      lastStartNanos = now;
      last = source.get();
    }
    try {
      return last.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return null; // stopping, or too busy: left out of this scrape
    }
  }

  @Override
  public void close() {
    callback.close();
  }
}
