package dev.distribank.node.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.primitives.Bytes;
import com.google.common.primitives.Longs;
import com.google.protobuf.ByteString;
import dev.distribank.node.core.ledger.Account;
import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.Changes;
import dev.distribank.node.core.ledger.Consent;
import dev.distribank.node.core.ledger.Customer;
import dev.distribank.node.core.ledger.LedgerEntry;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.core.order.Operation;
import dev.distribank.node.core.order.ProtocolChanges;
import dev.distribank.node.core.order.Ready;
import dev.distribank.node.auth.Sessions;
import dev.distribank.node.core.order.RequestRecord;
import dev.distribank.node.store.Store.Family;
import dev.distribank.proto.store.v1.CounterpartyFlowRecord;
import dev.distribank.proto.store.v1.CertificateRecord;
import dev.distribank.proto.store.v1.CountersRecord;
import dev.distribank.proto.store.v1.OperationRunRecord;
import dev.distribank.proto.store.v1.SessionRecord;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/** One atomic group of writes: a {@link Ready} and the sessions opened and closed with it. */
final class Batch implements AutoCloseable {
  private final Store store;
  private final WriteBatch batch = new WriteBatch();
  private CountersRecord.Builder counters;
  private boolean countersChanged;
  /** Certificates the vote signatures of this write name and no durable write holds yet: put with it. */
  private final Map<ByteString, String> certificates = new java.util.LinkedHashMap<>();

  Batch(Store store, CountersRecord counters) {
    this.store = store;
    this.counters = counters.toBuilder();
  }

  static byte[] entryKey(long accountNumber, long sequence) {
    return Bytes.concat(Longs.toByteArray(accountNumber), Longs.toByteArray(sequence));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  /** Adds the ledger's changes, in their state now. */
  Batch ledger(Changes changes) throws RocksDBException {
    for (Customer c : changes.customers()) {
      batch.put(store.handle(Family.CUSTOMERS), utf8(c.login()), LedgerRecords.toRecord(c).toByteArray());
    }
    for (Account a : changes.accounts()) {
      batch.put(store.handle(Family.ACCOUNTS), Longs.toByteArray(a.id().number()),
          LedgerRecords.toRecord(a).toByteArray());
    }
    for (var e : changes.pixKeys().entrySet()) {
      if (e.getValue().isPresent()) {
        batch.put(store.handle(Family.PIX_KEYS), utf8(e.getKey()),
            LedgerRecords.toRecord(e.getValue().get()).toByteArray());
      } else {
        batch.delete(store.handle(Family.PIX_KEYS), utf8(e.getKey()));
      }
    }
    for (LedgerEntry e : changes.entries()) {
      batch.put(store.handle(Family.ENTRIES), entryKey(e.account().number(), e.sequence()),
          LedgerRecords.toRecord(e).toByteArray());
    }
    for (Consent c : changes.consents()) {
      batch.put(store.handle(Family.CONSENTS), Longs.toByteArray(c.id()), LedgerRecords.toRecord(c).toByteArray());
    }
    return this;
  }

  /** Adds the ordering core's changes. */
  Batch protocol(ProtocolChanges changes) throws RocksDBException {
    store.protocolLog().write(changes, this);
    for (Message.Decide d : changes.settled()) {
      settled(d);
    }
    for (var e : changes.votedRequests().entrySet()) {
      batch.put(store.handle(Family.VOTED_REQUESTS), utf8(e.getKey()), utf8(e.getValue()));
    }
    for (RequestRecord r : changes.requests()) {
      batch.put(store.handle(Family.REQUESTS), utf8(r.requestId()), ProtocolRecords.toRecord(r).toByteArray());
    }
    if (!changes.operations().isEmpty()) {
      long first = counters.getLastOperationSeq() + 1;
      var run = OperationRunRecord.newBuilder();
      for (Operation o : changes.operations()) {
        run.addOperations(ProtocolRecords.toRecord(o));
        batch.put(store.handle(Family.TRANSACTIONS), utf8(o.transactionId()),
            new byte[] {(byte) (o.committed() ? 1 : 0)});
      }
      counters.setLastOperationSeq(first + run.getOperationsCount() - 1);
      countersChanged = true;
      batch.put(store.handle(Family.OPERATION_RUNS), Longs.toByteArray(first), run.build().toByteArray());
    }
    return this;
  }

  /** Keeps a COMMIT adopted here, with its votes (certificates by reference), for participants that may consult. */
  Batch settled(Message.Decide commit) throws RocksDBException {
    batch.put(store.handle(Family.SETTLED), utf8(commit.transactionId()),
        ProtocolRecords.toRecord(commit, Map.of(), this::certificateReference).toByteArray());
    return this;
  }

  /** Records the bank's counters, those that changed. */
  Batch counters(Ready.Counters now) {
    if (counters.getClock() != now.clock() || counters.getLastTransactionSeq() != now.reservedTransactionSeq()) {
      counters.setClock(now.clock()).setLastTransactionSeq(now.reservedTransactionSeq());
      countersChanged = true;
    }
    return totals(now.depositsCents(), now.withdrawalsCents()).flows(now.flows());
  }

  /** Records the bank's running deposit and withdrawal totals (exact decimals), if they changed. */
  Batch totals(BigInteger depositsCents, BigInteger withdrawalsCents) {
    String deposits = depositsCents.toString();
    String withdrawals = withdrawalsCents.toString();
    if (!counters.getExactDepositsCents().equals(deposits)
        || !counters.getExactWithdrawalsCents().equals(withdrawals)) {
      counters.setExactDepositsCents(deposits).setExactWithdrawalsCents(withdrawals);
      countersChanged = true;
    }
    return this;
  }

  /** Records the bank's running flows with every other bank (exact decimals), if they changed. */
  Batch flows(Map<String, AuditTrail.Flow> flows) {
    var records = new ArrayList<CounterpartyFlowRecord>(flows.size());
    flows.forEach((bank, flow) -> records.add(CounterpartyFlowRecord.newBuilder().setBank(bank)
        .setExactSentCents(flow.sentCents().toString()).setExactReceivedCents(flow.receivedCents().toString())
        .build()));
    if (!counters.getCounterpartyFlowsList().equals(records)) {
      counters.clearCounterpartyFlows().addAllCounterpartyFlows(records);
      countersChanged = true;
    }
    return this;
  }

  /** Adds sessions opened (by token hash) and closed (empty). */
  Batch sessions(Map<String, Optional<Sessions.Session>> sessions) throws RocksDBException {
    for (var e : sessions.entrySet()) {
      if (e.getValue().isPresent()) {
        Sessions.Session s = e.getValue().get();
        batch.put(store.handle(Family.SESSIONS), utf8(e.getKey()), SessionRecord.newBuilder().setLogin(s.login())
            .setExpireEpochMillis(s.expiresAt().toEpochMilli()).build().toByteArray());
      } else {
        batch.delete(store.handle(Family.SESSIONS), utf8(e.getKey()));
      }
    }
    return this;
  }

  /** The id a vote signature names {@code certificate} by, putting it with this write unless a durable one holds it. */
  ByteString certificateReference(String certificate) {
    return store.certificates().reference(certificate, this);
  }

  void put(Family family, byte[] key, byte[] value) throws RocksDBException {
    batch.put(store.handle(family), key, value);
  }

  void delete(Family family, byte[] key) throws RocksDBException {
    batch.delete(store.handle(family), key);
  }

  /** Deletes the keys from {@code from} (included) to {@code to} (excluded). */
  void deleteRange(Family family, byte[] from, byte[] to) throws RocksDBException {
    batch.deleteRange(store.handle(family), from, to);
  }

  /** Puts a certificate that a vote signature of this write names by {@code id}. */
  void certificate(ByteString id, String text) {
    certificates.put(id, text);
  }

  /** The ids of the certificates this write puts. */
  java.util.Set<ByteString> certificateIds() {
    return certificates.keySet();
  }

  boolean isEmpty() {
    return batch.count() == 0 && !countersChanged;
  }

  WriteBatch writeBatch() throws RocksDBException {
    for (var e : certificates.entrySet()) {
      batch.put(store.handle(Family.CERTIFICATES), e.getKey().toByteArray(),
          CertificateRecord.newBuilder().setCertificate(e.getValue()).build().toByteArray());
    }
    if (countersChanged) {
      batch.put(store.handle(Family.META), Store.COUNTERS_KEY, counters.build().toByteArray());
    }
    return batch;
  }

  CountersRecord counters() {
    return counters.build();
  }

  @Override
  public void close() {
    batch.close();
  }
}
