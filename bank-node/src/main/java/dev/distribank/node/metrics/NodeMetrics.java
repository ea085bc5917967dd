package dev.distribank.node.metrics;

import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One bank node's metrics: an OpenTelemetry meter provider of its own (never the global one, so several nodes in one
 * JVM count apart), gRPC's per-method call metrics (gRFC A66) on its servers and on its peer channels, the bank's own
 * instruments, and the HTTP endpoint that serves them in Prometheus format. {@link #OFF} (no {@code --metrics-listen})
 * installs nothing and costs nothing. Every instrument is registered once, here; each server and channel is
 * configured once, so no call is counted twice.
 */
public final class NodeMetrics implements AutoCloseable {
  /** Scrapes closer together than this share one read of the loop's gauges. */
  public static final long GAUGE_REFRESH_MILLIS = BankGauges.REUSE_MILLIS;

  /** A node without metrics: every method does nothing. */
  public static final NodeMetrics OFF = new NodeMetrics();

  private final String bank;
  private final Set<String> otherBanks;
  private final PullReader reader;
  private final SdkMeterProvider provider;
  private final Resource resource;
  private final GrpcOpenTelemetry grpc;
  private final BankInstruments instruments;
  private BankGauges gauges;
  private MetricsServer server;

  private NodeMetrics() {
    this.bank = "";
    this.otherBanks = Set.of();
    this.reader = null;
    this.provider = null;
    this.resource = null;
    this.grpc = null;
    this.instruments = null;
  }

  private NodeMetrics(String bank, Set<String> otherBanks) {
    this.bank = bank;
    this.otherBanks = Set.copyOf(otherBanks);
    this.reader = new PullReader();
    this.resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), "bank-node", PrometheusText.BANK, bank)));
    this.provider = SdkMeterProvider.builder().setResource(resource).registerMetricReader(reader).build();
    this.grpc = GrpcOpenTelemetry.newBuilder().sdk(openTelemetry(provider)).build();
    this.instruments = new BankInstruments(provider.get("dev.distribank.node"));
    instruments.startAtZero(this.otherBanks);
  }

  /** Metrics for bank {@code bank}, whose peers are {@code otherBanks}; served once {@link #serve} is called. */
  public static NodeMetrics of(String bank, Set<String> otherBanks) {
    return new NodeMetrics(bank, otherBanks);
  }

  private boolean on() {
    return provider != null;
  }

  /** gRPC's call metrics on a server of this node (each server once); {@code clients} also counts outcomes. */
  public <T extends ServerBuilder<T>> T configure(T builder, boolean clients) {
    if (on()) {
      grpc.configureServerBuilder(builder);
      if (clients) {
        builder.intercept(new CallOutcomes(instruments));
      }
    }
    return builder;
  }

  /** gRPC's call metrics and the peer message counts on the channel to bank {@code peer}. */
  public void configurePeerChannel(String peer, ManagedChannelBuilder<?> builder) {
    if (on()) {
      grpc.configureChannelBuilder(builder);
      builder.intercept(PeerTraffic.client(instruments, peer));
    }
  }

  /** The peer port's PeerService with its message counts, inside {@code identify} (which names the caller). */
  public ServerServiceDefinition peerService(ServerServiceDefinition service, ServerInterceptor identify) {
    return on() ? ServerInterceptors.intercept(service, PeerTraffic.server(instruments, otherBanks), identify)
        : ServerInterceptors.intercept(service, identify);
  }

  /** What the event loop reports to. */
  public LoopEvents loopEvents() {
    return on() ? instruments : LoopEvents.NONE;
  }

  /** Registers the gauges: the loop's backlog, read by {@code backlog}, and whether each peer link is up. */
  public void watch(Supplier<CompletableFuture<Backlog>> backlog, Predicate<String> linkUp) {
    if (on()) {
      gauges = new BankGauges(provider.get("dev.distribank.node"), backlog, otherBanks, linkUp, System::nanoTime);
    }
  }

  /** Every metric now, in Prometheus' text format; one scrape at a time, so gauges are read once per scrape. */
  public synchronized String scrape() {
    return on() ? PrometheusText.write(reader.collect(), resource) : "";
  }

  /**
   * Serves {@link #scrape} at {@code http://address/metrics} (plaintext). Throws naming the address and
   * {@code --metrics-listen} when the port cannot be bound.
   */
  public void serve(InetSocketAddress address) throws IOException {
    if (!on()) {
      return;
    }
    try {
      server = MetricsServer.start(address, this::scrape, bank);
    } catch (IOException e) {
      throw new IOException("cannot serve metrics on " + address.getHostString() + ":" + address.getPort()
          + " (--metrics-listen): " + e.getMessage(), e);
    }
  }

  /** The metrics port actually bound, or -1 when not serving. */
  public int port() {
    return server == null ? -1 : server.port();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    if (gauges != null) {
      gauges.close();
    }
    if (provider != null) {
      provider.close();
    }
  }

  /** An OpenTelemetry with this node's meters only: gRPC's tracing stays off, nothing is propagated. */
  private static OpenTelemetry openTelemetry(MeterProvider meters) {
    return new OpenTelemetry() {
      @Override
      public TracerProvider getTracerProvider() {
        return TracerProvider.noop();
      }

      @Override
      public MeterProvider getMeterProvider() {
        return meters;
      }

      @Override
      public ContextPropagators getPropagators() {
        return ContextPropagators.noop();
      }
    };
  }
}
