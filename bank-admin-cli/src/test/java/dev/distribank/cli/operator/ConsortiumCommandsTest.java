package dev.distribank.cli.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.cli.Cli;
import dev.distribank.cli.text.Money;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankTotals;
import dev.distribank.proto.bank.v1.GetClusterStatusResponse;
import dev.distribank.proto.bank.v1.PeerState;
import dev.distribank.proto.bank.v1.TransferResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that see the consortium as a whole, against two real linked nodes: audit, cluster status, and a
 * transfer whose legs are at both banks. */
class ConsortiumCommandsTest {
  @TempDir
  static Path dataDir;

  private static LocalCluster cluster;
  private static Cli alpha;
  private static Cli beta;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = new LocalCluster(dataDir, List.of("alpha", "beta"));
    alpha = new Cli(cluster, "alpha");
    beta = new Cli(cluster, "beta");
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    cluster.close();
  }

  @Test
  void transfer_legsAtTwoBanks_appliesBothAtomically() {
    // One person with a login at each bank. The same CPF at both proves nothing: only a consent granted at beta to
    // alpha:carla lets her session at alpha debit her account at beta.
    String cpf = Cpfs.cpf(200_000_001);
    for (Cli bank : List.of(alpha, beta)) {
      bank.ok("customer", "create", "--name", "Carla Dias", "--cpf", cpf, "--login", "carla", "--password",
          Cli.PASSWORD);
    }
    String atAlpha = alpha.ok("login", "--login", "carla", "--password", Cli.PASSWORD).out().strip();
    String atBeta = beta.ok("login", "--login", "carla", "--password", Cli.PASSWORD).out().strip();
    String a = alpha.openAccount(atAlpha, "individual");
    String b = beta.openAccount(atBeta, "individual");
    alpha.ok("deposit", "--account", a, "--amount", "100.00", "--token", atAlpha);
    beta.ok("deposit", "--account", b, "--amount", "50.00", "--token", atBeta);
    beta.grantConsent(atBeta, b, "alpha:carla");

    Cli.Result text = alpha.ok("transfer", "--leg", a + "," + b + ",30.00", "--leg", b + "," + a + ",5.00",
        "--token", atAlpha);
    assertTrue(text.out().startsWith("committed "), text::toString);
    assertTrue(text.out().contains("transfer " + a + " -> " + b + " 30.00"), text::toString);
    assertTrue(text.out().contains("transfer " + b + " -> " + a + " 5.00"), text::toString);
    assertEquals(a + "  balance 75.00  available 75.00",
        alpha.ok("balance", "--account", a, "--token", atAlpha).out().strip());
    assertEquals(b + "  balance 75.00  available 75.00",
        beta.ok("balance", "--account", b, "--token", atBeta).out().strip());

    // A second one that overdraws at beta: refused as a whole, nothing moves at alpha either.
    Cli.Result refused = alpha.run("transfer", "--leg", a + "," + b + ",1.00", "--leg", b + "," + a + ",500.00",
        "--token", atAlpha, "--output", "json");
    assertEquals(1, refused.exitCode(), refused::toString);
    assertTrue(refused.err().contains("INSUFFICIENT_FUNDS"), refused::toString);
    assertEquals(a + "  balance 75.00  available 75.00",
        alpha.ok("balance", "--account", a, "--token", atAlpha).out().strip());

    TransferResponse json = Cli.json(beta.ok("transfer", "--leg", b + "," + a + ",0.01", "--token", atBeta,
        "--output", "json").out(), TransferResponse.newBuilder()).build();
    assertEquals(a, json.getReceipt().getLegs(0).getToAccount());
  }

  @Test
  void audit_balancedConsortium_textTableVerdictsAndExit0() {
    String token = alpha.signUp("duda");
    alpha.ok("deposit", "--account", alpha.openAccount(token, "individual"), "--amount", "12.34", "--token", token);
    AuditResponse json = Cli.json(alpha.ok("audit", "--token", Cli.ADMIN_TOKEN, "--output", "json").out(),
        AuditResponse.newBuilder()).build();
    assertTrue(json.getBalanced() && json.getNoNegativeBalance(), json::toString);
    assertEquals(List.of("alpha", "beta"), json.getBanksList().stream().map(BankTotals::getBank).toList());
    assertEquals(json.getDepositsCents() - json.getWithdrawalsCents(), json.getTotalBalanceCents());
    assertTrue(json.getAtCounter() > 0, json::toString);

    // Asked at beta, with the options before the command: nothing moved in between, so the same totals.
    Cli.Result text = Cli.raw("--target", beta.target(), "--ca-cert", Cli.caCert(cluster), "--token",
        Cli.ADMIN_TOKEN, "audit");
    assertEquals(0, text.exitCode(), text::toString);
    List<String> lines = text.out().lines().toList();
    assertTrue(lines.get(0).matches("BANK\\s+ACCOUNTS\\s+BALANCE TOTAL\\s+DEPOSITS\\s+WITHDRAWALS\\s+NEGATIVE"
        + " ACCOUNTS"), text::toString);
    assertTrue(lines.get(1).matches("alpha\\s+\\d+\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d\\s+0"),
        text::toString);
    assertTrue(lines.get(2).startsWith("beta "), text::toString);
    String total = Money.format(json.getTotalBalanceCents());
    assertTrue(lines.get(3).matches("total\\s+\\d+\\s+" + total.replace(".", "\\.") + "\\s+.*\\s+0"),
        text::toString);
    assertTrue(lines.get(4).matches("at counter \\d+"), text::toString);
    assertEquals("I1 conservation: OK (total " + total + " = deposits " + Money.format(json.getDepositsCents())
        + " - withdrawals " + Money.format(json.getWithdrawalsCents()) + ")", lines.get(5));
    assertEquals("I2 no negative balance: OK", lines.get(6));
    assertTrue(lines.get(8).matches("alpha/beta\\s+(\\d+\\.\\d\\d\\s+){4}yes"), text::toString);
    assertEquals("bilateral flows: OK (1 pair agrees)", lines.get(9));
    assertTrue(json.getBilateralAgreed() && json.getPairsCount() == 1, json::toString);
  }

  @Test
  void audit_customerToken_refusedExit1() {
    String token = alpha.signUp("eva");
    Cli.Result r = alpha.run("audit", "--token", token);
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("UNAUTHENTICATED"), r::toString);
  }

  @Test
  void clusterStatus_text_everyBankUpAndTheAnsweringOneMarked() {
    Cli.Result r = Cli.raw("--target", beta.target(), "--ca-cert", Cli.caCert(cluster), "--token",
        Cli.ADMIN_TOKEN, "cluster", "status");
    assertEquals(0, r.exitCode(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).matches("BANK\\s+ADDRESS\\s+STATE\\s+SINCE\\s+LINKED\\s+REFUSED"), r::toString);
    String since = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(for \\d+s\\)";
    // The address is where the other banks reach each one: its peer port.
    var peers = cluster.config("beta").peers();
    assertTrue(lines.get(1).matches("  alpha\\s+" + peers.get("alpha") + "\\s+UP\\s+" + since + "\\s+yes\\s+0"),
        r::toString);
    assertTrue(lines.get(2).matches("\\* beta\\s+" + peers.get("beta") + "\\s+UP\\s+" + since + "\\s+yes\\s+0"),
        r::toString);
    assertEquals("* answered by beta", lines.get(3));
  }

  @Test
  void clusterStatus_json_isTheResponse() {
    GetClusterStatusResponse json = Cli.json(alpha.ok("cluster", "status", "--token", Cli.ADMIN_TOKEN, "--output",
        "json").out(), GetClusterStatusResponse.newBuilder()).build();
    assertEquals("alpha", json.getBank());
    assertEquals(2, json.getBanksCount());
    assertTrue(json.getBanksList().stream().allMatch(b -> b.getState() == PeerState.PEER_STATE_UP), json::toString);
    assertTrue(json.getBanks(0).getSelf(), json::toString);
  }

  @Test
  void plaintextClientAtATlsNode_isToldToGiveTheCa() {
    Cli.Result r = Cli.raw("--target", beta.target(), "--timeout-seconds", "5", "health");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("hint: the node may serve TLS: give --ca-cert"), r::toString);
  }

  @Test
  void clientTrustingAnotherCa_isRefusedWithAHint() throws Exception {
    java.nio.file.Path other = dataDir.resolve("other-ca");
    dev.distribank.pki.Consortium.init(other, List.of("alpha"), java.util.Map.of(), java.time.Duration.ofDays(1));
    Cli.Result r = Cli.raw("--target", beta.target(), "--ca-cert", other.resolve("ca.pem").toString(),
        "--timeout-seconds", "5", "health");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("hint: the TLS handshake failed"), r::toString);
  }

  @Test
  void clientAtAPeerPort_isToldItIsForBanksOnly() {
    String peerPort = cluster.config("beta").peers().get("beta");
    Cli.Result r = Cli.raw("--target", peerPort, "--ca-cert", Cli.caCert(cluster), "--timeout-seconds", "5",
        "health");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("it is a bank's peer port, for the other banks only"), r::toString);
  }
}
