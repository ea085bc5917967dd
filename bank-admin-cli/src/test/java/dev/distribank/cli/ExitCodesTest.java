package dev.distribank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit 1 with the bank's reason on stderr when it refuses; exit 2 when the command line is wrong; nothing applied. */
class ExitCodesTest {
  @TempDir
  static Path dataDir;

  private static BankNode node;
  private static Cli cli;
  private static String token;
  private static String account;

  @BeforeAll
  static void startNode() throws IOException {
    node = BankNode.start(NodeConfig.forTest("alpha", dataDir));
    cli = new Cli(node.port());
    token = cli.signUp("ana");
    account = cli.openAccount(token, "individual");
    cli.ok("deposit", "--account", account, "--amount", "10.00", "--token", token);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static void assertBalanceIsStill(String expected) {
    assertEquals(account + "  balance " + expected + "  available " + expected,
        cli.ok("balance", "--account", account, "--token", token).out().strip());
  }

  @Test
  void withdraw_insufficientFunds_exit1WithReason() {
    Cli.Result r = cli.run("withdraw", "--account", account, "--amount", "10.01", "--token", token);
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("error: INSUFFICIENT_FUNDS: "), r::toString);
    assertTrue(r.err().lines().findFirst().orElseThrow().endsWith("(FAILED_PRECONDITION)"), r::toString);
    assertBalanceIsStill("10.00");
  }

  @Test
  void transfer_secondLegOverdraws_exit1AndNoLegApplied() {
    String other = cli.openAccount(token, "individual");
    Cli.Result r = cli.run("transfer", "--leg", account + "," + other + ",4.00", "--leg",
        account + "," + other + ",7.00", "--token", token);
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("INSUFFICIENT_FUNDS"), r::toString);
    assertBalanceIsStill("10.00");
  }

  @Test
  void deposit_badAmount_exit2AndNothingSent() {
    for (String amount : new String[] {"1.234", "-1", "0", "1e3", "12,34", "10000000000000.01", "abc"}) {
      Cli.Result r = cli.run("deposit", "--account", account, "--amount", amount, "--token", token);
      assertEquals(2, r.exitCode(), r::toString);
      assertTrue(r.err().startsWith("error: Invalid value for option '--amount'"), r::toString);
      assertEquals("", r.out());
    }
    assertBalanceIsStill("10.00");
  }

  @Test
  void noToken_exit1Unauthenticated() {
    assumeTrue(System.getenv("BANK_TOKEN") == null, "BANK_TOKEN is set in this environment");
    Cli.Result r = cli.run("account", "list");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("UNAUTHENTICATED"), r::toString);
    assertTrue(r.err().contains("hint: no token was sent"), r::toString);
  }

  @Test
  void deposit_requestIdReusedForOtherAmount_exit1AlreadyExists() {
    String requestId = UUID.randomUUID().toString();
    cli.ok("deposit", "--account", account, "--amount", "0.01", "--token", token, "--request-id", requestId);
    Cli.Result r = cli.run("deposit", "--account", account, "--amount", "0.02", "--token", token, "--request-id",
        requestId);
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("error: REQUEST_ID_REUSED: "), r::toString);
    assertTrue(r.err().lines().findFirst().orElseThrow().endsWith("(ALREADY_EXISTS)"), r::toString);
    // A decided refusal, not an unknown outcome: no hint to repeat the command.
    assertFalse(r.err().contains("hint:"), r::toString);
    cli.ok("withdraw", "--account", account, "--amount", "0.01", "--token", token);
  }

  @Test
  void badCpf_exit1WithFieldViolation() {
    Cli.Result r = cli.run("customer", "create", "--name", "Bad Cpf", "--cpf", "12345678900", "--login", "badcpf",
        "--password", Cli.PASSWORD);
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("error: INVALID_CPF: "), r::toString);
    assertTrue(r.err().contains("(INVALID_ARGUMENT)"), r::toString);
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("  field cpf")), r::toString);
  }

  @Test
  void unknownAccount_exit1NotFound() {
    Cli.Result r = cli.run("balance", "--account", "alpha:999999", "--token", token);
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("(NOT_FOUND)") || r.err().contains("(PERMISSION_DENIED)"), r::toString);
  }

  @Test
  void usageErrors_exit2() {
    assertEquals(2, Cli.raw().exitCode());
    assertEquals(2, Cli.raw("no-such-command").exitCode());
    assertEquals(2, Cli.raw("account").exitCode());
    assertEquals(2, cli.run("account", "open").exitCode());
    assertEquals(2, cli.run("account", "open", "--kind", "savings").exitCode());
    assertEquals(2, cli.run("customer", "create", "--name", "X", "--cpf", "1", "--cnpj", "2", "--login", "x",
        "--password", "p").exitCode());
    assertEquals(2, cli.run("pix", "add", "--account", account, "--type", "email", "--token", token).exitCode());
    assertEquals(2, cli.run("statement", "--account", account, "--limit", "0", "--token", token).exitCode());
    assertEquals(2, cli.run("deposit", "--account", account, "--amount", "1", "--request-id", "not-a-uuid")
        .exitCode());
    assertEquals(2, cli.run("balance", "--account", account, "--output", "xml").exitCode());
    assertEquals(2, cli.run("balance", "--account", account, "--timeout-seconds", "0").exitCode());
  }

  @Test
  void noNodeAtTarget_exit1WithHint() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Cli.Result r = Cli.raw("deposit", "--account", account, "--amount", "1", "--token", token,
        "--target", "127.0.0.1:" + closedPort, "--timeout-seconds", "5");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("(UNAVAILABLE)"), r::toString);
    assertTrue(r.err().contains("hint: is a bank node listening at 127.0.0.1:" + closedPort), r::toString);
    assertTrue(r.err().contains("--request-id "), r::toString);
  }
}
