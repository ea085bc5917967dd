package dev.distribank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.proto.bank.v1.GetBalanceRequest;
import dev.distribank.proto.bank.v1.TransferRequest;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The channels' retry policy against a bank that answers UNAVAILABLE a given number of times: the calls a repeat
 * cannot apply twice are sent again with the same request, the others once, and a call gives up after its attempts.
 */
class RetryPolicyTest {
  private static final String LEG = "alpha:1001,alpha:1002,1.00";

  private FlakyBank bank;
  private String target;

  @BeforeEach
  void startBank() throws IOException {
    bank = FlakyBank.start();
    target = bank.target();
  }

  @AfterEach
  void stopBank() throws InterruptedException {
    bank.close();
  }

  @Test
  void transfer_unavailableTwice_sentAgainWithTheSameRequestIdAndAnswered() {
    bank.failNext(2);
    Cli.Result r = Cli.raw("transfer", "--leg", LEG, "--target", target, "--token", "t");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(3, bank.requests().size(), bank.requests()::toString);
    assertEquals(1, bank.requests().stream().map(q -> ((TransferRequest) q).getRequestId()).distinct().count(),
        bank.requests()::toString);
  }

  @Test
  void transfer_unavailableEveryTime_givesUpAfterFourAttemptsWithTheHint() {
    bank.failNext(Integer.MAX_VALUE);
    Cli.Result r = Cli.raw("transfer", "--leg", LEG, "--target", target, "--token", "t");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals(RetryPolicy.STANDARD.maxAttempts(), bank.requests().size(), bank.requests()::toString);
    assertTrue(r.err().contains("node restarting (UNAVAILABLE)"), r::toString);
    assertTrue(r.err().contains("--request-id " + ((TransferRequest) bank.requests().get(0)).getRequestId()),
        r::toString);
  }

  @Test
  void openAccount_unavailable_sentOnce() {
    bank.failNext(1);
    Cli.Result r = Cli.raw("account", "open", "--kind", "individual", "--target", target, "--token", "t");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals(1, bank.requests().size(), bank.requests()::toString);
  }

  @Test
  void read_unavailableOnce_answered() {
    bank.failNext(1);
    Cli.Result r = Cli.raw("balance", "--account", "alpha:1001", "--target", target, "--token", "t");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(2, bank.requests().size(), bank.requests()::toString);
  }

  @Test
  void oneAttempt_nothingRepeated() {
    bank.failNext(1);
    try (var connection = BankConnection.open(target, "t", 5, InsecureChannelCredentials.create(),
        new RetryPolicy(1, RetryPolicy.REPEATABLE))) {
      var e = assertThrows(StatusRuntimeException.class,
          () -> connection.bank().getBalance(GetBalanceRequest.getDefaultInstance()));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }
    assertEquals(1, bank.requests().size(), bank.requests()::toString);
  }

  @Test
  void manyAttempts_allMade() {
    bank.failNext(7);
    try (var connection = BankConnection.open(target, "t", 30, InsecureChannelCredentials.create(),
        new RetryPolicy(8, RetryPolicy.REPEATABLE))) {
      connection.bank().getBalance(GetBalanceRequest.getDefaultInstance());
    }
    // More than gRPC's default cap of 5 attempts: the connection raises the cap to the policy's.
    assertEquals(8, bank.requests().size(), bank.requests()::toString);
  }
}
