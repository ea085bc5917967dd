package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.Account;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.Changes;
import dev.distribank.node.core.ledger.Consent;
import dev.distribank.node.core.ledger.Customer;
import dev.distribank.node.core.ledger.PixKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One bank's durable state in the simulation: what its RocksDB store would hold (DESIGN §7), written from each step's
 * changes before anything the step produced leaves the node, in their state at write time (as one atomic batch). Its
 * bank's core looks finished transactions and decided requests up in it ({@link History}); after a crash,
 * {@link #recover} reads the live state back the way {@code store.Recovery} does.
 */
final class SimulatedStore implements History {
  private final Map<String, Customer> customers = new LinkedHashMap<>();
  private final Map<AccountId, Account> accounts = new TreeMap<>();
  private final Map<String, PixKey> pixKeys = new LinkedHashMap<>();
  private final Map<String, PendingVote> votes = new LinkedHashMap<>();
  private final Map<String, Coordination> coordinations = new LinkedHashMap<>();
  private final Map<String, RequestRecord> requests = new LinkedHashMap<>();
  private final Map<String, Boolean> finished = new LinkedHashMap<>();
  private final Map<String, Message.Decide> settled = new LinkedHashMap<>();
  private final Map<Long, Consent> consents = new TreeMap<>();
  private final Map<String, String> votedRequests = new LinkedHashMap<>();
  private long clock;
  private long lastTransactionSeq;
  private java.math.BigInteger depositsCents = java.math.BigInteger.ZERO;
  private java.math.BigInteger withdrawalsCents = java.math.BigInteger.ZERO;
  private Map<String, AuditTrail.Flow> flows = Map.of();

  /** The batch of one step, taken whole: the ledger's changes and the protocol's, the counters and audit totals. */
  void write(Ready ready) {
    Changes ledger = ready.ledger();
    ProtocolChanges protocol = ready.protocol();
    ledger.customers().forEach(c -> customers.put(c.login(), c));
    for (Account a : ledger.accounts()) {
      accounts.put(a.id(), copy(a));
    }
    ledger.pixKeys().forEach((value, key) -> key.ifPresentOrElse(k -> pixKeys.put(value, k),
        () -> pixKeys.remove(value)));
    ledger.consents().forEach(c -> consents.put(c.id(), copy(c)));
    votedRequests.putAll(protocol.votedRequests());
    protocol.votes().forEach((txn, vote) -> vote.ifPresentOrElse(v -> votes.put(txn, v), () -> votes.remove(txn)));
    protocol.coordinations().forEach((txn, c) -> c.ifPresentOrElse(x -> coordinations.put(txn, copy(x)),
        () -> coordinations.remove(txn)));
    protocol.requests().forEach(r -> requests.put(r.requestId(), r));
    protocol.operations().forEach(o -> finished.put(o.transactionId(), o.committed()));
    protocol.settled().forEach(d -> settled.put(d.transactionId(), d));
    clock = ready.counters().clock();
    lastTransactionSeq = ready.counters().reservedTransactionSeq();
    depositsCents = ready.counters().depositsCents();
    withdrawalsCents = ready.counters().withdrawalsCents();
    flows = new TreeMap<>(ready.counters().flows());
  }

  @Override
  public Boolean finished(String transactionId) {
    return finished.get(transactionId);
  }

  @Override
  public Message.Decide settled(String transactionId) {
    return settled.get(transactionId);
  }

  @Override
  public RequestRecord request(String requestId) {
    return requests.get(requestId);
  }

  @Override
  public String votedRequest(String key) {
    return votedRequests.get(key);
  }

  /** A restarted bank, rebuilt from what was written: ledger first (votes re-take holds), then protocol state. */
  ClusterSimulation.Node recover(String id, Set<String> members) {
    var bank = new Bank(id);
    customers.values().forEach(bank::load);
    accounts.values().forEach(a -> bank.load(copy(a)));
    pixKeys.values().forEach(bank::load);
    consents.values().forEach(c -> bank.load(copy(c)));
    var core = new OrderCore(id, members, bank, this, new SimulatedSigner(id));
    core.restoreCounters(clock, lastTransactionSeq);
    bank.auditTrail().restore(depositsCents, withdrawalsCents, flows, clock);
    votes.values().forEach(core::restore);
    coordinations.values().forEach(c -> core.restore(copy(c)));
    return new ClusterSimulation.Node(id, bank, core);
  }

  private static Account copy(Account a) {
    return new Account(a.id(), a.kind(), a.holders(), a.employees(), a.balanceCents(), a.entryCount());
  }

  /** A consent as stored: what was used, not what in-flight votes reserve (recovery re-takes those). */
  private static Consent copy(Consent c) {
    return new Consent(c.id(), c.account(), c.grantee(), c.limitPerTransactionCents(), c.totalLimitCents(),
        c.expiresAtMillis(), c.grantedAtMillis(), c.grantedBy(), c.usedCents(), c.revoked(), c.replaced());
  }

  private static Coordination copy(Coordination c) {
    return Coordination.restored(c.proposal(), new LinkedHashMap<>(c.acks()), c.decision(),
        new ArrayList<>(c.applied()));
  }
}
