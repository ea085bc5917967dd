package dev.distribank.node.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.auth.Sessions;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.order.OrderCore;
import dev.distribank.node.store.Recovery;
import dev.distribank.node.store.Store;
import dev.distribank.node.testing.Cpfs;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event loop on a real RocksDB directory: answers only after the durable write, and fails stop on a fault. */
class EventLoopTest {
  @TempDir Path dir;

  private static EventLoop loop(Store store) throws Exception {
    var bank = new Bank("alpha");
    var core = new OrderCore("alpha", Set.of("alpha"), bank, store.history());
    Recovery.load(store, bank, core);
    var state = new BankState(bank, core, new Sessions(new SecureRandom(), Clock.systemUTC(), Duration.ofHours(1)),
        store, UUID::randomUUID);
    var loop = new EventLoop(state, envelopes -> { });
    loop.start();
    return loop;
  }

  @Test
  void answeredChange_isOnDiskWhenTheAnswerArrives() throws Exception {
    try (Store store = Store.open(dir)) {
      var loop = loop(store);
      String account = loop.call(s -> {
        s.bank().createCustomer("Ana", CustomerKind.INDIVIDUAL, Cpfs.cpf(1), "ana", "hash");
        return s.bank().openAccount("ana", AccountKind.INDIVIDUAL).id().toString();
      }).get(10, TimeUnit.SECONDS);
      loop.close();
      assertEquals("alpha:1001", account);
    }
    try (Store reopened = Store.open(dir)) {
      var bank = new Bank("alpha");
      Recovery.load(reopened, bank, new OrderCore("alpha", Set.of("alpha"), bank, reopened.history()));
      assertNotNull(bank.findCustomer("ana"), "the customer was written before the answer");
    }
  }

  @Test
  void taskThrows_loopStopsAndRefusesEverythingAfter() throws Exception {
    try (Store store = Store.open(dir)) {
      var loop = loop(store);
      assertNull(loop.failure());

      loop.execute(s -> {
        throw new IllegalStateException("I2 broken in a test");
      });
      var after = loop.call(s -> List.of());

      var e = assertThrows(CompletionException.class, after::join);
      assertTrue(e.getCause().getMessage().contains("stopping"), e.getCause().getMessage());
      assertNotNull(loop.failure(), "the loop records why it stopped");
      loop.close();
    }
  }

  @Test
  void brokenInvariantAfterAChange_nothingOfTheBatchIsWritten_restartRecoversTheRest() throws Exception {
    try (Store store = Store.open(dir)) {
      var loop = loop(store);
      loop.call(s -> s.bank().createCustomer("Ana", CustomerKind.INDIVIDUAL, Cpfs.cpf(1), "ana", "hash")).join();

      var broken = loop.call(s -> {
        s.bank().createCustomer("Bia", CustomerKind.INDIVIDUAL, Cpfs.cpf(2), "bia", "hash");
        throw new ArithmeticException("long overflow, as an invariant breaking half-way through");
      });

      var e = assertThrows(CompletionException.class, broken::join);
      assertTrue(e.getCause().getMessage().contains("an invariant broke"), e.getCause().getMessage());
      assertNotNull(loop.failure());
      loop.close();
    }
    try (Store reopened = Store.open(dir)) {
      var bank = new Bank("alpha");
      Recovery.load(reopened, bank, new OrderCore("alpha", Set.of("alpha"), bank, reopened.history()));
      assertNotNull(bank.findCustomer("ana"), "what was answered before is there");
      assertNull(bank.findCustomer("bia"), "the half-done change was not written");
    }
  }

  @Test
  void pastTheBound_callsAreRefusedAtOnce_theQueuedOnesStillComplete() throws Exception {
    try (Store store = Store.open(dir)) {
      var bank = new Bank("alpha");
      var core = new OrderCore("alpha", Set.of("alpha"), bank, store.history());
      var state = new BankState(bank, core, new Sessions(new SecureRandom(), Clock.systemUTC(), Duration.ofHours(1)),
          store, UUID::randomUUID);
      var loop = new EventLoop(state, Clock.systemUTC(), 100, envelopes -> { });
      loop.start();
      var gate = new java.util.concurrent.CountDownLatch(1);
      var started = new java.util.concurrent.CountDownLatch(1);
      var blocker = loop.call(s -> {
        started.countDown();
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return 0;
      });
      started.await();

      var calls = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Integer>>();
      for (int i = 0; i < 150; i++) {
        int n = i;
        calls.add(loop.call(s -> n));
      }
      long refused = calls.stream().filter(java.util.concurrent.CompletableFuture::isCompletedExceptionally).count();
      var tick = loop.controlCall(s -> -1);
      gate.countDown();

      assertEquals(50, refused, "exactly what did not fit was refused, at once");
      var e = assertThrows(CompletionException.class, () -> calls.get(149).join());
      var rejection = ((dev.distribank.node.core.ledger.Rejection.Rejected) e.getCause()).rejection();
      assertEquals(dev.distribank.node.core.ledger.Reason.OVERLOADED, rejection.reason());
      assertEquals(0, blocker.get(10, TimeUnit.SECONDS));
      for (int i = 0; i < 100; i++) {
        assertEquals(i, calls.get(i).get(10, TimeUnit.SECONDS));
      }
      assertEquals(-1, tick.get(10, TimeUnit.SECONDS), "the node's own events are never refused for load");
      loop.close();
    }
  }
}
