package dev.distribank.node.store;


import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.ExactCents;
import dev.distribank.node.core.order.OrderCore;
import dev.distribank.node.store.Store.Family;
import dev.distribank.proto.store.v1.AccountRecord;
import dev.distribank.proto.store.v1.ConsentRecord;
import dev.distribank.proto.store.v1.CoordinationRecord;
import dev.distribank.proto.store.v1.CounterpartyFlowRecord;
import dev.distribank.proto.store.v1.CountersRecord;
import dev.distribank.proto.store.v1.CustomerRecord;
import dev.distribank.proto.store.v1.PixKeyRecord;
import dev.distribank.proto.store.v1.VoteRecord;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.RocksDBException;

/** Rebuilds a bank's in-memory state from its store after a start or a crash. */
public final class Recovery {
  private Recovery() {}

  /** A stored running total: the exact decimal, or (for a store written before totals were exact) the int64. */
  private static BigInteger exact(String decimal, long legacy) throws RocksDBException {
    try {
      return ExactCents.read(decimal, legacy);
    } catch (NumberFormatException e) {
      throw new RocksDBException("corrupt running total '" + decimal + "'");
    }
  }

  /** The stored flows with other banks; a store written before they were kept has none. */
  private static Map<String, AuditTrail.Flow> flows(CountersRecord counters) throws RocksDBException {
    var out = new TreeMap<String, AuditTrail.Flow>();
    for (CounterpartyFlowRecord f : counters.getCounterpartyFlowsList()) {
      out.put(f.getBank(), new AuditTrail.Flow(exact(f.getExactSentCents(), 0), exact(f.getExactReceivedCents(), 0)));
    }
    return out;
  }

  /**
   * Loads the live state: the ledger first (votes re-take holds on its accounts), then the votes and coordinations in
   * flight. Finished transactions and decided requests stay on disk; the core asks {@link Store#history()} for them.
   */
  public static void load(Store store, Bank bank, OrderCore core) throws RocksDBException {
    store.forEach(Family.CUSTOMERS, (k, v) -> bank.load(LedgerRecords.fromRecord(Store.parse(CustomerRecord.parser(),
        v))));
    store.forEach(Family.ACCOUNTS, (k, v) -> bank.load(LedgerRecords.fromRecord(Store.parse(AccountRecord.parser(), v),
        bank.id())));
    store.forEach(Family.PIX_KEYS, (k, v) -> bank.load(LedgerRecords.fromRecord(Store.parse(PixKeyRecord.parser(),
        v))));
    // Consents before votes: a vote taken under a consent re-reserves its use of it.
    store.forEach(Family.CONSENTS, (k, v) -> bank.load(LedgerRecords.fromRecord(Store.parse(ConsentRecord.parser(),
        v), bank.id())));
    var counters = store.counters();
    core.restoreCounters(counters.getClock(), counters.getLastTransactionSeq());
    bank.auditTrail().restore(exact(counters.getExactDepositsCents(), counters.getDepositsCents()),
        exact(counters.getExactWithdrawalsCents(), counters.getWithdrawalsCents()), flows(counters),
        counters.getClock());
    for (VoteRecord v : store.protocolLog().votes()) {
      core.restore(ProtocolRecords.fromRecord(v));
    }
    for (CoordinationRecord c : store.protocolLog().coordinations()) {
      core.restore(ProtocolRecords.fromRecord(c, store.certificates()::text));
    }
  }
}
