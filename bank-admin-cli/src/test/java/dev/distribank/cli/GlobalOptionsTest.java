package dev.distribank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.proto.bank.v1.ListCustomersResponse;
import io.grpc.health.v1.HealthCheckResponse;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --target, --token, --output and --timeout-seconds are accepted before the subcommand, after it, and between a
 * command group and its subcommand, with the same meaning everywhere.
 */
class GlobalOptionsTest {
  @TempDir
  static Path dataDir;

  private static BankNode node;
  private static String target;

  @BeforeAll
  static void startNode() throws IOException {
    node = BankNode.start(NodeConfig.forTest("alpha", dataDir));
    target = "127.0.0.1:" + node.port();
    new Cli(node.port()).signUp("ana");
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void target_beforeTheSubcommand_accepted() {
    Cli.Result r = Cli.raw("--target", target, "health");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("SERVING", r.out().strip());
  }

  @Test
  void target_afterTheSubcommand_stillAccepted() {
    Cli.Result r = Cli.raw("health", "--target", target);
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("SERVING", r.out().strip());
  }

  @Test
  void allGlobalOptions_beforeTheSubcommand_applyToIt() {
    Cli.Result r = Cli.raw("--target", target, "--token", Cli.ADMIN_TOKEN, "--output", "json",
        "--timeout-seconds", "10", "admin", "customers");
    assertEquals(0, r.exitCode(), r::toString);
    ListCustomersResponse customers = Cli.json(r.out(), ListCustomersResponse.newBuilder()).build();
    assertEquals("ana", customers.getCustomers(0).getLogin());
  }

  @Test
  void globalOptions_splitAcrossPositions_allApply() {
    Cli.Result r = Cli.raw("--output", "json", "admin", "--target", target, "customers", "--token",
        Cli.ADMIN_TOKEN);
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(1, Cli.json(r.out(), ListCustomersResponse.newBuilder()).getCustomersCount());

    Cli.Result health = Cli.raw("--output", "json", "health", "--target", target);
    assertEquals(HealthCheckResponse.ServingStatus.SERVING,
        Cli.json(health.out(), HealthCheckResponse.newBuilder()).getStatus());
  }

  @Test
  void globalOption_givenTwice_theLaterWins() {
    Cli.Result r = Cli.raw("--target", "127.0.0.1:1", "health", "--target", target);
    assertEquals(0, r.exitCode(), r::toString);
  }

  @Test
  void badGlobalOption_beforeTheSubcommand_usageError() {
    Cli.Result zero = Cli.raw("--timeout-seconds", "0", "health", "--target", target);
    assertEquals(2, zero.exitCode(), zero::toString);
    assertTrue(zero.err().contains("--timeout-seconds must be at least 1"), zero::toString);
    // Reported against the command that ran, so the help it points to is that command's.
    assertTrue(zero.err().contains("bank-admin health --help"), zero::toString);
    Cli.Result format = Cli.raw("--output", "xml", "health");
    assertEquals(2, format.exitCode(), format::toString);
  }

  @Test
  void adminCommand_tokenBeforeTheSubcommand_sent() {
    Cli.Result noToken = Cli.raw("--target", target, "--token", "not-the-admin-token", "admin", "customers");
    assertEquals(1, noToken.exitCode(), noToken::toString);
    assertTrue(noToken.err().contains("UNAUTHENTICATED"), noToken::toString);
  }
}
