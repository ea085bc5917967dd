package dev.distribank.node;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.distribank.node.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything a bank node needs to start: who it is, where it listens, where it keeps its data.
 *
 * @param bank the bank id, {@code [a-z][a-z0-9-]{1,15}}
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one (tests)
 * @param dataDir the RocksDB directory, created if missing
 * @param adminToken the bearer token of AdminService calls; never defaulted
 * @param sessionTtl how long a login token lives
 * @param passwordIterations PBKDF2 iterations for new password hashes (existing hashes keep their own count)
 * @param peers every bank of the consortium (this one included): id → HOST:PORT of its peer port
 * @param tls this bank's certificate, key and the consortium CA; null serves plaintext, allowed for a lone bank only
 * @param peerListen HOST:PORT of the peer port (mutual TLS, PeerService only); "" listens on {@code host} at the port
 *     of this bank's own entry in {@code peers}; port 0 picks a free one (tests)
 * @param healthListen HOST:PORT of the plaintext, health-only port, for probes that cannot speak TLS; "" for none
 * @param voteBatching whether the YES votes of one batch share one signature; off while a consortium still has banks
 *     of a version that checks each vote's signature alone (a rolling upgrade)
 * @param metricsListen HOST:PORT of the plaintext HTTP port serving {@code /metrics} (Prometheus); "" for none (no
 *     metrics are kept then); port 0 picks a free one (tests)
 * @param peerKeepalive how long a peer connection may go without reading anything before this node pings it, and
 *     closes it if the ping is not answered in {@link #PEER_KEEPALIVE_TIMEOUT} (a silently cut link is dialled again
 *     instead of waiting on TCP's retransmissions); zero for no pings
 */
public record NodeConfig(
    String bank,
    String host,
    int port,
    Path dataDir,
    String adminToken,
    Duration sessionTtl,
    int passwordIterations,
    Map<String, String> peers,
    TlsFiles tls,
    String peerListen,
    String healthListen,
    boolean voteBatching,
    String metricsListen,
    Duration peerKeepalive) {

  /** Pings on an idle peer connection after 10 s (gRPC's shortest), each answered within 5 s or the link is redialled. */
  public static final Duration DEFAULT_PEER_KEEPALIVE = Duration.ofSeconds(10);
  public static final Duration PEER_KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);

  /** A node that pings its peer connections after the default idle time. */
  public NodeConfig(String bank, String host, int port, Path dataDir, String adminToken, Duration sessionTtl,
      int passwordIterations, Map<String, String> peers, TlsFiles tls, String peerListen, String healthListen,
      boolean voteBatching, String metricsListen) {
    this(bank, host, port, dataDir, adminToken, sessionTtl, passwordIterations, peers, tls, peerListen, healthListen,
        voteBatching, metricsListen, DEFAULT_PEER_KEEPALIVE);
  }

  /** A node that batches its vote signatures. */
  public NodeConfig(String bank, String host, int port, Path dataDir, String adminToken, Duration sessionTtl,
      int passwordIterations, Map<String, String> peers, TlsFiles tls, String peerListen, String healthListen) {
    this(bank, host, port, dataDir, adminToken, sessionTtl, passwordIterations, peers, tls, peerListen, healthListen,
        true);
  }

  /** A node without a metrics port. */
  public NodeConfig(String bank, String host, int port, Path dataDir, String adminToken, Duration sessionTtl,
      int passwordIterations, Map<String, String> peers, TlsFiles tls, String peerListen, String healthListen,
      boolean voteBatching) {
    this(bank, host, port, dataDir, adminToken, sessionTtl, passwordIterations, peers, tls, peerListen, healthListen,
        voteBatching, "");
  }

  /** OWASP's 2023 floor for PBKDF2-HMAC-SHA256. */
  public static final int MIN_PASSWORD_ITERATIONS = 210_000;

  public static final Pattern BANK_ID = Pattern.compile("[a-z][a-z0-9-]{1,15}");

  public NodeConfig {
    checkNotNull(bank, "bank");
    checkArgument(BANK_ID.matcher(bank).matches(), "bank id '%s' must match %s", bank, BANK_ID);
    checkNotNull(host, "host");
    checkArgument(peerKeepalive.isZero() || peerKeepalive.compareTo(DEFAULT_PEER_KEEPALIVE) >= 0,
        "peer keepalive %s: zero (none) or at least %s, gRPC's shortest", peerKeepalive, DEFAULT_PEER_KEEPALIVE);
    checkArgument(port >= 0 && port <= 65535, "port %s out of range", port);
    checkNotNull(dataDir, "dataDir");
    checkNotNull(adminToken, "adminToken");
    checkArgument(adminToken.length() >= 8, "the admin token must have at least 8 characters");
    checkArgument(!sessionTtl.isNegative() && !sessionTtl.isZero(), "sessionTtl must be positive");
    checkArgument(passwordIterations >= 1, "passwordIterations must be positive");
    peers = Map.copyOf(peers);
    checkArgument(peers.containsKey(bank), "bank %s is not in the peer list %s", bank, peers.keySet());
    checkArgument(tls != null || peers.size() == 1, "a consortium of %s banks needs TLS: the banks prove who they "
        + "are with certificates from the consortium CA", peers.size());
    checkNotNull(peerListen, "peerListen");
    checkNotNull(healthListen, "healthListen");
    checkArgument(peerListen.isEmpty() || ADDRESS.matcher(peerListen).matches(), "peer listen address '%s' must be "
        + "HOST:PORT", peerListen);
    checkArgument(healthListen.isEmpty() || ADDRESS.matcher(healthListen).matches(), "health listen address '%s' "
        + "must be HOST:PORT", healthListen);
    checkNotNull(metricsListen, "metricsListen");
    checkArgument(metricsListen.isEmpty() || ADDRESS.matcher(metricsListen).matches(), "metrics listen address '%s' "
        + "must be HOST:PORT", metricsListen);
    if (peerListen.isEmpty() && peers.size() > 1) {
      String own = peers.get(bank);
      peerListen = host + own.substring(own.lastIndexOf(':'));
    }
  }

  /** Whether {@code address} is HOST:PORT with a port from 1 to 65535. */
  public static boolean isAddress(String address) {
    if (!ADDRESS.matcher(address).matches()) {
      return false;
    }
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }

  /** Splits HOST:PORT (a checked address) into a socket address. */
  public static java.net.InetSocketAddress socket(String address) {
    int colon = address.lastIndexOf(':');
    String h = address.substring(0, colon);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return new java.net.InetSocketAddress(h, Integer.parseInt(address.substring(colon + 1)));
  }

  /** Whether this node has a peer port: it has TLS and at least one other bank to talk to. */
  public boolean hasPeerPort() {
    return tls != null && peers.size() > 1;
  }

  /**
   * A node on a free loopback port with a low password-hash cost, for tests that create many customers quickly.
   * The hashing itself is tested at full cost.
   */
  public static NodeConfig forTest(String bank, Path dataDir) {
    return new NodeConfig(bank, "127.0.0.1", 0, dataDir, "test-admin-token", Duration.ofHours(1), 1_000,
        Map.of(bank, "127.0.0.1:0"), null, "", "");
  }

  public NodeConfig withPort(int newPort) {
    return new NodeConfig(bank, host, newPort, dataDir, adminToken, sessionTtl, passwordIterations, peers, tls,
        peerListen, healthListen, voteBatching, metricsListen, peerKeepalive);
  }

  /** The same node in a consortium of {@code allBanks} (id → HOST:PORT of its peer port, this bank included). */
  public NodeConfig withPeers(Map<String, String> allBanks, TlsFiles files) {
    return new NodeConfig(bank, host, port, dataDir, adminToken, sessionTtl, passwordIterations, allBanks, files,
        "", healthListen, voteBatching, metricsListen, peerKeepalive);
  }

  /** The same node with TLS on its public port (and, with peers, mutual TLS on its peer port). */
  public NodeConfig withTls(TlsFiles files) {
    return new NodeConfig(bank, host, port, dataDir, adminToken, sessionTtl, passwordIterations, peers, files,
        peerListen, healthListen, voteBatching, metricsListen, peerKeepalive);
  }

  public NodeConfig withHealthListen(String address) {
    return new NodeConfig(bank, host, port, dataDir, adminToken, sessionTtl, passwordIterations, peers, tls,
        peerListen, address, voteBatching, metricsListen, peerKeepalive);
  }

  /** The same node, its vote signatures batched or one per vote. */
  public NodeConfig withVoteBatching(boolean batched) {
    return new NodeConfig(bank, host, port, dataDir, adminToken, sessionTtl, passwordIterations, peers, tls,
        peerListen, healthListen, batched, metricsListen, peerKeepalive);
  }

  /** The same node serving {@code /metrics} on {@code address} (HOST:PORT; "" for no metrics). */
  public NodeConfig withMetricsListen(String address) {
    return new NodeConfig(bank, host, port, dataDir, adminToken, sessionTtl, passwordIterations, peers, tls,
        peerListen, healthListen, voteBatching, address, peerKeepalive);
  }

  /** Everything but the admin token, which no log or error message may show. */
  @Override
  public String toString() {
    return "NodeConfig[bank=" + bank + ", host=" + host + ", port=" + port + ", dataDir=" + dataDir
        + ", adminToken=(hidden), sessionTtl=" + sessionTtl + ", passwordIterations=" + passwordIterations
        + ", peers=" + peers + ", tls=" + tls + ", peerListen=" + peerListen + ", healthListen=" + healthListen
        + ", voteBatching=" + voteBatching + ", metricsListen=" + metricsListen + "]";
  }

  /**
   * Parses {@code alpha=127.0.0.1:7001,beta=127.0.0.1:7002}: ids must be valid and distinct, addresses HOST:PORT.
   * Throws IllegalArgumentException naming the first bad entry.
   */
  public static Map<String, String> parsePeers(String text) {
    var out = new java.util.TreeMap<String, String>();
    for (String entry : text.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int eq = e.indexOf('=');
      checkArgument(eq > 0, "peer entry '%s' must be bank=HOST:PORT", e);
      String id = e.substring(0, eq).trim();
      String address = e.substring(eq + 1).trim();
      checkArgument(BANK_ID.matcher(id).matches(), "peer id '%s' must match %s", id, BANK_ID);
      checkArgument(ADDRESS.matcher(address).matches(), "peer %s has address '%s'; expected HOST:PORT", id, address);
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      checkArgument(port >= 1 && port <= 65535, "peer %s has port %s out of range", id, port);
      checkArgument(out.put(id, address) == null, "bank id '%s' appears twice in the peer list", id);
    }
    return out;
  }

  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}");
}
