package dev.distribank.node;

import dev.distribank.node.api.AdminServiceImpl;
import dev.distribank.node.api.Auditor;
import dev.distribank.node.api.BankServiceImpl;
import dev.distribank.node.api.Caller;
import dev.distribank.node.api.MalformedRequests;
import dev.distribank.node.api.NoSuchMethod;
import dev.distribank.node.app.BankApplication;
import dev.distribank.node.app.LoopBankApplication;
import dev.distribank.node.auth.HashingPool;
import dev.distribank.node.auth.LoginThrottle;
import dev.distribank.node.auth.PasswordHasher;
import dev.distribank.node.auth.Sessions;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.order.OrderConfig;
import dev.distribank.node.core.order.OrderCore;
import dev.distribank.node.core.order.VoteSigner;
import dev.distribank.node.loop.BankState;
import dev.distribank.node.log.LogFields;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.node.metrics.Backlog;
import dev.distribank.node.metrics.NodeMetrics;
import dev.distribank.node.peer.ConsortiumView;
import dev.distribank.node.peer.PeerClients;
import dev.distribank.node.peer.PeerHealth;
import dev.distribank.node.peer.PeerLinks;
import dev.distribank.node.peer.PeerServiceImpl;
import dev.distribank.node.store.Recovery;
import dev.distribank.node.store.Store;
import dev.distribank.node.tls.NodeTls;
import dev.distribank.node.tls.PeerCertificates;
import dev.distribank.proto.bank.v1.AdminServiceGrpc;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.rocksdb.RocksDBException;

/**
 * A running bank node: recovers its state from RocksDB, starts its event loop, serves gRPC (bank.v1, health,
 * reflection) and stops gracefully. Health says SERVING only once all of that is done.
 */
public final class BankNode implements AutoCloseable {
  private static final Logger log = Logger.getLogger(BankNode.class.getName());
  /**
   * Connections that fail before they speak gRPC (HTTP/1, TLS to a plaintext port, random bytes) are anyone's to open,
   * and grpc-java reports each one at INFO with a stack trace. Kept to WARNING, so a flood of them cannot flood the
   * log; held in a field, because the logging framework keeps loggers only weakly.
   */
  private static final Logger TRANSPORT_LOG =
      Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport");

  /**
   * grpc-java logs a stream that the other side reset while writes were pending ("Stream Error") at WARNING with a
   * stack trace: any peer or client can trigger it at will, and a restarting peer does it as a matter of course.
   */
  private static final Logger HANDLER_LOG =
      Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");

  static {
    TRANSPORT_LOG.setLevel(java.util.logging.Level.WARNING);
    HANDLER_LOG.setLevel(java.util.logging.Level.SEVERE);
  }
  /** The ordering protocol's timing: its tick drives re-sends and time-outs. */
  static final OrderConfig ORDER = OrderConfig.DEFAULT;
  /** How long start-up waits for in-doubt transactions to settle before it reports SERVING anyway. */
  static final long IN_DOUBT_WAIT_MILLIS = 5_000;
  /** How long a graceful stop lets the calls in flight finish before it cancels them. */
  static final long DRAIN_SECONDS = 10;
  /** Sign-ups and sign-ins waiting for a password hash, at most; past it they are refused RESOURCE_EXHAUSTED. */
  static final int HASHING_QUEUE = 64;
  /** The health service names a node reports on: the server as a whole, and each of its services. */
  static final List<String> SERVICES =
      List.of("", BankServiceGrpc.SERVICE_NAME, AdminServiceGrpc.SERVICE_NAME);

  private final NodeConfig config;
  private final Store store;
  private final EventLoop loop;
  private final HashingPool hashing;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("bank-timers").daemon().factory());
  private final PeerLinks peers;
  private final PeerClients peerClients;
  private final PeerHealth peerHealth;
  private final NodeTls tls;
  /** The public port's server first, then the peer port's (if any), then the health port's (if any). */
  private final List<Server> servers;
  private final Server server;
  private final int healthServerIndex;
  private final BankState state;
  /** Whether health was told NOT_SERVING for good (a failed write, or a stop). */
  private boolean terminal;
  private final NodeMetrics metrics;

  private BankNode(NodeConfig config) throws IOException, RocksDBException {
    this.config = config;
    // Health answers NOT_SERVING from the moment the port opens until recovery is done.
    SERVICES.forEach(s -> health.setStatus(s, ServingStatus.NOT_SERVING));
    this.tls = config.tls() == null ? null : new NodeTls(config.bank(), config.peers().keySet(), config.tls(), timers);
    try {
      this.store = Store.open(config.dataDir());
    } catch (RocksDBException | RuntimeException e) {
      closeTls();
      throw e;
    }
    var others = new java.util.TreeSet<>(config.peers().keySet());
    others.remove(config.bank());
    this.metrics = config.metricsListen().isEmpty() ? NodeMetrics.OFF : NodeMetrics.of(config.bank(), others);
    var bank = new Bank(config.bank());
    VoteSigner signer = tls == null ? VoteSigner.ALONE : tls.voteSigner();
    var core = new OrderCore(config.bank(), config.peers().keySet(), bank, store.history(), signer,
        ORDER.withBatchVoteSignatures(config.voteBatching()));
    var random = new SecureRandom();
    var sessions = new Sessions(random, Clock.systemUTC(), config.sessionTtl());
    this.state = new BankState(bank, core, sessions, store, UUID::randomUUID);
    var links = new AtomicReference<PeerLinks>();
    this.loop = new EventLoop(state, envelopes -> links.get().send(envelopes));
    loop.reportTo(metrics.loopEvents());
    this.peerClients = new PeerClients(config.bank(), config.peers(), tls == null ? null : tls::peerChannel,
        metrics::configurePeerChannel, config.peerKeepalive(), NodeConfig.PEER_KEEPALIVE_TIMEOUT);
    this.peers = new PeerLinks(config.bank(), peerClients.channels(),
        (envelopes, done) -> {
          // Check the votes' signatures here, on the stream's own thread, rather than on the one event loop.
          envelopes.forEach(e -> signer.proveAhead(config.bank(), e.message()));
          return loop.execute(s -> {
            envelopes.forEach(s.core()::receive);
            done.run();
          });
        },
        peer -> loop.control(s -> s.core().linkUp(peer)), timers);
    links.set(peers);
    metrics.watch(() -> loop.controlCall(BankNode::backlog), peers::connected);
    this.peerHealth = new PeerHealth(peerClients.channels(),
        (peer, up) -> loop.control(s -> s.core().peerState(peer, up)), Clock.systemUTC());
    this.hashing = new HashingPool(HashingPool.defaultThreads(), HASHING_QUEUE);
    // The one way in for every service: the application runs each call on the loop.
    BankApplication app = new LoopBankApplication(loop, config.peers().keySet(),
        new PasswordHasher(config.passwordIterations(), random), hashing, new LoginThrottle(Clock.systemUTC()),
        config.adminToken(), new ConsortiumView(config, peerHealth, peers, loop::refusedFrom));
    var caller = new Caller();
    // Every service behind the malformed-request guard: bytes that are not a request get INVALID_ARGUMENT, quietly.
    var servers = new ArrayList<Server>();
    servers.add(metrics.configure(NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()),
            tls == null ? InsecureServerCredentials.create() : tls.publicServer()), true)
        .addService(MalformedRequests.guard(ServerInterceptors.intercept(new BankServiceImpl(app), caller)))
        .addService(MalformedRequests.guard(ServerInterceptors.intercept(new AdminServiceImpl(app,
            new Auditor(app, peerClients, config.peers().keySet())), caller)))
        .addService(MalformedRequests.guard(health.getHealthService().bindService()))
        .addService(MalformedRequests.guard(ProtoReflectionServiceV1.newInstance().bindService()))
        .fallbackHandlerRegistry(new NoSuchMethod())
        .build());
    if (config.hasPeerPort()) {
      // The other banks' port: mutual TLS admits only certificates of the consortium CA naming one of its banks.
      // Other banks ping their connections here when idle (--peer-keepalive-seconds, 10 s at the shortest).
      servers.add(metrics.configure(NettyServerBuilder.forAddress(NodeConfig.socket(config.peerListen()),
              tls.peerServer()).permitKeepAliveTime(5, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true), false)
          .addService(MalformedRequests.guard(metrics.peerService(new PeerServiceImpl(peers, app).bindService(),
              new PeerCertificates())))
          .addService(MalformedRequests.guard(health.getHealthService().bindService()))
          .fallbackHandlerRegistry(new NoSuchMethod())
          .build());
    }
    if (!config.healthListen().isEmpty()) {
      // For probes that cannot speak TLS (Kubernetes' grpc probes): health and nothing else, in plaintext.
      healthServerIndex = servers.size();
      servers.add(metrics.configure(NettyServerBuilder.forAddress(NodeConfig.socket(config.healthListen()),
              InsecureServerCredentials.create()), false)
          .addService(MalformedRequests.guard(health.getHealthService().bindService()))
          .fallbackHandlerRegistry(new NoSuchMethod()).build());
    } else {
      healthServerIndex = -1;
    }
    this.servers = List.copyOf(servers);
    this.server = this.servers.get(0);
  }

  /**
   * Opens the port (health NOT_SERVING), recovers from the store, reconnects to the other banks, settles what it can
   * of the transactions left in doubt, and only then reports SERVING. Calls arriving meanwhile wait in the loop's
   * queue.
   */
  public static BankNode start(NodeConfig config) throws IOException {
    BankNode node = null;
    try {
      node = new BankNode(config);
      if (!config.metricsListen().isEmpty()) {
        node.metrics.serve(NodeConfig.socket(config.metricsListen()));
      }
      for (Server s : node.servers) {
        s.start();
      }
      Recovery.load(node.store, node.state.bank(), node.state.core());
      node.state.sessions().restore(node.store.sessions());
      node.state.core().resume();
    } catch (IOException | RocksDBException | RuntimeException e) {
      if (node != null) {
        node.servers.forEach(Server::shutdownNow);
        node.metrics.close();
        node.closeTls();
        node.store.close();
      }
      throw new IOException("bank " + config.bank() + " cannot start (data in " + config.dataDir() + "): "
          + e.getMessage(), e);
    }
    BankNode ready = node;
    ready.loop.start();
    try {
      // Write whatever recovery resolved (aborts of what this bank never decided) before saying we serve.
      ready.loop.controlCall(s -> null).join();
      ready.peers.start();
      ready.peerHealth.start(ready.timers);
      ready.timers.scheduleAtFixedRate(ready::tick, ORDER.tickMillis(), ORDER.tickMillis(), TimeUnit.MILLISECONDS);
      ready.awaitInDoubtSettled();
    } catch (RuntimeException e) {
      // A write failed before the node served (a full disk, say): nothing was answered, and the ports are let go.
      ready.close();
      throw new IOException("bank " + config.bank() + " cannot start (data in " + config.dataDir() + "): "
          + e.getMessage(), e);
    }
    if (ready.failed()) {
      // The loop died after start-up's last write: the tick takes the node down; it never says SERVING.
      return ready;
    }
    SERVICES.forEach(s -> ready.health.setStatus(s, ServingStatus.SERVING));
    LogFields.NONE.bank(config.bank()).info(log, () -> "bank " + config.bank() + " serving "
        + (ready.tls == null ? "plaintext" : "TLS") + " on "
        + config.host() + ":" + ready.port() + (ready.peerPort() < 0 ? "" : ", peers (mutual TLS) on port "
        + ready.peerPort()) + (ready.healthPort() < 0 ? "" : ", health (plaintext) on port " + ready.healthPort())
        + (ready.metricsPort() < 0 ? "" : ", metrics (plaintext HTTP) on port " + ready.metricsPort())
        + " (data in " + config.dataDir() + ")");
    if (ready.tls == null) {
      log.warning(() -> "bank " + config.bank() + " has no certificate: clients reach it in plaintext. Give "
          + "--pki-dir (bank-admin pki init) for TLS.");
    }
    return ready;
  }

  /** Time passes for the core; and a loop that died on a failed durable write takes the node down with it. */
  private void tick() {
    if (loop.failure() == null) {
      loop.control(s -> s.core().tick());
      return;
    }
    // Memory may be ahead of disk: stop answering anything, report NOT_SERVING, and end awaitTermination (main then
    // waits for room if the disk is full, else exits non-zero, so a supervisor restarts the node; either way a new
    // node recovers from what is on disk).
    notServingForGood();
    servers.forEach(Server::shutdownNow);
    timers.shutdown();
  }

  /** NOT_SERVING on every port from now on; once only, since the health service warns of a second time. */
  private synchronized void notServingForGood() {
    if (!terminal) {
      terminal = true;
      SERVICES.forEach(s -> health.setStatus(s, ServingStatus.NOT_SERVING));
      health.enterTerminalState();
    }
  }

  /** What waits on the loop, for the gauges: read on the loop, which owns it. */
  private static Backlog backlog(BankState s) {
    var core = s.core();
    return new Backlog(core.undecidedVotes(), core.oldestUndecidedTicks() * ORDER.tickMillis(), core.pendingVotes(),
        core.deliveryHeadTicks() * ORDER.tickMillis(), core.clock(), s.bank().consentsInForce());
  }

  /** Whether the node stopped because a durable write failed. */
  public boolean failed() {
    return loop.failure() != null;
  }

  /** Why the node stopped on a failed durable write or a broken invariant; null while it runs or after a clean stop. */
  public Throwable failure() {
    return loop.failure();
  }

  /**
   * Gives the coordinators of the votes this bank recovered undecided a few seconds to answer its inquiries (sent on
   * resume). A coordinator that is down keeps its transactions in doubt; the node serves anyway and they settle when
   * it returns.
   */
  private void awaitInDoubtSettled() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IN_DOUBT_WAIT_MILLIS);
    int inDoubt = loop.controlCall(s -> s.core().undecidedVotes()).join();
    while (inDoubt > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      inDoubt = loop.controlCall(s -> s.core().undecidedVotes()).join();
    }
    int left = inDoubt;
    if (left > 0) {
      log.warning(() -> left + " transaction(s) still in doubt after recovery; they settle when their coordinators "
          + "answer");
    }
  }

  /** The public port actually bound (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  /** The peer port actually bound, or -1 for a bank without one. */
  public int peerPort() {
    return config.hasPeerPort() ? servers.get(1).getPort() : -1;
  }

  /** The plaintext metrics port actually bound, or -1 for none. */
  public int metricsPort() {
    return metrics.port();
  }

  /** The plaintext health port actually bound, or -1 for none. */
  public int healthPort() {
    return healthServerIndex < 0 ? -1 : servers.get(healthServerIndex).getPort();
  }

  private void closeTls() {
    if (tls != null) {
      tls.close();
    }
  }

  public NodeConfig config() {
    return config;
  }

  /** This bank's links to the others (their state and outbound queues: a gauge for operators and tests). */
  public PeerLinks peerLinks() {
    return peers;
  }

  public void awaitTermination() throws InterruptedException {
    for (Server s : servers) {
      s.awaitTermination();
    }
  }

  /**
   * Graceful stop: report NOT_SERVING so probes and load balancers move away, let in-flight calls finish, then close
   * the loop (which writes what it has) and the store.
   */
  @Override
  public void close() {
    notServingForGood();
    // First the clients' port: no new calls, while the ones in flight finish with links and ticks still running, so
    // a cross-bank transfer under way completes instead of being cut off.
    Server clients = servers.get(0);
    clients.shutdown();
    try {
      if (!clients.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
        clients.shutdownNow();
        clients.awaitTermination(5, TimeUnit.SECONDS);
      }
      // Then the banks: links, probes and ticks stop, the peer and health ports close, the loop writes what it has.
      timers.shutdownNow();
      peers.close();
      peerClients.close();
      servers.forEach(Server::shutdownNow);
      for (Server s : servers) {
        s.awaitTermination(5, TimeUnit.SECONDS);
      }
      loop.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      servers.forEach(Server::shutdownNow);
    }
    closeTls();
    hashing.close();
    store.close();
    metrics.close();
    LogFields.NONE.bank(config.bank()).info(log, () -> "bank " + config.bank() + " stopped");
  }
}
