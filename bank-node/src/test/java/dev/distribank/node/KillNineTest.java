package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.Consent;
import dev.distribank.proto.bank.v1.ConsentState;
import dev.distribank.proto.bank.v1.GrantConsentRequest;
import dev.distribank.proto.bank.v1.ListConsentsRequest;
import dev.distribank.proto.bank.v1.RevokeConsentRequest;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.GetStatementRequest;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real bank-node process killed with SIGKILL mid-life: everything it answered before the kill is there after a
 * restart on the same data directory, and every answered request_id still replays instead of applying again. The
 * node runs as {@code make run} starts it: TLS with a certificate from the consortium CA.
 */
class KillNineTest {
  @TempDir Path dir;

  @Test
  void killMinus9_thenRestart_keepsEveryAnsweredOperationAndRequestId() throws Exception {
    int port = freePort();
    Process node = startNode(port);
    String account;
    String token;
    var requestIds = new ArrayList<String>();
    try (var clients = new Clients(port, dir.resolve("pki/ca.pem"))) {
      awaitServing(clients, node);
      token = clients.signUp("ana", Cpfs.cpf(7));
      account = clients.as(token).openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
      for (int i = 0; i < 20; i++) {
        String id = UUID.randomUUID().toString();
        clients.as(token).deposit(DepositRequest.newBuilder().setAccount(account).setAmountCents(100 + i)
            .setRequestId(id).build());
        requestIds.add(id);
      }
    }
    node.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no graceful close
    assertTrue(node.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, node.exitValue(), "killed by signal 9");

    Process again = startNode(port);
    try (var clients = new Clients(port, dir.resolve("pki/ca.pem"))) {
      awaitServing(clients, again);
      long expected = 0;
      for (int i = 0; i < 20; i++) {
        expected += 100 + i;
      }
      var balance = clients.as(token).getBalance(GetBalanceRequest.newBuilder().setAccount(account).build());
      assertEquals(expected, balance.getBalanceCents());
      for (int i = 0; i < 20; i++) {
        var receipt = clients.as(token).deposit(DepositRequest.newBuilder().setAccount(account)
            .setAmountCents(100 + i).setRequestId(requestIds.get(i)).build()).getReceipt();
        assertTrue(receipt.getReplayed(), "request " + i + " replays after the crash");
      }
      assertEquals(expected, clients.as(token).getBalance(GetBalanceRequest.newBuilder().setAccount(account)
          .build()).getBalanceCents(), "no retry applied twice");
      assertEquals(20, clients.as(token).getStatement(GetStatementRequest.newBuilder().setAccount(account)
          .setPageSize(100).build()).getEntriesCount());
    } finally {
      again.destroy(); // SIGTERM: the graceful path
      assertTrue(again.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops the node");
    }
  }

  @Test
  void killMinus9_thenRestart_keepsConsentsAndWhatTheyReserved() throws Exception {
    int port = freePort();
    // beta is a member that never comes up: alpha can still hold consents for its customers.
    List<String> consortium = List.of("--peers", "alpha=127.0.0.1:" + freePort() + ",beta=127.0.0.1:" + freePort());
    Process node = startNode(port, consortium);
    String token;
    String account;
    try (var clients = new Clients(port, dir.resolve("pki/ca.pem"))) {
      awaitServing(clients, node);
      token = clients.signUp("ana", Cpfs.cpf(7));
      account = clients.as(token).openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount();
      clients.as(token).grantConsent(GrantConsentRequest.newBuilder().setAccount(account).setGrantee("beta:caio")
          .setTotalLimitCents(5_000).build());
      clients.as(token).grantConsent(GrantConsentRequest.newBuilder().setAccount(account).setGrantee("beta:bia")
          .build());
      clients.as(token).revokeConsent(RevokeConsentRequest.newBuilder().setAccount(account).setGrantee("beta:bia")
          .build());
    }
    node.destroyForcibly();
    assertTrue(node.waitFor(30, TimeUnit.SECONDS));

    Process again = startNode(port, consortium);
    try (var clients = new Clients(port, dir.resolve("pki/ca.pem"))) {
      awaitServing(clients, again);
      var consents = clients.as(token).listConsents(ListConsentsRequest.newBuilder().setAccount(account).build())
          .getConsentsList();
      assertEquals(List.of("beta:bia", "beta:caio"), consents.stream().map(Consent::getGrantee).toList());
      assertEquals(ConsentState.CONSENT_STATE_REVOKED, consents.get(0).getState());
      assertEquals(ConsentState.CONSENT_STATE_ACTIVE, consents.get(1).getState());
      assertEquals(5_000, consents.get(1).getTotalLimitCents());
    } finally {
      again.destroy();
      assertTrue(again.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops the node");
    }
  }

  private Process startNode(int port) throws IOException {
    return startNode(port, List.of());
  }

  /** A bank-node process over TLS, with certificates from {@code dir/pki} (made on first use, as make run does). */
  private Process startNode(int port, List<String> extra) throws IOException {
    Path pki = dir.resolve("pki");
    if (!java.nio.file.Files.exists(pki)) {
      dev.distribank.pki.Consortium.init(pki, List.of("alpha", "beta"), java.util.Map.of(),
          java.time.Duration.ofDays(1));
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), BankNodeMain.class.getName(), "--bank", "alpha", "--listen",
        "127.0.0.1:" + port, "--data-dir", dir.resolve("alpha").toString(), "--admin-token", "kill-nine-admin-token",
        "--pki-dir", pki.toString()));
    cmd.addAll(extra);
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("node-" + System.nanoTime() + ".log").toFile()).start();
  }

  private static void awaitServing(Clients clients, Process node) throws InterruptedException {
    var health = HealthGrpc.newBlockingStub(clients.channel());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertTrue(node.isAlive(), "the node process died during start-up");
      try {
        var status = health.withDeadlineAfter(1, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance())
            .getStatus();
        if (status == HealthCheckResponse.ServingStatus.SERVING) {
          return;
        }
      } catch (io.grpc.StatusRuntimeException notYet) {
        // the port is not open yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the node did not report SERVING within 60 s");
  }

  private static int freePort() throws IOException {
    return dev.distribank.node.testing.LocalCluster.freePort();
  }
}
