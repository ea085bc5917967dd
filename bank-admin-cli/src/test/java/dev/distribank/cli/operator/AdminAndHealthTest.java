package dev.distribank.cli.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.cli.Cli;
import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.proto.bank.v1.ListCustomersResponse;
import dev.distribank.proto.bank.v1.ListOperationsResponse;
import dev.distribank.proto.bank.v1.OperationStatus;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's commands, which send the node's admin token, and the health probe. */
class AdminAndHealthTest {
  private static final Pattern TRANSACTION = Pattern.compile("committed (\\S+) at");

  @TempDir
  static Path dataDir;

  private static BankNode node;
  private static Cli cli;
  private static String token;
  private static String depositTxn;

  @BeforeAll
  static void startNode() throws IOException {
    node = BankNode.start(NodeConfig.forTest("alpha", dataDir.resolve("alpha")));
    cli = new Cli(node.port());
    token = cli.signUp("ana");
    cli.signUp("bia");
    String account = cli.openAccount(token, "individual");
    Matcher m = TRANSACTION.matcher(cli.ok("deposit", "--account", account, "--amount", "3.00", "--token", token)
        .out());
    assertTrue(m.find());
    depositTxn = m.group(1);
    // An aborted one too, so the log shows both outcomes.
    assertEquals(1, cli.run("withdraw", "--account", account, "--amount", "4.00", "--token", token).exitCode());
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void adminCustomers_adminToken_listsLogins() {
    Cli.Result text = cli.ok("admin", "customers", "--token", Cli.ADMIN_TOKEN);
    assertTrue(text.out().lines().findFirst().orElseThrow().matches("LOGIN\\s+KIND\\s+TAX ID\\s+NAME"), text::toString);
    assertTrue(text.out().lines().anyMatch(l -> l.matches("ana\\s+individual\\s+\\d{11}\\s+Test ana")), text::toString);
    assertTrue(text.out().lines().anyMatch(l -> l.startsWith("bia ")), text::toString);

    ListCustomersResponse page = Cli.json(cli.ok("admin", "customers", "--limit", "1", "--token", Cli.ADMIN_TOKEN,
        "--output", "json").out(), ListCustomersResponse.newBuilder()).build();
    assertEquals(1, page.getCustomersCount());
    assertEquals("ana", page.getCustomers(0).getLogin());
    assertTrue(!page.getNextPageToken().isEmpty(), page::toString);
    Cli.Result next = cli.ok("admin", "customers", "--limit", "1", "--page-token", page.getNextPageToken(),
        "--token", Cli.ADMIN_TOKEN);
    assertTrue(next.out().lines().anyMatch(l -> l.startsWith("bia ")), next::toString);
  }

  @Test
  void adminOperations_adminToken_showsTheLog() {
    Cli.Result text = cli.ok("admin", "operations", "--token", Cli.ADMIN_TOKEN);
    assertTrue(text.out().lines().anyMatch(l -> l.contains(depositTxn) && l.contains("committed")
        && l.contains("deposit -> ") && l.contains("3.00")), text::toString);
    assertTrue(text.out().lines().anyMatch(l -> l.contains("aborted INSUFFICIENT_FUNDS (leg 0)")), text::toString);

    ListOperationsResponse log = Cli.json(cli.ok("admin", "operations", "--token", Cli.ADMIN_TOKEN, "--output",
        "json").out(), ListOperationsResponse.newBuilder()).build();
    assertTrue(log.getOperationsList().stream().anyMatch(o -> o.getTransactionId().equals(depositTxn)
        && o.getStatus() == OperationStatus.OPERATION_STATUS_COMMITTED && o.getPrincipal().startsWith("ana")),
        log::toString);
  }

  @Test
  void adminCommands_customerToken_refused() {
    Cli.Result r = cli.run("admin", "customers", "--token", token);
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("error: "), r::toString);
  }

  @Test
  void health_servingNode_exit0() {
    assertEquals("SERVING", cli.ok("health").out().strip());
    HealthCheckResponse json = Cli.json(cli.ok("health", "--output", "json").out(), HealthCheckResponse.newBuilder())
        .build();
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, json.getStatus());
  }

  @Test
  void health_notServingWithAReason_printsItOnASecondLine_exit1() throws Exception {
    // A node out of room answers as this server does (bank-node's FullDiskTest runs the real one).
    var health = new HealthStatusManager();
    health.setStatus("", HealthCheckResponse.ServingStatus.NOT_SERVING);
    ServerInterceptor reason = new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call,
          Metadata headers, ServerCallHandler<Q, A> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            trailers.put(HealthCommand.NOT_SERVING_REASON, "DISK_FULL: bank beta is not taking work: its disk is full");
            super.close(status, trailers);
          }
        }, headers);
      }
    };
    var server = NettyServerBuilder.forAddress(
            new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(health.getHealthService(), reason)).build().start();
    try {
      Cli.Result r = Cli.raw("health", "--target", "127.0.0.1:" + server.getPort());
      assertEquals(1, r.exitCode(), r::toString);
      assertEquals("NOT_SERVING\nwhy: DISK_FULL: bank beta is not taking work: its disk is full\n",
          r.out().replace("\r\n", "\n"), r::toString);
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void health_stoppedNode_exit1() throws IOException {
    int port;
    try (BankNode beta = BankNode.start(NodeConfig.forTest("beta", dataDir.resolve("beta")))) {
      port = beta.port();
      assertEquals(0, Cli.raw("health", "--target", "127.0.0.1:" + port).exitCode());
    }
    Cli.Result r = Cli.raw("health", "--target", "127.0.0.1:" + port, "--timeout-seconds", "5");
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(r.err().contains("(UNAVAILABLE)"), r::toString);
  }
}
