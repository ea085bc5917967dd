package dev.distribank.node;

import static dev.distribank.node.testing.Clients.reason;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.metrics.NodeMetrics;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.node.testing.Scrape;
import dev.distribank.proto.bank.v1.AccountKind;
import dev.distribank.proto.bank.v1.DepositRequest;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.Leg;
import dev.distribank.proto.bank.v1.LegKind;
import dev.distribank.proto.bank.v1.LoginRequest;
import dev.distribank.proto.bank.v1.OpenAccountRequest;
import dev.distribank.proto.bank.v1.TransferRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real banks on loopback, real RocksDB, metrics on: a scrape of {@code /metrics} under a little load finds the
 * named series moving, typed and with their units, each call counted once; hostile scrapes do not hurt the node, and
 * no secret is ever in the text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndpointTest {
  static final String PASSWORD = "correct horse"; // Clients.signUp's
  LocalCluster cluster;
  final Map<String, String> tokens = new ConcurrentHashMap<>();
  final Map<String, String> accounts = new ConcurrentHashMap<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cluster = new LocalCluster(dir, List.of("alpha", "beta"), c -> c.withMetricsListen("127.0.0.1:0"));
    for (String bank : cluster.banks()) {
      String token = cluster.at(bank).signUp("ana", Cpfs.cpf(11));
      tokens.put(bank, token);
      accounts.put(bank, cluster.at(bank).as(token).openAccount(OpenAccountRequest.newBuilder()
          .setKind(AccountKind.ACCOUNT_KIND_INDIVIDUAL).build()).getAccount().getAccount());
    }
    Clients.consentEverywhere(cluster::at, "ana", tokens, accounts);
  }

  @AfterAll
  void stop() throws Exception {
    cluster.close();
  }

  Scrape scrape(String bank) {
    return Scrape.of(cluster.node(bank).metricsPort());
  }

  TransferRequest transfer(long cents) {
    return TransferRequest.newBuilder().addLegs(Leg.newBuilder().setKind(LegKind.LEG_KIND_TRANSFER)
        .setFromAccount(accounts.get("alpha")).setToAccount(accounts.get("beta")).setAmountCents(cents)).build();
  }

  static final String ALPHA = "bank=\"alpha\"";
  static final String TRANSFER = "grpc_method=\"bank.v1.BankService/Transfer\"";

  @Test
  void underLoad_namedSeriesMove_typedAndInTheirUnits() throws InterruptedException {
    var alpha = cluster.at("alpha").as(tokens.get("alpha"));
    Scrape before = scrape("alpha");
    Scrape betaBefore = scrape("beta");

    alpha.deposit(DepositRequest.newBuilder().setAccount(accounts.get("alpha")).setAmountCents(10_000).build());
    for (int i = 0; i < 3; i++) {
      alpha.transfer(transfer(100));
    }
    var e = assertThrows(StatusRuntimeException.class, () -> alpha.transfer(transfer(1_000_000)));
    assertEquals("INSUFFICIENT_FUNDS", reason(e));
    var wrong = assertThrows(StatusRuntimeException.class, () -> cluster.at("alpha").anonymous()
        .login(LoginRequest.newBuilder().setLogin("ana").setPassword("not the password").build()));
    assertEquals(Status.Code.UNAUTHENTICATED, wrong.getStatus().getCode());
    Thread.sleep(NodeMetrics.GAUGE_REFRESH_MILLIS + 100); // so the gauges are read afresh
    Scrape after = scrape("alpha");
    Scrape beta = scrape("beta");

    // gRPC's own (gRFC A66), server side: each call once, by method and status.
    assertEquals("counter", after.type("grpc_server_call_started_total"));
    assertEquals("histogram", after.type("grpc_server_call_duration_seconds"));
    assertEquals("histogram", after.type("grpc_server_call_sent_total_compressed_message_size_bytes"));
    assertEquals("histogram", after.type("grpc_server_call_rcvd_total_compressed_message_size_bytes"));
    assertEquals(4, delta(before, after, "grpc_server_call_started_total", ALPHA, TRANSFER));
    assertEquals(3, delta(before, after, "grpc_server_call_duration_seconds_count", TRANSFER, "grpc_status=\"OK\""));
    assertEquals(1, delta(before, after, "grpc_server_call_duration_seconds_count", TRANSFER,
        "grpc_status=\"FAILED_PRECONDITION\""));
    assertTrue(delta(before, after, "grpc_server_call_duration_seconds_sum", TRANSFER) > 0);
    // ... and the peer links' client side: alpha dials beta, and probes its health.
    assertTrue(after.sum("grpc_client_attempt_started_total",
        "grpc_method=\"bank.peer.v1.PeerService/Exchange\"") >= 1, after.text());
    assertEquals("histogram", after.type("grpc_client_attempt_duration_seconds"));
    assertTrue(after.sum("grpc_client_call_duration_seconds_count", "grpc_method=\"grpc.health.v1.Health/Check\"")
        >= 1);
    assertTrue(beta.sum("grpc_server_call_started_total", "grpc_method=\"bank.peer.v1.PeerService/Exchange\"")
        >= 1);

    // The bank's own.
    assertEquals("counter", after.type("distribank_transactions_total"));
    assertEquals(4, delta(before, after, "distribank_transactions_total", "outcome=\"committed\""),
        "the deposit and three transfers, once each");
    assertEquals(1, delta(before, after, "distribank_transactions_total", "outcome=\"aborted\"",
        "reason=\"insufficient_funds\""));
    assertEquals(3, delta(betaBefore, beta, "distribank_transactions_total", "outcome=\"committed\""));
    assertEquals(1, delta(before, after, "distribank_login_failures_total"));
    assertEquals("histogram", after.type("distribank_fsync_duration_seconds"));
    assertTrue(delta(before, after, "distribank_fsync_duration_seconds_count") >= 4);
    assertTrue(delta(before, after, "distribank_fsync_duration_seconds_sum") > 0);
    assertEquals("histogram", after.type("distribank_group_commit_size"));
    assertTrue(delta(before, after, "distribank_group_commit_size_sum")
        >= delta(before, after, "distribank_group_commit_size_count"), "at least one task per durable write");
    assertTrue(delta(before, after, "distribank_peer_messages_total", "peer=\"beta\"", "direction=\"sent\"") >= 3);
    assertTrue(delta(before, after, "distribank_peer_messages_total", "peer=\"beta\"", "direction=\"received\"")
        >= 3);
    assertEquals(1, after.value("distribank_peer_link_up{bank=\"alpha\",peer=\"beta\"}"));
    assertTrue(after.value("distribank_lamport_clock{bank=\"alpha\"}")
        > before.value("distribank_lamport_clock{bank=\"alpha\"}"));
    assertEquals(1, after.value("distribank_consents{bank=\"alpha\"}"), "ana's consent for beta:ana");
    for (String idle : List.of("distribank_in_doubt_votes", "distribank_in_doubt_oldest_age_seconds",
        "distribank_delivery_queue_depth", "distribank_delivery_head_wait_seconds")) {
      assertEquals("gauge", after.type(idle), idle);
      assertTrue(after.has(idle + "{bank=\"alpha\"}"), idle);
      assertEquals(0, after.value(idle + "{bank=\"alpha\"}"), idle + ": nothing waits once the calls are answered");
    }
    assertTrue(after.text().contains("target_info{bank=\"alpha\",service_name=\"bank-node\""), after.text());
  }

  @Test
  void oneCall_countedExactlyOnce() {
    var alpha = cluster.at("alpha").as(tokens.get("alpha"));
    String balance = "grpc_method=\"bank.v1.BankService/GetBalance\"";
    Scrape before = scrape("alpha");

    alpha.getBalance(GetBalanceRequest.newBuilder().setAccount(accounts.get("alpha")).build());
    Scrape after = scrape("alpha");

    assertEquals(1, delta(before, after, "grpc_server_call_started_total", balance));
    assertEquals(1, delta(before, after, "grpc_server_call_duration_seconds_count", balance));
    assertEquals(0, delta(before, after, "grpc_server_call_started_total",
        "grpc_method=\"bank.v1.BankService/Login\""));
  }

  @Test
  void throttledSignIns_countedAsRefusedForLoad_theWrongOnesAsFailures() {
    var anonymous = cluster.at("alpha").anonymous();
    var guess = LoginRequest.newBuilder().setLogin("mallory").setPassword("guess-1234").build();
    Scrape before = scrape("alpha");

    StatusRuntimeException last = null;
    for (int i = 0; i < 6; i++) {
      last = assertThrows(StatusRuntimeException.class, () -> anonymous.login(guess));
    }
    Scrape after = scrape("alpha");

    assertEquals("LOGIN_THROTTLED", reason(last));
    assertEquals(5, delta(before, after, "distribank_login_failures_total"));
    assertEquals(1, delta(before, after, "distribank_requests_refused_total", "reason=\"resource_exhausted\"",
        "error_reason=\"login_throttled\""));
    assertEquals("counter", after.type("distribank_requests_refused_total"));
  }

  @Test
  void hostileScrapes_cannotHurtTheNode() throws Exception {
    int port = cluster.node("alpha").metricsPort();
    var held = new ArrayList<Socket>();
    try {
      for (int i = 0; i < 200; i++) {
        held.add(new Socket("127.0.0.1", port));
      }
      try (var garbage = new Socket("127.0.0.1", port)) {
        garbage.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0, (byte) 0xff, '\n', '\n'});
      }
      try (var huge = new Socket("127.0.0.1", port)) {
        huge.getOutputStream().write(("GET /" + "x".repeat(100_000)).getBytes(ISO_8859_1));
      } catch (java.io.IOException cutOff) {
        // the server stopped reading at its limit and closed: what it should do
      }
      // Meanwhile the bank serves as ever.
      cluster.at("alpha").as(tokens.get("alpha")).getBalance(GetBalanceRequest.newBuilder()
          .setAccount(accounts.get("alpha")).build());
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    long deadline = System.nanoTime() + 15_000_000_000L;
    Scrape scrape = null;
    while (scrape == null) {
      try {
        scrape = scrape("alpha");
      } catch (RuntimeException stillBusy) {
        if (System.nanoTime() > deadline) {
          throw stillBusy;
        }
        Thread.sleep(200);
      }
    }
    assertTrue(scrape.has("distribank_peer_link_up{bank=\"alpha\",peer=\"beta\"}"));
  }

  @Test
  void noSecretInTheMetrics() {
    cluster.at("alpha").logIn("ana");
    assertThrows(StatusRuntimeException.class, () -> cluster.at("alpha").admin("not-the-admin-token")
        .getClusterStatus(dev.distribank.proto.bank.v1.GetClusterStatusRequest.getDefaultInstance()));
    for (String bank : cluster.banks()) {
      String text = scrape(bank).text();
      var secrets = new ArrayList<>(List.of(cluster.config(bank).adminToken(), PASSWORD, "not the password",
          "not-the-admin-token", "guess-1234"));
      secrets.addAll(tokens.values());
      for (String secret : secrets) {
        assertFalse(text.contains(secret), "a secret in " + bank + "'s /metrics");
      }
    }
  }

  /** How much the series of {@code name} with all of {@code labels} grew between two scrapes. */
  static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }
}
