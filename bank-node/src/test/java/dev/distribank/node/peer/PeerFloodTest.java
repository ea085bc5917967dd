package dev.distribank.node.peer;

import static dev.distribank.node.peer.Eventually.peer;
import static dev.distribank.proto.bank.v1.PeerState.PEER_STATE_DOWN;
import static dev.distribank.proto.bank.v1.PeerState.PEER_STATE_UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.BankNode;
import dev.distribank.node.BankNodeMain;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.node.tls.TlsFiles;
import dev.distribank.pki.Consortium;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.DepositRequest;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flood, with memory measured: beta runs as a real bank-node process (TLS on both ports, as make run
 * starts it), alpha and gamma in this JVM. Alpha is replaced by a bank that is up but stops reading its stream to
 * beta; beta is handed 15,000 transactions for it and 10,000 client calls of its own, all in flight at once. Every
 * call is answered, applied or refused at once with RESOURCE_EXHAUSTED and a RetryInfo; beta's resident memory stays
 * within a bound; the transactions for the stuck bank are refused, naming it, at their vote time-out; the real alpha
 * comes back and trades. (Before flow control, the same run also broke beta's stream to gamma: all of a commit's
 * messages for a bank went as one frame, past the 4 MiB gRPC accepts, and a third of the transfers timed out.)
 *
 * <p>Beta's heap is fixed and touched at start ({@code -Xms = -Xmx}, {@code AlwaysPreTouch}), so its RSS moves only
 * with what lives outside the heap, where gRPC keeps what it has not yet written: the growth a peer that stops
 * reading used to cause. A heap that grew without bound would run out and stop the node instead.
 */
class PeerFloodTest {
  static final int CALLS = 10_000;
  /**
   * Transactions of 64 legs (about 1.2 KiB each) for the stuck bank: beta re-sends each every second until its vote
   * time-out, so about 180 MB are offered to a stream that takes a few.
   */
  static final int STUCK_TRANSACTIONS = 15_000;
  /** The same kinds of call, first against a healthy alpha: JIT, class loading and gRPC's buffer pools settle. */
  static final int WARM_UP = 1_000;
  /**
   * Fixed, see above. The live set at the peak is ~180 MiB (each coordination for the stuck bank is kept until it
   * confirms); with 512m, beta ran out of heap in two of about ten runs and its loop stopped, as a loop must.
   */
  static final String HEAP = "768m";
  /**
   * Growth of beta's RSS allowed over the flood. Measured on two cores: 80-110 MiB, nearly all of it native memory
   * outside the JVM's own accounting (RocksDB's memtables filling with the flood's writes); with sends that ignore
   * {@code isReady()}, about 270 MiB, growing with every second the peer stays stuck.
   */
  static final long MAX_GROWTH_MIB = 160;
  static final long DEPOSIT = 1_000_000;
  @TempDir Path dir;
  Path pki;
  NodeConfig alphaConfig;
  int betaPeerPort;
  Path betaLog;
  final BankNode[] nodes = new BankNode[2];
  Process beta;
  final Map<String, Clients> at = new HashMap<>();
  Holder ana;
  Holder bia;
  /** What bia's accounts at beta and gamma, and ana's at alpha, hold once everything answered has applied. */
  long biaAtBeta = DEPOSIT;
  long biaAtGamma;
  long anaAtAlpha;

  @BeforeEach
  void start() throws Exception {
    pki = dir.resolve("pki");
    Consortium.init(pki, List.of("alpha", "beta", "gamma"), Map.of(), Duration.ofDays(1));
    Map<String, String> peers = Map.of("alpha", "127.0.0.1:" + LocalCluster.freePort(),
        "beta", "127.0.0.1:" + LocalCluster.freePort(), "gamma", "127.0.0.1:" + LocalCluster.freePort());
    betaPeerPort = NodeConfig.socket(peers.get("beta")).getPort();
    alphaConfig = NodeConfig.forTest("alpha", dir.resolve("alpha")).withPeers(peers, TlsFiles.inDirectory(pki,
        "alpha"));
    nodes[0] = BankNode.start(alphaConfig);
    nodes[1] = BankNode.start(NodeConfig.forTest("gamma", dir.resolve("gamma"))
        .withPeers(peers, TlsFiles.inDirectory(pki, "gamma")));
    int betaPort = LocalCluster.freePort();
    betaLog = dir.resolve("beta.log");
    beta = startBeta(betaPort, peers);
    at.put("alpha", new Clients(nodes[0].port(), pki.resolve("ca.pem")));
    at.put("gamma", new Clients(nodes[1].port(), pki.resolve("ca.pem")));
    at.put("beta", new Clients(betaPort, pki.resolve("ca.pem")));
    Eventually.until(60, "beta serves and sees alpha and gamma up and linked", () -> beta.isAlive()
        && serving(at.get("beta")) && List.of("alpha", "gamma").stream().map(b -> peer(at.get("beta"), b))
            .allMatch(p -> p.getState() == PEER_STATE_UP && p.getLinked()));
    ana = new Holder("ana", Cpfs.cpf(41), at::get).join("alpha").join("beta");
    bia = new Holder("bia", Cpfs.cpf(42), at::get).join("beta").join("gamma");
    ana.deposit("beta", DEPOSIT);
    bia.deposit("beta", DEPOSIT);
  }

  @AfterEach
  void stop() throws Exception {
    for (Clients c : at.values()) {
      c.close();
    }
    beta.destroy(); // SIGTERM: the graceful path
    boolean stopped = beta.waitFor(30, TimeUnit.SECONDS);
    // What beta warned about (the drop reports; and, if it died, why), for whoever reads a failure.
    log(betaLog).lines().filter(l -> l.contains(" WARNING ") || l.contains(" SEVERE ")).limit(20)
        .forEach(l -> System.out.println("beta: " + l));
    for (BankNode node : nodes) {
      node.close();
    }
    assertTrue(stopped, "beta stops on SIGTERM");
  }

  @Test
  void tenThousandCallsAndAPeerThatStopsReading_memoryBounded_allAnswered_thenRecovers() throws Exception {
    var warm = toAlpha(WARM_UP);
    flood(CALLS / 5);
    assertTrue(warm.await(60), warm.unanswered() + " warm-up transactions for alpha never answered");
    anaAtAlpha += 64 * warm.count(Answers.OK);

    var stuck = alphaStopsReading();
    var rss = new RssSampler(beta.pid());
    long before = rss.start();
    var toStuck = toAlpha(STUCK_TRANSACTIONS);
    long floodMillis = flood(CALLS);
    Eventually.until(30, "beta logs that it drops what the stuck alpha does not read",
        () -> log(betaLog).contains("bank alpha is not reading its stream"));
    // Beta re-sends each proposal every second until its vote time-out: all ten rounds run into the stuck stream.
    assertTrue(toStuck.await(60), toStuck.unanswered() + " transactions for the stuck alpha never answered");
    long peak = rss.stop();
    System.out.println("flood: " + STUCK_TRANSACTIONS + " transactions for the stuck alpha: " + toStuck);
    assertEquals(STUCK_TRANSACTIONS, toStuck.count("UNAVAILABLE TIMED_OUT") + toStuck.count(Answers.OVERLOADED),
        "each refused, naming why: " + toStuck);
    assertEquals(0, stuck.received(), "the stuck bank read nothing");
    assertTrue(serving(at.get("beta")), "beta stays SERVING");
    stuck.close();
    Eventually.until(20, "beta sees the stuck alpha gone", () -> peer(at.get("beta"), "alpha").getState()
        == PEER_STATE_DOWN);

    alphaReturns();
    ana.at("beta").transfer(ana.transfer("beta", "alpha", 100, 1));
    ana.at("alpha").transfer(ana.transfer("alpha", "beta", 40, 1));
    assertEquals(anaAtAlpha + 60, ana.balance("alpha").getBalanceCents(), "none of the refused deposits applied");
    long quick = System.nanoTime();
    bia.deposit("beta", 1);
    long quickMillis = (System.nanoTime() - quick) / 1_000_000;
    var audit = at.get("gamma").admin("test-admin-token").audit(AuditRequest.getDefaultInstance());
    assertTrue(audit.getBalanced() && audit.getNoNegativeBalance(), audit.toString());
    long after = RssSampler.rssKib(beta.pid());

    System.out.printf("flood: RSS before %d MiB, peak %d MiB, after %d MiB (beta, heap fixed at %s; %d calls "
        + "answered in %d ms; a deposit after it took %d ms)%n", before / 1024, peak / 1024, after / 1024, HEAP, CALLS,
        floodMillis, quickMillis);
    assertTrue(peak - before <= MAX_GROWTH_MIB * 1024, "beta's RSS grew by " + (peak - before) / 1024
        + " MiB during the flood, more than " + MAX_GROWTH_MIB + " MiB");
    assertTrue(beta.isAlive() && serving(at.get("beta")), "beta serves after the flood");
  }

  /** Sends {@code count} transactions of 64 deposits into ana's account at alpha, coordinated by beta. */
  private Answers toAlpha(int count) {
    var answers = new Answers(count);
    var request = ana.deposits("alpha", 1, 64);
    var stub = ana.async("beta");
    for (int i = 0; i < count; i++) {
      stub.transfer(request, answers.observer());
    }
    return answers;
  }

  /**
   * {@code calls} calls at beta at once, half deposits of a cent into bia's account there, half transfers of a cent
   * from it to gamma: each answered, applied or refused OVERLOADED, and exactly the applied ones applied at both
   * banks. Returns how long the answers took.
   */
  private long flood(int calls) throws InterruptedException {
    var deposits = new Answers(calls / 2);
    var transfers = new Answers(calls / 2);
    var deposit = DepositRequest.newBuilder().setAccount(bia.account("beta")).setAmountCents(1).build();
    var transfer = bia.transfer("beta", "gamma", 1, 1);
    var stub = bia.async("beta");
    long started = System.nanoTime();
    for (int i = 0; i < calls / 2; i++) {
      stub.deposit(deposit, deposits.observer());
      stub.transfer(transfer, transfers.observer());
    }
    assertTrue(deposits.await(120) && transfers.await(120), "every call was answered: " + deposits.unanswered()
        + " deposits and " + transfers.unanswered() + " transfers were not");
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("flood: " + calls + " calls at beta answered in " + millis + " ms: deposits " + deposits
        + ", transfers " + transfers);
    for (var answers : List.of(deposits, transfers)) {
      assertEquals(calls / 2, answers.count(Answers.OK) + answers.count(Answers.OVERLOADED), answers.toString());
    }
    assertTrue(deposits.count(Answers.OK) > 0 && transfers.count(Answers.OK) > 0, "the node kept applying");
    biaAtBeta += deposits.count(Answers.OK) - transfers.count(Answers.OK);
    biaAtGamma += transfers.count(Answers.OK);
    // A transfer is answered once both banks applied it, or after a grace period if one is slow (DESIGN §4.3).
    Eventually.until(20, "exactly the answered calls applied, at both banks",
        () -> bia.balance("beta").getBalanceCents() == biaAtBeta
            && bia.balance("gamma").getBalanceCents() == biaAtGamma);
    return millis;
  }

  /** Stops the real alpha and puts a stuck one in its place, which beta sees up and linked. */
  private StuckPeer alphaStopsReading() throws Exception {
    nodes[0].close();
    at.remove("alpha").close();
    Eventually.until(20, "beta sees alpha down",
        () -> peer(at.get("beta"), "alpha").getState() == PEER_STATE_DOWN);
    var stuck = new StuckPeer(pki, "alpha", NodeConfig.socket(alphaConfig.peerListen()), betaPeerPort);
    Eventually.until(20, "beta sees the stuck alpha up and linked", () -> {
      var alpha = peer(at.get("beta"), "alpha");
      return alpha.getState() == PEER_STATE_UP && alpha.getLinked();
    });
    return stuck;
  }

  private void alphaReturns() throws Exception {
    nodes[0] = BankNode.start(alphaConfig);
    at.put("alpha", new Clients(nodes[0].port(), pki.resolve("ca.pem")));
    Eventually.until(30, "beta links the real alpha again", () -> {
      var alpha = peer(at.get("beta"), "alpha");
      return alpha.getState() == PEER_STATE_UP && alpha.getLinked();
    });
  }

  /** Beta as {@code make run} starts a bank: its own JVM, TLS from {@code pki}, its log in {@link #betaLog}. */
  private Process startBeta(int port, Map<String, String> peers) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var peerList = new StringBuilder();
    peers.forEach((bank, address) -> peerList.append(peerList.isEmpty() ? "" : ",").append(bank).append('=')
        .append(address));
    return new ProcessBuilder(java, "-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+AlwaysPreTouch",
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        BankNodeMain.class.getName(), "--bank", "beta", "--listen", "127.0.0.1:" + port, "--data-dir",
        dir.resolve("beta").toString(), "--admin-token", "test-admin-token", "--pki-dir", pki.toString(), "--peers",
        peerList.toString()).redirectErrorStream(true).redirectOutput(betaLog.toFile()).start();
  }

  private static boolean serving(Clients at) {
    try {
      return HealthGrpc.newBlockingStub(at.channel()).withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus() == ServingStatus.SERVING;
    } catch (io.grpc.StatusRuntimeException notYet) {
      return false;
    }
  }

  private static String log(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
