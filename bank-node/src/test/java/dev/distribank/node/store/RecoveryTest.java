package dev.distribank.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.auth.Sessions;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Escrow;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.loop.BankState;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.node.core.order.OrderCore;
import dev.distribank.node.testing.Cpfs;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank's flows with the other banks (the bilateral audit's records) on a real RocksDB directory: written by the
 * event loop in the same batch as the postings that moved them, and read back exactly by {@link Recovery}.
 */
class RecoveryTest {
  static final Set<String> MEMBERS = Set.of("alpha", "beta", "gamma");
  /** More than an int64 holds: the flows only grow, so they must survive a restart exactly. */
  static final BigInteger HUGE = BigInteger.TWO.pow(70);
  @TempDir Path dir;

  private static Bank recovered(Store store) throws Exception {
    var bank = new Bank("alpha");
    Recovery.load(store, bank, new OrderCore("alpha", MEMBERS, bank, store.history()));
    return bank;
  }

  private static AuditTrail.Flow flow(BigInteger sent, long received) {
    return new AuditTrail.Flow(sent, BigInteger.valueOf(received));
  }

  @Test
  void flowsWithOtherBanks_surviveARestart_exactly() throws Exception {
    SortedMap<String, AuditTrail.Flow> before;
    try (Store store = Store.open(dir)) {
      var bank = new Bank("alpha");
      var core = new OrderCore("alpha", MEMBERS, bank, store.history());
      Recovery.load(store, bank, core);
      var state = new BankState(bank, core, new Sessions(new SecureRandom(), Clock.systemUTC(),
          Duration.ofHours(1)), store, UUID::randomUUID);
      var loop = new EventLoop(state, envelopes -> { });
      loop.start();
      before = loop.call(s -> {
        Bank b = s.bank();
        b.auditTrail().restore(BigInteger.ZERO, BigInteger.ZERO, Map.of("beta", flow(HUGE, 1)), 0);
        b.createCustomer("Ana", CustomerKind.INDIVIDUAL, Cpfs.cpf(1), "ana", "hash");
        AccountId ana = b.openAccount("ana", AccountKind.INDIVIDUAL).id();
        var escrow = new Escrow(b);
        var legs = List.of(Leg.deposit(ana, 1_000));
        escrow.apply("alpha-1", new Stamp(1, "alpha"), b.principal("ana"), legs,
            escrow.reserve(b.principal("ana"), legs));
        // Alpha's side of a transaction with beta and gamma: it sends 300 to beta and receives 40 from gamma.
        legs = List.of(Leg.transfer(ana, new Destination.ToAccount(new AccountId("beta", 1001)), 300),
            Leg.transfer(new AccountId("gamma", 1001), new Destination.ToAccount(ana), 40));
        escrow.apply("gamma-1", new Stamp(2, "gamma"), b.principal("ana"), legs,
            escrow.reserve(b.principal("ana"), legs));
        return b.auditTrail().flows();
      }).get(10, TimeUnit.SECONDS);
      loop.close();
    }
    assertEquals(Map.of("beta", flow(HUGE.add(BigInteger.valueOf(300)), 1), "gamma", flow(BigInteger.ZERO, 40)),
        before);

    try (Store reopened = Store.open(dir)) {
      Bank bank = recovered(reopened);
      assertEquals(before, bank.auditTrail().flows(), "the flows as the loop wrote them, exact past an int64");
      assertEquals(Map.of("beta", before.get("beta"), "gamma", before.get("gamma")),
          bank.auditTrail().asOf(reopened.counters().getClock(), bank, MEMBERS).flows());
      try (Batch unchanged = reopened.newBatch()) {
        unchanged.flows(bank.auditTrail().flows());
        assertTrue(unchanged.isEmpty(), "flows that did not change are not written again");
      }
    }
  }

  @Test
  void storeWrittenBeforeFlowsWereKept_noFlows_everyOtherBankReportsZero() throws Exception {
    try (Store store = Store.open(dir)) {
      try (Batch b = store.newBatch()) {
        store.write(b.totals(BigInteger.valueOf(500), BigInteger.ZERO));
      }
    }
    try (Store reopened = Store.open(dir)) {
      Bank bank = recovered(reopened);
      assertEquals(Map.of(), bank.auditTrail().flows());
      assertEquals(BigInteger.valueOf(500), bank.auditTrail().depositsCents());
      assertEquals(Map.of("beta", AuditTrail.Flow.NONE, "gamma", AuditTrail.Flow.NONE),
          bank.auditTrail().asOf(0, bank, MEMBERS).flows());
    }
  }
}
