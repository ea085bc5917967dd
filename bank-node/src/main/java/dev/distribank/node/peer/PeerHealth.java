package dev.distribank.node.peer;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Watches every other bank with the standard {@code grpc.health.v1.Health/Check} (a deadline per probe, one probe
 * per bank every {@link #PERIOD_MILLIS}) and keeps the peer view: UP or DOWN, and since when. Changes are reported to
 * {@code onChange} (bank, up), which hands them to the ordering core.
 */
public final class PeerHealth {
  static final long PERIOD_MILLIS = 500;
  static final long DEADLINE_MILLIS = 1_000;

  /** UNKNOWN until the first probe answers. */
  public enum State { UNKNOWN, UP, DOWN }

  /** A bank's state and when it entered it. */
  public record View(State state, Instant since) {}

  private final Map<String, ManagedChannel> channels;
  private final Map<String, View> views = new ConcurrentHashMap<>();
  private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final BiConsumer<String, Boolean> onChange;
  private final Clock clock;

  public PeerHealth(Map<String, ManagedChannel> channels, BiConsumer<String, Boolean> onChange, Clock clock) {
    this.channels = channels;
    this.onChange = onChange;
    this.clock = clock;
    channels.keySet().forEach(bank -> views.put(bank, new View(State.UNKNOWN, clock.instant())));
  }

  public void start(ScheduledExecutorService timers) {
    timers.scheduleAtFixedRate(this::probeAll, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The current view of every other bank. */
  public Map<String, View> views() {
    return new TreeMap<>(views);
  }

  private void probeAll() {
    channels.forEach((bank, channel) -> {
      if (inFlight.putIfAbsent(bank, Boolean.TRUE) != null) {
        return; // the previous probe has not answered yet; its deadline will
      }
      HealthGrpc.newStub(channel).withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.getDefaultInstance(), new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(io.grpc.health.v1.HealthCheckResponse r) {
              record(bank, r.getStatus() == ServingStatus.SERVING);
            }

            @Override
            public void onError(Throwable t) {
              // Without this the channel backs off reconnecting (up to minutes), and a bank that is back would
              // look down until the backoff ends.
              channel.resetConnectBackoff();
              record(bank, false);
            }

            @Override
            public void onCompleted() {}
          });
    });
  }

  /** Consecutive failed probes before a bank is called DOWN: one late answer under load is not an outage. */
  static final int FAILURES_FOR_DOWN = 2;

  private void record(String bank, boolean up) {
    inFlight.remove(bank);
    int failed = up ? 0 : failures.merge(bank, 1, Integer::sum);
    if (up) {
      failures.remove(bank);
    } else if (failed < FAILURES_FOR_DOWN) {
      return;
    }
    State now = up ? State.UP : State.DOWN;
    View before = views.get(bank);
    if (before.state() != now) {
      views.put(bank, new View(now, clock.instant()));
      onChange.accept(bank, up);
    }
  }
}
