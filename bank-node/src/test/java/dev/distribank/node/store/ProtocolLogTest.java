package dev.distribank.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.primitives.Longs;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Reservation;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.core.order.Coordination;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.core.order.PendingVote;
import dev.distribank.node.core.order.ProtocolChangesForTests;
import dev.distribank.node.core.order.VoteSignature;
import dev.distribank.node.store.Store.Family;
import dev.distribank.proto.store.v1.CoordinationRecord;
import dev.distribank.proto.store.v1.CoordinationStepRecord;
import dev.distribank.proto.store.v1.ProtocolStepRecord;
import dev.distribank.proto.store.v1.VoteRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

/**
 * The votes and coordinations in flight, stored as one record per write: what a store folds back (in memory, and
 * from disk after a reopen) is what was written last, through checkpoints that delete the records before them; a
 * store of one record per transaction reads and is emptied by its first write; a damaged log is refused.
 */
class ProtocolLogTest {
  private static final String CERT = "MIIB" + "c".repeat(900);
  @TempDir Path dir;

  private static Message.Propose proposal(String txn) {
    return new Message.Propose(txn, "alpha", new Principal("alpha", "ana"), List.of(Leg.transfer(
        AccountId.parse("alpha:1001", "from"), Destination.parse("beta:2001", "to"), 2_500)),
        List.of("alpha", "beta"), "req-" + txn);
  }

  private static PendingVote vote(String txn, Stamp finalStamp) {
    var posting = new Reservation.Posting(0, AccountId.parse("alpha:1001", "account"), -2_500, "beta:2001",
        Reservation.Kind.DEBIT, 0);
    return new PendingVote(proposal(txn), new Stamp(3, "alpha"), new Reservation(List.of(posting)), finalStamp);
  }

  private static Coordination decided(Coordination undecided, String certificate) {
    String txn = undecided.transactionId();
    var signature = new VoteSignature(certificate, "MEUCIQ-" + txn, "digest-" + txn, "");
    var acks = new LinkedHashMap<String, Message.Ack>();
    acks.put("alpha", new Message.Ack(txn, "alpha", new Stamp(5, "alpha"), null, Map.of(), signature));
    acks.put("beta", new Message.Ack(txn, "beta", new Stamp(6, "beta"), null,
        Map.of(0, AccountId.parse("beta:2001", "to")), null));
    var decision = new Message.Decide(txn, true, new Stamp(6, "beta"), null, Map.of("alpha", signature));
    return Coordination.restored(undecided.proposal(), acks, decision, undecided.applied());
  }

  /** {@code c} with {@code bank}'s YES in: added to its acks, or, for a bank that voted, in place of its ack. */
  private static Coordination withAck(Coordination c, String bank, String certificate) {
    String txn = c.transactionId();
    var acks = new LinkedHashMap<>(c.acks());
    acks.put(bank, new Message.Ack(txn, bank, new Stamp(5, bank), null, Map.of(),
        new VoteSignature(certificate, "MEUCIQ-" + bank + txn, "digest-" + txn, "AAAA")));
    return Coordination.restored(c.proposal(), acks, c.decision(), c.applied());
  }

  private static void write(Store store, ProtocolChangesForTests changes) throws RocksDBException {
    Batch batch = store.newBatch();
    batch.protocol(changes.build());
    store.write(batch);
  }

  /** What the store holds and will recover, against what the test wrote. */
  private static void assertHolds(Store store, Map<String, PendingVote> votes, Map<String, Coordination> coordinations)
      throws RocksDBException {
    var stored = new TreeMap<String, VoteRecord>();
    for (VoteRecord v : store.protocolLog().votes()) {
      stored.put(v.getProposal().getTransactionId(), v);
    }
    var expected = new TreeMap<String, VoteRecord>();
    votes.forEach((txn, v) -> expected.put(txn, ProtocolRecords.toRecord(v)));
    assertEquals(expected, stored);
    var back = new TreeMap<String, Coordination>();
    for (CoordinationRecord r : store.protocolLog().coordinations()) {
      Coordination c = ProtocolRecords.fromRecord(r, store.certificates()::text);
      back.put(c.transactionId(), c);
    }
    assertEquals(new TreeMap<>(coordinations).keySet(), back.keySet());
    coordinations.forEach((txn, c) -> {
      Coordination b = back.get(txn);
      assertEquals(c.proposal(), b.proposal(), txn);
      assertEquals(c.acks(), b.acks(), txn);
      assertEquals(c.decision(), b.decision(), txn);
      assertEquals(c.applied(), b.applied(), txn);
    });
  }

  private static int storedSteps(Store store) throws RocksDBException {
    int[] n = {0};
    store.forEach(Family.PROTOCOL_STEPS, (k, v) -> n[0]++);
    return n[0];
  }

  @Test
  void randomSteps_throughCheckpointsAndReopens_foldBackToWhatWasWrittenLast() throws Exception {
    for (int seed = 0; seed < 12; seed++) {
      Path at = dir.resolve("seed-" + seed);
      var random = new Random(seed);
      var votes = new LinkedHashMap<String, PendingVote>();
      var coordinations = new LinkedHashMap<String, Coordination>();
      int next = 0;
      int writes = 0;
      Store store = Store.open(at, 4_096);
      try {
        for (int step = 0; step < 250; step++) {
          var changes = new ProtocolChangesForTests();
          for (int op = random.nextInt(12); op >= 0; op--) {
            String txn = "alpha-" + next;
            switch (random.nextInt(7)) {
              case 0 -> {
                votes.put(txn, vote(txn, null));
                changes.vote(txn, votes.get(txn));
                next++;
              }
              case 1 -> pick(random, votes).ifPresent(t -> {
                // Committed as the core commits (the same proposal and holds), or replaced by another vote.
                PendingVote v = votes.get(t);
                votes.put(t, random.nextBoolean() ? vote(t, new Stamp(9, "beta"))
                    : new PendingVote(v.proposal(), v.proposed(), v.reservation(), new Stamp(10 + random.nextInt(1_000), "beta")));
                changes.vote(t, votes.get(t));
              });
              case 2 -> pick(random, votes).ifPresent(t -> {
                votes.remove(t);
                changes.vote(t, null);
              });
              case 3 -> {
                coordinations.put(txn, Coordination.restored(proposal(txn), Map.of(), null, List.of()));
                changes.coordination(txn, coordinations.get(txn));
                next++;
              }
              case 4 -> pick(random, coordinations).ifPresent(t -> {
                // An ack comes in (added to those stored), the coordination is decided on the acks it has, or its
                // acks and decision are all new ones (replaced).
                Coordination c = coordinations.get(t);
                coordinations.put(t, switch (random.nextInt(3)) {
                  case 0 -> withAck(c, random.nextBoolean() ? "alpha" : "beta", random.nextBoolean() ? CERT : "");
                  case 1 -> Coordination.restored(c.proposal(), c.acks(), new Message.Decide(t, random.nextBoolean(),
                      new Stamp(7 + random.nextInt(100), "alpha"), null, Map.of()), c.applied());
                  default -> decided(c, random.nextBoolean() ? CERT : "");
                });
                changes.coordination(t, coordinations.get(t));
              });
              case 5 -> pick(random, coordinations).ifPresent(t -> {
                coordinations.get(t).applied().add(random.nextBoolean() ? "alpha" : "beta");
                changes.coordination(t, coordinations.get(t));
              });
              default -> pick(random, coordinations).ifPresent(t -> {
                coordinations.remove(t);
                changes.coordination(t, null);
              });
            }
          }
          write(store, changes);
          writes++;
          assertHolds(store, votes, coordinations);
          assertEquals(store.protocolLog().liveBytesCounted(), store.protocolLog().liveBytes(),
              "what decides checkpoints is what is live");
          assertEquals(store.protocolLog().steps(), storedSteps(store), "every record before a checkpoint is gone");
          if (random.nextInt(20) == 0) {
            store.close();
            store = Store.open(at, 4_096);
            assertHolds(store, votes, coordinations);
          }
        }
        assertTrue(store.protocolLog().steps() < writes / 2,
            "checkpoints keep the log short: " + store.protocolLog().steps() + " records after " + writes);
      } finally {
        store.close();
      }
      try (Store reopened = Store.open(at, 4_096)) {
        assertHolds(reopened, votes, coordinations);
      }
    }
  }

  private static java.util.Optional<String> pick(Random random, Map<String, ?> live) {
    if (live.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new ArrayList<>(live.keySet()).get(random.nextInt(live.size())));
  }

  @Test
  void aThousandTransactions_takeOneRecordPerStep_andADecisionDoesNotStoreTheProposalAgain() throws Exception {
    var coordinations = new LinkedHashMap<String, Coordination>();
    try (Store store = Store.open(dir)) {
      var proposed = new ProtocolChangesForTests();
      for (int i = 0; i < 1_000; i++) {
        String txn = "alpha-" + i;
        coordinations.put(txn, Coordination.restored(proposal(txn), Map.of(), null, List.of()));
        proposed.coordination(txn, coordinations.get(txn)).vote(txn, vote(txn, null));
      }
      assertEquals(1, puts(store, proposed), "one record for 1,000 votes and 1,000 coordinations");
      var decided = new ProtocolChangesForTests();
      coordinations.replaceAll((txn, c) -> decided(c, CERT));
      coordinations.forEach(decided::coordination);
      assertEquals(2, puts(store, decided), "one record, and the certificate its signatures name");
      ProtocolStepRecord last = lastStep(store);
      assertEquals(1_000, last.getCoordinationsCount());
      for (CoordinationStepRecord c : last.getCoordinationsList()) {
        assertFalse(c.hasProposal(), "the proposal was stored with the first step");
        assertTrue(c.getAcksAdded(), "both acks came in since the proposal");
        assertEquals(2, c.getAcksCount());
        assertTrue(c.hasDecision());
      }
      var forgotten = new ProtocolChangesForTests();
      coordinations.keySet().forEach(txn -> forgotten.coordination(txn, null).vote(txn, null));
      assertEquals(1, puts(store, forgotten));
      assertEquals(1_000, lastStep(store).getForgottenCoordinationsCount());
      assertEquals(1_000, lastStep(store).getForgottenVotesCount());
    }
    try (Store reopened = Store.open(dir)) {
      assertHolds(reopened, Map.of(), Map.of());
    }
  }

  @Test
  void theCoordinatorsOwnVote_storedWithTheProposal_isNotStoredAgainWithTheDecision() throws Exception {
    String txn = "alpha-1";
    Coordination proposed = withAck(Coordination.restored(proposal(txn), Map.of(), null, List.of()), "alpha", CERT);
    Coordination voted = withAck(proposed, "beta", "");
    Coordination decided = Coordination.restored(proposal(txn), voted.acks(), new Message.Decide(txn, true,
        new Stamp(6, "beta"), null, Map.of()), List.of());
    try (Store store = Store.open(dir)) {
      write(store, new ProtocolChangesForTests().coordination(txn, proposed));
      assertEquals(List.of("alpha"), lastStep(store).getCoordinations(0).getAcksList().stream()
          .map(a -> a.getFromBank()).toList());
      write(store, new ProtocolChangesForTests().coordination(txn, decided));
      CoordinationStepRecord last = lastStep(store).getCoordinations(0);
      assertFalse(last.getAcksChanged());
      assertTrue(last.getAcksAdded());
      assertEquals(List.of("beta"), last.getAcksList().stream().map(a -> a.getFromBank()).toList(),
          "only the ack that came in");
      assertTrue(last.getDecision().getCommit());
      assertHolds(store, Map.of(), Map.of(txn, decided));
    }
    try (Store reopened = Store.open(dir)) {
      assertHolds(reopened, Map.of(), Map.of(txn, decided));
    }
  }

  @Test
  void aVoteCommitted_storesItsFinalStampAlone_andComesBackCommitted() throws Exception {
    PendingVote cast = vote("alpha-1", null);
    var committed = new PendingVote(cast.proposal(), cast.proposed(), cast.reservation(), new Stamp(9, "beta"));
    try (Store store = Store.open(dir)) {
      write(store, new ProtocolChangesForTests().vote("alpha-1", cast));
      write(store, new ProtocolChangesForTests().vote("alpha-1", committed));
      ProtocolStepRecord last = lastStep(store);
      assertEquals(0, last.getVotesCount(), "the vote is not stored again");
      assertEquals(1, last.getCommittedVotesCount());
      assertHolds(store, Map.of("alpha-1", committed), Map.of());
    }
    try (Store reopened = Store.open(dir)) {
      assertHolds(reopened, Map.of("alpha-1", committed), Map.of());
    }
  }

  /** Writes {@code changes}; returns the puts and deletes the write took. */
  private static int puts(Store store, ProtocolChangesForTests changes) throws RocksDBException {
    Batch batch = store.newBatch();
    batch.protocol(changes.build());
    int count = batch.writeBatch().count();
    store.write(batch);
    return count;
  }

  private static ProtocolStepRecord lastStep(Store store) throws RocksDBException {
    var last = new ProtocolStepRecord[1];
    store.forEach(Family.PROTOCOL_STEPS, (k, v) -> last[0] = Store.parse(ProtocolStepRecord.parser(), v));
    return last[0];
  }

  @Test
  void aCheckpoint_keepsTheSignaturesCertificatesByReference_acrossAReopen() throws Exception {
    var c = decided(Coordination.restored(proposal("alpha-1"), Map.of(), null, List.of()), CERT);
    try (Store store = Store.open(dir, 1_024)) {
      write(store, new ProtocolChangesForTests().coordination("alpha-1", c));
      // Votes come and go, so the log grows past four times what is live, and a write checkpoints it.
      for (int i = 2; storedSteps(store) > 1 || i < 10; i++) {
        String txn = "alpha-" + i;
        write(store, new ProtocolChangesForTests().vote(txn, vote(txn, null)));
        write(store, new ProtocolChangesForTests().vote(txn, null));
        assertTrue(i < 1_000, "no checkpoint after " + i + " votes");
      }
      assertTrue(store.protocolLog().liveBytes() > 0);
    }
    try (Store reopened = Store.open(dir, 1_024)) {
      assertTrue(storedSteps(reopened) <= 2, "the checkpoint and what came after it: " + storedSteps(reopened));
      assertHolds(reopened, Map.of(), Map.of("alpha-1", c));
      assertEquals(CERT, ProtocolRecords.fromRecord(reopened.protocolLog().coordinations().get(0),
          reopened.certificates()::text).decision().votes().get("alpha").certificate());
    }
  }

  @Test
  void aStoreOfOneRecordPerTransaction_readsAsItWas_andItsFirstWriteMovesItIntoTheLog() throws Exception {
    var c = decided(Coordination.restored(proposal("alpha-1"), Map.of(), null, List.of()), CERT);
    c.applied().add("alpha");
    PendingVote v = vote("alpha-2", new Stamp(9, "beta"));
    try (Store store = Store.open(dir)) {
      // What a node of an earlier version wrote: a record per transaction, keyed by its id.
      Batch old = store.newBatch();
      old.put(Family.COORDINATIONS, "alpha-1".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          ProtocolRecords.toRecord(c, old::certificateReference).toByteArray());
      old.put(Family.VOTES, "alpha-2".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          ProtocolRecords.toRecord(v).toByteArray());
      store.write(old);
    }
    PendingVote added = vote("alpha-3", null);
    try (Store store = Store.open(dir)) {
      assertHolds(store, Map.of("alpha-2", v), Map.of("alpha-1", c));
      write(store, new ProtocolChangesForTests().vote("alpha-3", added));
      assertEquals(0, count(store, Family.VOTES));
      assertEquals(0, count(store, Family.COORDINATIONS));
    }
    try (Store reopened = Store.open(dir)) {
      assertHolds(reopened, Map.of("alpha-2", v, "alpha-3", added), Map.of("alpha-1", c));
    }
  }

  private static int count(Store store, Family family) throws RocksDBException {
    int[] n = {0};
    store.forEach(family, (k, value) -> n[0]++);
    return n[0];
  }

  @Test
  void aChangeToACoordinationNeverProposed_isADamagedStore_refusedAtOpen() throws Exception {
    try (Store store = Store.open(dir)) {
      Batch damaged = store.newBatch();
      damaged.put(Family.PROTOCOL_STEPS, Longs.toByteArray(0), ProtocolStepRecord.newBuilder().addCoordinations(
          CoordinationStepRecord.newBuilder().setTransactionId("alpha-9").setAppliedChanged(true).addApplied("beta"))
          .build().toByteArray());
      store.write(damaged);
    }
    var e = assertThrows(RocksDBException.class, () -> Store.open(dir));
    assertTrue(e.getMessage().contains("coordination alpha-9, never proposed"), e.getMessage());
    var again = assertThrows(RocksDBException.class, () -> Store.open(dir));
    assertTrue(again.getMessage().contains("never proposed"), "closed again, not locked: " + again.getMessage());
  }
}
