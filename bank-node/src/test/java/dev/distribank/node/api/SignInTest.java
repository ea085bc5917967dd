package dev.distribank.node.api;

import static dev.distribank.node.testing.Clients.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.RetryInfo;
import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.proto.bank.v1.LoginRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Password guessing against a real node is throttled: RESOURCE_EXHAUSTED with a RetryInfo, before any hash. */
class SignInTest {
  @TempDir Path dir;
  BankNode node;
  Clients clients;

  @BeforeEach
  void start() throws Exception {
    node = BankNode.start(NodeConfig.forTest("alpha", dir));
    clients = new Clients(node.port());
  }

  @AfterEach
  void stop() throws Exception {
    clients.close();
    node.close();
  }

  StatusRuntimeException login(String login, String password) {
    return assertThrows(StatusRuntimeException.class, () -> clients.anonymous().login(LoginRequest.newBuilder()
        .setLogin(login).setPassword(password).build()));
  }

  @Test
  void fiveWrongPasswords_thenEvenTheRightOneWaits_withRetryInfo() throws Exception {
    clients.signUp("ana", Cpfs.cpf(1));
    for (int i = 0; i < 5; i++) {
      var e = login("ana", "guess number " + i);
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), "guess " + i + " is answered normally");
    }

    var throttled = login("ana", "correct horse");

    assertEquals(Status.Code.RESOURCE_EXHAUSTED, throttled.getStatus().getCode());
    assertEquals("LOGIN_THROTTLED", reason(throttled));
    var details = StatusProto.fromThrowable(throttled).getDetailsList();
    assertEquals(1, details.stream().filter(d -> d.is(com.google.rpc.ErrorInfo.class)).count());
    var retry = details.stream().filter(d -> d.is(RetryInfo.class)).findFirst().orElseThrow().unpack(RetryInfo.class);
    assertTrue(retry.getRetryDelay().getSeconds() >= 0 && retry.getRetryDelay().getSeconds() <= 1, retry.toString());

    Thread.sleep(1_100);
    assertTrue(!clients.logIn("ana").isEmpty(), "after the wait the right password works, and forgives the login");
    assertEquals(Status.Code.UNAUTHENTICATED, login("ana", "one more guess").getStatus().getCode());
  }

  @Test
  void unknownLogins_countAgainstTheAddress() {
    for (int i = 0; i < 20; i++) {
      assertEquals(Status.Code.UNAUTHENTICATED, login("nobody" + i, "whatever it is").getStatus().getCode());
    }
    assertEquals("LOGIN_THROTTLED", reason(login("nobody-else", "whatever it is")), "one address spraying logins");
  }
}
