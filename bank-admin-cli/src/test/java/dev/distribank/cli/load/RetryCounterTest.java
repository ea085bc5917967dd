package dev.distribank.cli.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distribank.cli.BankConnection;
import dev.distribank.cli.FlakyBank;
import dev.distribank.cli.RetryPolicy;
import dev.distribank.proto.bank.v1.GetBalanceRequest;
import io.grpc.InsecureChannelCredentials;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The load report counts the attempts gRPC's retry policy repeats, which the worker never sees. */
class RetryCounterTest {
  @Test
  void unavailableTwice_twoRetriesCounted() throws Exception {
    var retries = new AtomicInteger();
    try (FlakyBank bank = FlakyBank.start(); BankConnection connection = BankConnection.open(bank.target(), "t", 30,
        InsecureChannelCredentials.create(), new RetryPolicy(4, RetryPolicy.REPEATABLE))) {
      bank.failNext(2);
      connection.bank().withInterceptors(new RetryCounter(retries::incrementAndGet))
          .getBalance(GetBalanceRequest.getDefaultInstance());
      assertEquals(3, bank.requests().size(), bank.requests()::toString);
    }
    assertEquals(2, retries.get());
  }
}
