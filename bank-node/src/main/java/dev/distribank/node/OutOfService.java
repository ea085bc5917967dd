package dev.distribank.node;

import dev.distribank.node.api.NoSuchMethod;
import dev.distribank.node.tls.NodeTls;
import io.grpc.ForwardingServerCall;
import io.grpc.HandlerRegistry;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds a bank node's ports while its data directory has no room and its state is not in memory: every port answers
 * {@code grpc.health.v1} NOT_SERVING, with the reason in a {@value #DETAIL_HEADER} trailer, and every other call
 * UNAVAILABLE {@code DISK_FULL} with a RetryInfo. So probes, peers and clients learn why, instead of meeting a closed
 * port or a node that crash-loops under its supervisor.
 */
final class OutOfService implements AutoCloseable {
  /** The trailer of a health answer that says why the node is NOT_SERVING. */
  static final String DETAIL_HEADER = "distribank-not-serving";
  private static final Metadata.Key<String> DETAIL = Metadata.Key.of(DETAIL_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String ADMIN_SERVICE = "bank.v1.AdminService/";
  /** Bind attempts per port: the node that stopped has just closed it. */
  private static final int BIND_ATTEMPTS = 10;

  private final byte[] adminBearer;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("bank-out-of-service").daemon().factory());
  private final NodeTls tls;
  private final List<Server> servers = new ArrayList<>();
  private volatile DiskFullReport report;

  private OutOfService(NodeConfig config, DiskFullReport report) throws IOException {
    this.report = report;
    this.adminBearer = ("Bearer " + config.adminToken()).getBytes(StandardCharsets.UTF_8);
    this.tls = config.tls() == null ? null : new NodeTls(config.bank(), config.peers().keySet(), config.tls(), timers);
  }

  /** Binds the node's public, peer and health ports (as it would) and answers on them as {@code report} says. */
  static OutOfService start(NodeConfig config, DiskFullReport report) throws IOException {
    var out = new OutOfService(config, report);
    try {
      out.bind(new InetSocketAddress(config.host(), config.port()),
          out.tls == null ? InsecureServerCredentials.create() : out.tls.publicServer(), Port.PUBLIC);
      if (config.hasPeerPort()) {
        out.bind(NodeConfig.socket(config.peerListen()), out.tls.peerServer(), Port.PEER);
      }
      if (!config.healthListen().isEmpty()) {
        out.bind(NodeConfig.socket(config.healthListen()), InsecureServerCredentials.create(), Port.HEALTH);
      }
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    return out;
  }

  /** Answers from now on as {@code now} says (free space measured again, the store's latest words). */
  void report(DiskFullReport now) {
    this.report = now;
  }

  /** Which port: the public one tells the operator's detail only to AdminService calls with the admin token. */
  private enum Port { PUBLIC, PEER, HEALTH }

  private void bind(InetSocketAddress address, ServerCredentials credentials, Port port) throws IOException {
    var health = new HealthStatusManager();
    BankNode.SERVICES.forEach(s -> health.setStatus(s, ServingStatus.NOT_SERVING));
    ServerServiceDefinition healthService =
        ServerInterceptors.intercept(health.getHealthService().bindService(), detailTrailer(port != Port.PUBLIC));
    for (int attempt = 1; ; attempt++) {
      Server server = NettyServerBuilder.forAddress(address, credentials).addService(healthService)
          .fallbackHandlerRegistry(new Refuse(port)).build();
      try {
        servers.add(server.start());
        return;
      } catch (IOException inUse) {
        if (attempt == BIND_ATTEMPTS) {
          throw new IOException("cannot bind " + address + " to report the full disk: " + inUse.getMessage(), inUse);
        }
        sleep(200);
      }
    }
  }

  /** Adds why the node is NOT_SERVING to every health answer: the operator's words, or the clients'. */
  private ServerInterceptor detailTrailer(boolean operator) {
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
          ServerCallHandler<Q, A> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            DiskFullReport now = report;
            trailers.put(DETAIL, ascii(DiskFullReport.REASON + ": "
                + (operator ? now.forOperator() : now.forClients())));
            super.close(status, trailers);
          }
        }, headers);
      }
    };
  }

  /** Every method but health: UNAVAILABLE DISK_FULL, at once, without reading the request. */
  private final class Refuse extends HandlerRegistry {
    private final Port port;

    Refuse(Port port) {
      this.port = port;
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      var method = MethodDescriptor.newBuilder(NoSuchMethod.BYTES, NoSuchMethod.BYTES)
          .setType(MethodDescriptor.MethodType.UNKNOWN).setFullMethodName(methodName).build();
      ServerCallHandler<InputStream, InputStream> refuse = (call, headers) -> {
        boolean operator = port != Port.PUBLIC || methodName.startsWith(ADMIN_SERVICE) && isAdmin(headers);
        StatusRuntimeException e = StatusProto.toStatusRuntimeException(report.status(operator));
        call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
        return new ServerCall.Listener<>() {};
      };
      return ServerMethodDefinition.create(method, refuse);
    }
  }

  private boolean isAdmin(Metadata headers) {
    String given = headers.get(AUTHORIZATION);
    return given != null && MessageDigest.isEqual(adminBearer, given.getBytes(StandardCharsets.UTF_8));
  }

  /** Printable ASCII only (a metadata value allows no more), at most 2,000 characters. */
  static String ascii(String text) {
    var out = new StringBuilder(Math.min(text.length(), 2_000));
    for (int i = 0; i < text.length() && out.length() < 2_000; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding", e);
    }
  }

  /** Closes every port (calls are answered at once, so none is in flight for long) and stops re-reading TLS files. */
  @Override
  public void close() {
    servers.forEach(Server::shutdownNow);
    try {
      for (Server s : servers) {
        s.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (tls != null) {
      tls.close();
    }
    timers.shutdownNow();
  }
}
