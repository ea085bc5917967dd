package dev.distribank.node.testing;

import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.tls.TlsFiles;
import dev.distribank.pki.Consortium;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * N real bank nodes in this JVM, each with its own RocksDB directory, a public port (TLS) and a peer port (mutual
 * TLS) on loopback, and certificates from a consortium CA made for the cluster as {@code bank-admin pki init} does.
 */
public final class LocalCluster implements AutoCloseable {
  /** Certificates are re-read this often, so rotation tests need not wait long. */
  public static final Duration TLS_RELOAD = Duration.ofMillis(500);
  private final Map<String, BankNode> nodes = new LinkedHashMap<>();
  private final Map<String, Clients> clients = new LinkedHashMap<>();
  private final Map<String, NodeConfig> configs = new LinkedHashMap<>();
  private final Path pki;

  public LocalCluster(Path dir, List<String> banks) throws IOException {
    this(dir, banks, UnaryOperator.identity());
  }

  /** The same, each bank's configuration passed through {@code adjust} (e.g. to serve metrics on port 0). */
  public LocalCluster(Path dir, List<String> banks, UnaryOperator<NodeConfig> adjust) throws IOException {
    this.pki = dir.resolve("pki");
    Consortium.init(pki, banks, Map.of(), Duration.ofDays(30));
    var peers = new LinkedHashMap<String, String>();
    // Each socket stays open until all are picked, so no two banks are given the same port.
    var held = new ArrayList<ServerSocket>();
    try {
      for (String bank : banks) {
        var socket = holdFreePort();
        held.add(socket);
        peers.put(bank, "127.0.0.1:" + socket.getLocalPort());
      }
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
    // Public ports are bound as 0 (the node reports the port it got); peer ports must be known to every bank up
    // front, so they are picked free here, below the kernel's ephemeral range: a port from that range was once taken,
    // between being picked and being bound, by a connection the banks started first had opened to one another.
    for (String bank : banks) {
      configs.put(bank, adjust.apply(NodeConfig.forTest(bank, dir.resolve(bank))
          .withPeers(peers, TlsFiles.inDirectory(pki, bank).withReload(TLS_RELOAD))));
    }
    for (String bank : banks) {
      start(bank);
    }
    awaitAllUp();
  }

  /** Waits until every node's health watch sees every other bank UP, as a client would before using a cluster. */
  public void awaitAllUp() {
    long deadline = System.nanoTime() + 30_000_000_000L;
    for (String bank : nodes.keySet()) {
      while (true) {
        var status = at(bank).admin("test-admin-token").getClusterStatus(
            dev.distribank.proto.bank.v1.GetClusterStatusRequest.getDefaultInstance());
        if (status.getBanksList().stream()
            .allMatch(b -> b.getState() == dev.distribank.proto.bank.v1.PeerState.PEER_STATE_UP)) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not come up: " + status);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  public void start(String bank) throws IOException {
    BankNode node = BankNode.start(configs.get(bank));
    nodes.put(bank, node);
    clients.put(bank, new Clients(node.port(), pki.resolve("ca.pem")));
  }

  public void stop(String bank) throws InterruptedException {
    clients.remove(bank).close();
    nodes.remove(bank).close();
  }

  /** As SIGTERM does: the node stops gracefully while its clients' calls may still be in flight; then they go. */
  public void terminate(String bank) throws InterruptedException {
    nodes.remove(bank).close();
    clients.remove(bank).close();
  }

  public Clients at(String bank) {
    return clients.get(bank);
  }

  /** The cluster's certificate directory: ca.pem, ca.key, ca.crl and one certificate and key per bank. */
  public Path pki() {
    return pki;
  }

  public NodeConfig config(String bank) {
    return configs.get(bank);
  }

  public BankNode node(String bank) {
    return nodes.get(bank);
  }

  public List<String> banks() {
    return new ArrayList<>(configs.keySet());
  }

  public static int freePort() throws IOException {
    try (var socket = holdFreePort()) {
      return socket.getLocalPort();
    }
  }

  /**
   * A socket bound to a free loopback port in 22000..31999: below Linux's ephemeral range (32768..60999), where
   * outgoing connections take their ports, and above the ports the deploy scripts' clusters use (17100..19999).
   */
  private static ServerSocket holdFreePort() throws IOException {
    var random = java.util.concurrent.ThreadLocalRandom.current();
    IOException last = null;
    for (int attempt = 0; attempt < 200; attempt++) {
      var socket = new ServerSocket();
      try {
        socket.bind(new java.net.InetSocketAddress("127.0.0.1", 22_000 + random.nextInt(10_000)));
        return socket;
      } catch (IOException taken) {
        socket.close();
        last = taken;
      }
    }
    throw new IOException("no free port in 22000..31999", last);
  }

  @Override
  public void close() throws InterruptedException {
    for (String bank : List.copyOf(nodes.keySet())) {
      stop(bank);
    }
  }
}
