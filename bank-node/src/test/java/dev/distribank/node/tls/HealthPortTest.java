package dev.distribank.node.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Clients;
import dev.distribank.pki.Consortium;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.LoginRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS node's plaintext health port (for Kubernetes' gRPC probes, which cannot speak TLS) answers grpc.health.v1 and
 * nothing else; the public port answers nobody in plaintext.
 */
class HealthPortTest {
  @TempDir Path dir;

  @Test
  void healthPortServesHealthOnly_inPlaintext_publicPortOnlyTls() throws Exception {
    Path pki = dir.resolve("pki");
    Consortium.init(pki, List.of("alpha"), Map.of(), Duration.ofDays(1));
    try (BankNode node = BankNode.start(NodeConfig.forTest("alpha", dir.resolve("alpha"))
        .withTls(TlsFiles.inDirectory(pki, "alpha")).withHealthListen("127.0.0.1:0"));
        var health = new Clients(node.healthPort());
        var plaintextPublic = new Clients(node.port());
        var tls = new Clients(node.port(), pki.resolve("ca.pem"))) {
      assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(health.channel())
          .check(HealthCheckRequest.getDefaultInstance()).getStatus());

      var notHere = assertThrows(StatusRuntimeException.class, () -> BankServiceGrpc.newBlockingStub(
          health.channel()).login(LoginRequest.newBuilder().setLogin("ana").setPassword("x").build()));
      assertEquals(io.grpc.Status.Code.UNIMPLEMENTED, notHere.getStatus().getCode());
      assertEquals("NO_SUCH_METHOD", Clients.reason(notHere));

      var plaintext = assertThrows(StatusRuntimeException.class, () -> HealthGrpc.newBlockingStub(
          plaintextPublic.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()));
      assertEquals(io.grpc.Status.Code.UNAVAILABLE, plaintext.getStatus().getCode());
      assertTrue(node.peerPort() < 0, "a bank alone has no peer port");
      assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(tls.channel())
          .check(HealthCheckRequest.getDefaultInstance()).getStatus());
    }
  }
}
