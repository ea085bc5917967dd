package dev.distribank.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.core.order.Coordination;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.core.order.VoteSignature;
import dev.distribank.proto.store.v1.CoordinationRecord;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

/**
 * A coordination's record names each vote certificate by its SHA-256 and stores a COMMIT's votes once (in the acks),
 * yet comes back as it was; records written before either change still read; a store that lost a certificate says so.
 */
class CoordinationRecordsTest {
  private static final String ALPHA_CERT = "MIIB" + "a".repeat(900);
  private static final String BETA_CERT = "MIIB" + "b".repeat(900);
  @TempDir Path dir;

  private static Coordination committed(VoteSignature alphaVote, VoteSignature betaVote, boolean decisionSharesVotes) {
    var proposal = new Message.Propose("alpha-7", "alpha", new Principal("alpha", "ana"),
        List.of(Leg.transfer(AccountId.parse("alpha:1001", "from"),
            Destination.parse("beta:2001", "to"), 2_500)), List.of("alpha", "beta"), "req-7");
    var acks = new LinkedHashMap<String, Message.Ack>();
    acks.put("alpha", new Message.Ack("alpha-7", "alpha", new Stamp(5, "alpha"), null, Map.of(), alphaVote));
    acks.put("beta", new Message.Ack("alpha-7", "beta", new Stamp(6, "beta"), null,
        Map.of(0, AccountId.parse("beta:2001", "to")), betaVote));
    Map<String, VoteSignature> votes = decisionSharesVotes ? Map.of("alpha", alphaVote, "beta", betaVote)
        : Map.of("alpha", copy(alphaVote), "beta", copy(betaVote));
    var decision = new Message.Decide("alpha-7", true, new Stamp(6, "beta"), null, votes);
    return Coordination.restored(proposal, acks, decision, List.of("alpha"));
  }

  private static VoteSignature copy(VoteSignature v) {
    return new VoteSignature(new String(v.certificate()), v.signature(), v.digest(), v.path());
  }

  private static VoteSignature vote(String certificate, String digest) {
    return new VoteSignature(certificate, "MEUCIQ-signature", digest, "path-" + digest);
  }

  @Test
  void aCommittedCoordination_storesEachCertificateOnce_andTheVotesOnce_andComesBackEqual() throws Exception {
    var c = committed(vote(ALPHA_CERT, "d1"), vote(BETA_CERT, "d2"), true);
    try (Store store = Store.open(dir)) {
      Batch batch = store.newBatch();
      CoordinationRecord r = ProtocolRecords.toRecord(c, text -> store.certificates().reference(text, batch));

      assertTrue(r.getDecision().getVotesAreTheAcks());
      assertEquals(0, r.getDecision().getVotesCount());
      r.getAcksList().forEach(a -> {
        assertEquals("", a.getSignature().getCertificate());
        assertEquals(32, a.getSignature().getCertificateSha256().size());
      });
      assertTrue(r.getSerializedSize() < 700, "no certificate text in the record: " + r.getSerializedSize());
      assertEquals(2, batch.certificateIds().size());
      store.write(batch);
    }
    try (Store reopened = Store.open(dir)) {
      Batch again = reopened.newBatch();
      CoordinationRecord r = ProtocolRecords.toRecord(c, text -> reopened.certificates().reference(text, again));
      assertEquals(0, again.certificateIds().size(), "a durable certificate is not put again");
      again.close();

      Coordination back = ProtocolRecords.fromRecord(CoordinationRecord.parseFrom(r.toByteArray()),
          reopened.certificates()::text);
      assertEquals(c.proposal(), back.proposal());
      assertEquals(c.acks(), back.acks());
      assertEquals(c.decision(), back.decision());
      assertEquals(ALPHA_CERT, back.decision().votes().get("alpha").certificate());
      assertEquals(c.applied(), back.applied());
    }
  }

  @Test
  void aCommitKeptForParticipantsThatMayAsk_comesBackWithItsVotes_afterAReopen() throws Exception {
    var decision = committed(vote(ALPHA_CERT, "d1"), vote(BETA_CERT, "d2"), false).decision();
    try (Store store = Store.open(dir)) {
      assertEquals(null, store.history().settled("alpha-7"));
      Batch batch = store.newBatch();
      batch.settled(decision);
      store.write(batch);
    }
    try (Store reopened = Store.open(dir)) {
      assertEquals(decision, reopened.history().settled("alpha-7"));
      assertEquals(BETA_CERT, reopened.history().settled("alpha-7").votes().get("beta").certificate());
      assertEquals(null, reopened.history().settled("alpha-8"));
    }
  }

  @Test
  void votesThatAreNotTheAcks_areStoredInFull() throws Exception {
    var alpha = vote(ALPHA_CERT, "d1");
    var c = committed(alpha, vote(BETA_CERT, "d2"), false);
    var other = new Message.Decide("alpha-7", true, new Stamp(6, "beta"), null,
        Map.of("alpha", alpha, "beta", vote(BETA_CERT, "d-other")));
    var differing = Coordination.restored(c.proposal(), c.acks(), other, List.of());
    try (Store store = Store.open(dir); Batch batch = store.newBatch()) {
      CoordinationRecord equalVotes = ProtocolRecords.toRecord(c,
          text -> store.certificates().reference(text, batch));
      assertTrue(equalVotes.getDecision().getVotesAreTheAcks(), "equal votes, though not the same objects");

      CoordinationRecord r = ProtocolRecords.toRecord(differing,
          text -> store.certificates().reference(text, batch));
      assertFalse(r.getDecision().getVotesAreTheAcks());
      assertEquals(2, r.getDecision().getVotesCount());
      Coordination back = ProtocolRecords.fromRecord(r, store.certificates()::text);
      assertEquals(other, back.decision());
    }
  }

  @Test
  void aRecordWrittenBeforeCertificatesWereReferenced_readsAsItWas() throws Exception {
    var c = committed(vote(ALPHA_CERT, "d1"), vote(BETA_CERT, "d2"), true);
    try (Store store = Store.open(dir); Batch batch = store.newBatch()) {
      CoordinationRecord current = ProtocolRecords.toRecord(c, text -> store.certificates().reference(text, batch));
      // The old shape: certificates inline, and the decision's votes in full.
      var old = current.toBuilder();
      old.getDecisionBuilder().setVotesAreTheAcks(false);
      for (var ack : old.getAcksBuilderList()) {
        String cert = ack.getFromBank().equals("alpha") ? ALPHA_CERT : BETA_CERT;
        ack.getSignatureBuilder().setCertificate(cert).clearCertificateSha256();
        old.getDecisionBuilder().putVotes(ack.getFromBank(), ack.getSignature());
      }
      Coordination back = ProtocolRecords.fromRecord(old.build(), id -> {
        throw new AssertionError("an old record names no certificate by reference");
      });
      assertEquals(c.acks(), back.acks());
      assertEquals(c.decision(), back.decision());
    }
  }

  @Test
  void aCertificateIsPutAgain_untilAWriteHoldingItIsDurable() throws Exception {
    try (Store store = Store.open(dir)) {
      Batch lost = store.newBatch();
      ByteString id = store.certificates().reference(ALPHA_CERT, lost);
      lost.close(); // prepared, never written (the writer failed)
      Batch next = store.newBatch();
      assertEquals(id, store.certificates().reference(ALPHA_CERT, next));
      assertEquals(List.of(id), List.copyOf(next.certificateIds()));
      store.write(next);
      try (Batch after = store.newBatch()) {
        store.certificates().reference(ALPHA_CERT, after);
        assertTrue(after.certificateIds().isEmpty());
      }
    }
  }

  @Test
  void aStoreThatLostACertificate_saysItIsDamaged() throws Exception {
    try (Store store = Store.open(dir)) {
      var e = assertThrows(RocksDBException.class,
          () -> store.certificates().text(ByteString.copyFrom(new byte[32])));
      assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }
  }
}
