package dev.distribank.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bank-node}: runs one bank of the consortium until SIGTERM or Ctrl-C. */
@Command(name = "bank-node", mixinStandardHelpOptions = true, version = "bank-node 0.1.0",
    sortOptions = false,
    description = "Runs one DistriBank bank node: its customers, accounts, PIX keys and ledger, served over gRPC.%n"
        + "Every option can also be set by the environment variable shown.",
    footer = {"%nExample:%n  bank-node --bank alpha --listen 127.0.0.1:7001 --data-dir ./data/alpha "
        + "--admin-token \"$(cat data/admin-token)\""})
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

  @Option(names = "--peer-token", defaultValue = "${env:BANK_PEER_TOKEN:-}",
      description = "The secret all banks of the consortium share to authenticate their links, at least 8 "
          + "characters; required with more than one bank (env BANK_PEER_TOKEN).")
  String peerToken;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    NodeConfig config = config();
    BankNode node = BankNode.start(config);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bank-node-shutdown").unstarted(node::close));
    node.awaitTermination();
    return node.failed() ? 1 : 0;
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
    if (members.size() > 1 && peerToken.length() < 8) {
      throw usage("--peer-token (or BANK_PEER_TOKEN) is required with several banks, at least 8 characters");
    }
    Path dir = Path.of(dataDir.isEmpty() ? "data/" + bank : dataDir);
    return new NodeConfig(bank, listen.substring(0, colon), port, dir, adminToken,
        Duration.ofMinutes(sessionTtlMinutes), passwordIterations, members, peerToken);
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
