package dev.distribank.node;

import dev.distribank.node.log.LogFormat;
import dev.distribank.node.tls.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code bank-node}: runs one bank of the consortium until SIGTERM or Ctrl-C. */
@Command(name = "bank-node", mixinStandardHelpOptions = true, version = "bank-node 0.1.0",
    sortOptions = false,
    description = "Runs one DistriBank bank node: its customers, accounts, PIX keys and ledger, served over gRPC.%n"
        + "Every option can also be set by the environment variable shown.",
    footer = {"%nExample:%n  bank-node --bank alpha --listen 127.0.0.1:7001 --data-dir ./data/alpha "
        + "--admin-token \"$(cat data/admin-token)\" --pki-dir data/pki \\%n"
        + "      --peers alpha=127.0.0.1:7101,beta=127.0.0.1:7102"})
public final class BankNodeMain implements Callable<Integer> {

  @Option(names = "--bank", defaultValue = "${env:BANK_ID:-alpha}",
      description = "This bank's id, [a-z][a-z0-9-]{1,15} (env BANK_ID; default ${DEFAULT-VALUE}).")
  String bank;

  @Option(names = "--listen", defaultValue = "${env:BANK_LISTEN:-127.0.0.1:7001}",
      description = "HOST:PORT to serve gRPC on (env BANK_LISTEN; default ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--data-dir", defaultValue = "${env:BANK_DATA_DIR:-}",
      description = "RocksDB directory, created if missing (env BANK_DATA_DIR; default ./data/<bank>).")
  String dataDir;

  @Option(names = "--admin-token", defaultValue = "${env:BANK_ADMIN_TOKEN:-}",
      description = "Bearer token for AdminService calls, at least 8 characters; required, never defaulted "
          + "(env BANK_ADMIN_TOKEN).")
  String adminToken;

  @Option(names = "--session-ttl-minutes", defaultValue = "${env:BANK_SESSION_TTL_MINUTES:-60}",
      description = "How long a login token lives (env BANK_SESSION_TTL_MINUTES; default ${DEFAULT-VALUE}).")
  long sessionTtlMinutes;

  @Option(names = "--password-iterations", defaultValue = "${env:BANK_PASSWORD_ITERATIONS:-210000}",
      description = "PBKDF2-HMAC-SHA256 iterations for new passwords, at least 210000 "
          + "(env BANK_PASSWORD_ITERATIONS; default ${DEFAULT-VALUE}).")
  int passwordIterations;

  @Option(names = "--peers", defaultValue = "${env:BANK_PEERS:-}",
      description = "Every bank of the consortium, this one included: alpha=HOST:PORT,beta=HOST:PORT,... "
          + "(env BANK_PEERS; default: this bank alone).")
  String peers;

  @Option(names = "--cluster-file", defaultValue = "${env:BANK_CLUSTER_FILE:-}",
      description = "A file listing the consortium, one bank=HOST:PORT per line ('#' starts a comment); "
          + "instead of --peers (env BANK_CLUSTER_FILE).")
  String clusterFile;

  @Option(names = "--pki-dir", defaultValue = "${env:BANK_PKI_DIR:-}",
      description = "A directory written by 'bank-admin pki init': takes ca.pem, ca.crl, <bank>.pem and <bank>.key "
          + "from it (env BANK_PKI_DIR). Required with more than one bank, unless the four files are given below.")
  String pkiDir;

  @Option(names = "--tls-cert", defaultValue = "${env:BANK_TLS_CERT:-}",
      description = "This bank's certificate (PEM), served to clients and peers (env BANK_TLS_CERT).")
  String tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:BANK_TLS_KEY:-}",
      description = "Its private key (PEM, PKCS#8) (env BANK_TLS_KEY).")
  String tlsKey;

  @Option(names = "--ca-cert", defaultValue = "${env:BANK_CA_CERT:-}",
      description = "The consortium CA's certificate (PEM): peers must present a certificate it signed "
          + "(env BANK_CA_CERT).")
  String caCert;

  @Option(names = "--crl", defaultValue = "${env:BANK_CRL:-}",
      description = "The CA's revocation list (PEM); certificates on it are refused (env BANK_CRL; default ca.crl "
          + "beside --ca-cert).")
  String crl;

  @Option(names = "--tls-reload-seconds", defaultValue = "${env:BANK_TLS_RELOAD_SECONDS:-10}",
      description = "How often the certificate, key, CA and CRL files are re-read if they changed "
          + "(env BANK_TLS_RELOAD_SECONDS; default ${DEFAULT-VALUE}).")
  long tlsReloadSeconds;

  @Option(names = "--peer-listen", defaultValue = "${env:BANK_PEER_LISTEN:-}",
      description = "HOST:PORT of the peer port (mutual TLS; the other banks only) (env BANK_PEER_LISTEN; default: "
          + "the --listen host and the port of this bank's entry in --peers).")
  String peerListen;

  @Option(names = "--health-listen", defaultValue = "${env:BANK_HEALTH_LISTEN:-}",
      description = "HOST:PORT of a plaintext port serving only grpc.health.v1, for probes that cannot speak TLS "
          + "(env BANK_HEALTH_LISTEN; default: none).")
  String healthListen;

  @Option(names = "--vote-batching", defaultValue = "${env:BANK_VOTE_BATCHING:-true}", arity = "1",
      description = "Whether the YES votes of one batch share one signature: true or false (env BANK_VOTE_BATCHING; "
          + "default: ${DEFAULT-VALUE}). Give false while upgrading a consortium from a version that checks each "
          + "vote's signature alone, and true once every bank runs this one.")
  boolean voteBatching;

  @Option(names = "--disk-full-retry-seconds", defaultValue = "${env:BANK_DISK_FULL_RETRY_SECONDS:-5}",
      description = "While the data directory is full, the node stays up answering NOT_SERVING and UNAVAILABLE "
          + "DISK_FULL, and tries to open its store this often; once it opens, the node recovers from it and serves "
          + "(env BANK_DISK_FULL_RETRY_SECONDS; default ${DEFAULT-VALUE}).")
  long diskFullRetrySeconds;
  @Option(names = "--metrics-listen", defaultValue = "${env:BANK_METRICS_LISTEN:-}",
      description = "HOST:PORT of a plaintext HTTP port serving the node's metrics at /metrics, in Prometheus' text "
          + "format (env BANK_METRICS_LISTEN; default: none, and no metrics are kept). Plaintext, like the health "
          + "port: it shows counts and timings, never a token, a password or an account; keep it on an operators' "
          + "network (e.g. 127.0.0.1:9401, or 0.0.0.0:9400 in a container).")
  String metricsListen;

  @Option(names = "--peer-keepalive-seconds", defaultValue = "${env:BANK_PEER_KEEPALIVE_SECONDS:-10}",
      description = "Ping a peer connection that has read nothing for this long, and redial it if the ping is not "
          + "answered within 5 s: a link cut silently (packets dropped, no reset) is then noticed in seconds instead "
          + "of waiting on TCP's retransmissions, which back off to over 10 s. At least 10 (gRPC's shortest), or 0 "
          + "for no pings (env BANK_PEER_KEEPALIVE_SECONDS; default ${DEFAULT-VALUE}). Every bank's peer port accepts "
          + "pings this often.")
  long peerKeepaliveSeconds;

  @Option(names = "--log-format", defaultValue = "${env:BANK_LOG_FORMAT:-text}",
      description = "text (one line a record: time, level, message) or json (one JSON object a line: timestamp, "
          + "level, logger, message and, where known, bank, transaction_id, request_id, peer) (env BANK_LOG_FORMAT; "
          + "default ${DEFAULT-VALUE}).")
  String logFormat;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    NodeConfig config = config();
    logFormat().install(config.bank());
    if (diskFullRetrySeconds < 1) {
      throw usage("--disk-full-retry-seconds must be at least 1");
    }
    var supervisor = new NodeSupervisor(config, Duration.ofSeconds(diskFullRetrySeconds));
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bank-node-shutdown")
        .unstarted(supervisor::stop));
    return supervisor.run();
  }

  NodeConfig config() {
    int colon = listen.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw usage("--listen must be HOST:PORT, got '" + listen + "'");
    }
    if (colon <= 0 || port < 1 || port > 65535) {
      throw usage("--listen must be HOST:PORT with a port from 1 to 65535, got '" + listen + "'");
    }
    if (adminToken.length() < 8) {
      throw usage("--admin-token (or BANK_ADMIN_TOKEN) is required and must have at least 8 characters");
    }
    if (passwordIterations < NodeConfig.MIN_PASSWORD_ITERATIONS) {
      throw usage("--password-iterations must be at least " + NodeConfig.MIN_PASSWORD_ITERATIONS);
    }
    if (!NodeConfig.BANK_ID.matcher(bank).matches()) {
      throw usage("--bank must match [a-z][a-z0-9-]{1,15}, got '" + bank + "'");
    }
    if (peerKeepaliveSeconds != 0 && peerKeepaliveSeconds < 10) {
      throw usage("--peer-keepalive-seconds must be 0 (no pings) or at least 10 (gRPC's shortest), got "
          + peerKeepaliveSeconds);
    }
    if (sessionTtlMinutes < 1) {
      throw usage("--session-ttl-minutes must be at least 1");
    }
    Map<String, String> members;
    if (!clusterFile.isBlank() && !peers.isBlank()) {
      throw usage("give --peers or --cluster-file, not both");
    }
    String membership = peers;
    if (!clusterFile.isBlank()) {
      try {
        membership = String.join(",", java.nio.file.Files.readAllLines(Path.of(clusterFile)).stream()
            .map(line -> line.replaceFirst("#.*", "").trim()).filter(line -> !line.isEmpty()).toList());
      } catch (java.io.IOException e) {
        throw usage("--cluster-file: cannot read " + clusterFile + ": " + e.getMessage());
      }
    }
    try {
      members = membership.isBlank() ? Map.of(bank, listen) : NodeConfig.parsePeers(membership);
    } catch (IllegalArgumentException e) {
      throw usage((clusterFile.isBlank() ? "--peers: " : "--cluster-file: ") + e.getMessage());
    }
    if (!members.containsKey(bank)) {
      throw usage("--peers must list this bank ('" + bank + "') too; it lists " + members.keySet());
    }
    TlsFiles tls = tls();
    if (members.size() > 1 && tls == null) {
      throw usage("a consortium of " + members.size() + " banks needs TLS: give --pki-dir (see 'bank-admin pki "
          + "init'), or --tls-cert, --tls-key and --ca-cert");
    }
    for (String[] address : new String[][] {{"--peer-listen", peerListen}, {"--health-listen", healthListen},
        {"--metrics-listen", metricsListen}}) {
      if (!address[1].isEmpty() && !address[1].matches(".+:[0-9]{1,5}")) {
        throw usage(address[0] + " must be HOST:PORT, got '" + address[1] + "'");
      }
    }
    if (!metricsListen.isEmpty() && !NodeConfig.isAddress(metricsListen)) {
      throw usage("--metrics-listen must be HOST:PORT with a port from 1 to 65535, got '" + metricsListen + "'");
    }
    logFormat();
    Path dir = Path.of(dataDir.isEmpty() ? "data/" + bank : dataDir);
    return new NodeConfig(bank, listen.substring(0, colon), port, dir, adminToken,
        Duration.ofMinutes(sessionTtlMinutes), passwordIterations, members, tls, peerListen, healthListen,
        voteBatching, metricsListen, Duration.ofSeconds(peerKeepaliveSeconds));
  }

  private LogFormat logFormat() {
    try {
      return LogFormat.parse(logFormat);
    } catch (IllegalArgumentException e) {
      throw usage("--log-format " + e.getMessage());
    }
  }

  /** The TLS files from --pki-dir, overridden one by one by --tls-cert, --tls-key, --ca-cert, --crl; null if none. */
  private TlsFiles tls() {
    if (pkiDir.isEmpty() && tlsCert.isEmpty() && tlsKey.isEmpty() && caCert.isEmpty()) {
      return null;
    }
    if (tlsReloadSeconds < 1) {
      throw usage("--tls-reload-seconds must be at least 1");
    }
    TlsFiles base = pkiDir.isEmpty() ? null : TlsFiles.inDirectory(Path.of(pkiDir), bank);
    Path cert = pick(tlsCert, base == null ? null : base.certificate(), "--tls-cert");
    Path key = pick(tlsKey, base == null ? null : base.key(), "--tls-key");
    Path ca = pick(caCert, base == null ? null : base.ca(), "--ca-cert");
    Path revocations = !crl.isEmpty() ? Path.of(crl) : base != null && caCert.isEmpty() ? base.crl()
        : ca.resolveSibling("ca.crl");
    for (Path file : new Path[] {cert, key, ca}) {
      if (!Files.isReadable(file)) {
        throw usage("cannot read " + file + (pkiDir.isEmpty() ? "" : " (from --pki-dir " + pkiDir
            + "; 'bank-admin pki init --banks ... --out " + pkiDir + "' makes it)"));
      }
    }
    return new TlsFiles(cert, key, ca, revocations, Duration.ofSeconds(tlsReloadSeconds));
  }

  private Path pick(String given, Path fromDir, String option) {
    if (!given.isEmpty()) {
      return Path.of(given);
    }
    if (fromDir == null) {
      throw usage(option + " is required with TLS (or give --pki-dir)");
    }
    return fromDir;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  public static void main(String[] args) {
    // One line per log record ("04:10:21 INFO bank alpha serving on ..."), unless the operator chose a format.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %5$s%6$s%n");
    }
    System.exit(new CommandLine(new BankNodeMain()).execute(args));
  }
}
