package dev.distribank.node.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.auth.HashingPool;
import dev.distribank.node.auth.LoginThrottle;
import dev.distribank.node.auth.PasswordHasher;
import dev.distribank.node.auth.Sessions;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.OrderCore;
import dev.distribank.node.core.order.Outcome;
import dev.distribank.node.loop.BankState;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.node.store.Recovery;
import dev.distribank.node.store.Store;
import dev.distribank.node.testing.Cpfs;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches past the node's bounds are refused whole (OVERLOADED, with when to retry) and change nothing; within them
 * they run. A lone bank on a real RocksDB directory, its application given small bounds: at most 4 transactions of
 * batches waiting for the loop, and at most 3 coordinated at once.
 */
class BatchAdmissionTest {
  @TempDir Path dir;

  @Test
  void batchesPastEitherBound_refusedWhole_thoseWithinRun() throws Exception {
    try (Store store = Store.open(dir); var hashing = new HashingPool(1, 4)) {
      var bank = new Bank("alpha");
      var core = new OrderCore("alpha", Set.of("alpha"), bank, store.history());
      Recovery.load(store, bank, core);
      var sessions = new Sessions(new SecureRandom(), Clock.systemUTC(), Duration.ofHours(1));
      var loop = new EventLoop(new BankState(bank, core, sessions, store, UUID::randomUUID), envelopes -> { });
      loop.start();
      var app = new LoopBankApplication(loop, Set.of("alpha"), new PasswordHasher(1, new SecureRandom()), hashing,
          new LoginThrottle(Clock.systemUTC()), "admin", List::of, new BatchAdmission(4, 3));
      app.signUp(new NewCustomer("Ana", CustomerKind.INDIVIDUAL, Cpfs.cpf(1), "ana", "correct horse")).get();
      String token = app.signIn("ana", "correct horse", "test").get().token();
      AccountId from = app.openAccount(token, AccountKind.INDIVIDUAL).get().id();
      AccountId to = app.openAccount(token, AccountKind.INDIVIDUAL).get().id();
      app.deposit(token, new Cash(from, 100, "")).get();

      List<Outcome> three = app.submitAll(token, transfers(from, to, 3)).get(10, TimeUnit.SECONDS);
      Rejection inFlight = refusal(() -> app.submitAll(token, transfers(from, to, 4)).get(10, TimeUnit.SECONDS));
      Rejection waiting = refusal(() -> app.submitAll(token, transfers(from, to, 5)).get(10, TimeUnit.SECONDS));
      List<Outcome> again = app.submitAll(token, transfers(from, to, 3)).get(10, TimeUnit.SECONDS);

      assertTrue(three.stream().allMatch(Outcome.Committed.class::isInstance), three::toString);
      assertTrue(again.stream().allMatch(Outcome.Committed.class::isInstance), "a refusal frees its room");
      for (Rejection r : List.of(inFlight, waiting)) {
        assertEquals(Reason.OVERLOADED, r.reason(), r::toString);
        assertEquals("100", r.metadata().get(Rejection.RETRY_AFTER_MILLIS), r::toString);
      }
      assertTrue(inFlight.message().contains("0 transactions are in flight, and at most 3 may be"), inFlight::message);
      assertTrue(waiting.message().contains("batches of more than 4 transactions are waiting"), waiting::message);
      assertEquals(94, app.account(token, from).get().balanceCents(), "only the six admitted transfers moved");
      loop.close();
    }
  }

  private static Batch transfers(AccountId from, AccountId to, int count) {
    var entries = new ArrayList<Batch.Entry>();
    for (int i = 0; i < count; i++) {
      entries.add(new Batch.Readable(new Transfer(List.of(Leg.transfer(from, new Destination.ToAccount(to), 1)),
          "")));
    }
    return new Batch(entries);
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static Rejection refusal(Call call) {
    var e = assertThrows(ExecutionException.class, call::run);
    return assertInstanceOf(Rejection.Rejected.class, e.getCause()).rejection();
  }
}
