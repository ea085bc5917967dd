package dev.distribank.node.store;

import static dev.distribank.node.api.TypeProtos.fromProto;
import static dev.distribank.node.api.TypeProtos.toProto;
import static dev.distribank.node.store.LedgerRecords.fromRecord;
import static dev.distribank.node.store.LedgerRecords.toRecord;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Reservation;
import dev.distribank.node.core.order.Coordination;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.core.order.Operation;
import dev.distribank.node.core.order.Outcome;
import dev.distribank.node.core.order.PendingVote;
import dev.distribank.node.core.order.RequestFingerprint;
import dev.distribank.node.core.order.RequestRecord;
import dev.distribank.node.core.order.VoteSignature;
import dev.distribank.proto.store.v1.AckRecord;
import dev.distribank.proto.store.v1.CoordinationRecord;
import dev.distribank.proto.store.v1.DecisionRecord;
import dev.distribank.proto.store.v1.OperationRecord;
import dev.distribank.proto.store.v1.OutcomeRecord;
import dev.distribank.proto.store.v1.PostingKind;
import dev.distribank.proto.store.v1.PostingRecord;
import dev.distribank.proto.store.v1.ProposalRecord;
import dev.distribank.proto.store.v1.VoteRecord;
import dev.distribank.proto.store.v1.VoteSignatureRecord;
import com.google.protobuf.ByteString;
import dev.distribank.node.api.RecurringText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.RocksDBException;

/**
 * The ordering core's durable state (votes, coordinations, outcomes, operations) and its storage records. The
 * proposals, votes and decisions inside them are stored in records of the store's own; what banks send each other is
 * converted by {@code peer.PeerProtos}, so the disk and the wire may change apart.
 */
public final class ProtocolRecords {
  private ProtocolRecords() {}

  private static final RecurringText SIGNATURES = new RecurringText();

  static ProposalRecord toRecord(Message.Propose p) {
    return ProposalRecord.newBuilder().setTransactionId(p.transactionId()).setCoordinator(p.coordinator())
        .setPrincipal(LedgerRecords.toRecord(p.principal())).addAllLegs(toProto(p.legs()))
        .addAllParticipants(p.participants()).setRequestId(p.requestId()).build();
  }

  static Message.Propose fromRecord(ProposalRecord r) {
    return new Message.Propose(r.getTransactionId(), r.getCoordinator(), LedgerRecords.fromRecord(r.getPrincipal()),
        fromProto(r.getLegsList()), r.getParticipantsList(), r.getRequestId());
  }

  static AckRecord toRecord(Message.Ack a, CertificateRefs certificates) {
    var b = AckRecord.newBuilder().setTransactionId(a.transactionId()).setFromBank(a.from());
    if (a.yes()) {
      b.setProposed(toProto(a.proposed()));
    } else {
      b.setRefusal(LedgerRecords.toRecord(a.refusal()));
    }
    a.resolvedCredits().forEach((leg, account) -> b.putResolvedCredits(leg, account.toString()));
    if (a.signature() != null) {
      b.setSignature(toRecord(a.signature(), certificates));
    }
    return b.build();
  }

  /** How a vote signature's certificate goes to the store: by reference, the SHA-256 it is stored under. */
  interface CertificateRefs {
    ByteString reference(String certificate);
  }

  /** How a stored vote signature's certificate comes back: from the SHA-256 it names. */
  interface CertificateTexts {
    String text(ByteString id) throws RocksDBException;
  }

  static VoteSignatureRecord toRecord(VoteSignature v, CertificateRefs certificates) {
    var b = VoteSignatureRecord.newBuilder().setSignatureBytes(SIGNATURES.of(v.signature())).setPath(v.path())
        .setDigest(v.digest());
    if (!v.certificate().isEmpty()) {
      b.setCertificateSha256(certificates.reference(v.certificate()));
    }
    return b.build();
  }

  static VoteSignature fromRecord(VoteSignatureRecord r, CertificateTexts certificates) throws RocksDBException {
    String certificate = r.getCertificateSha256().isEmpty() ? r.getCertificate()
        : certificates.text(r.getCertificateSha256());
    return new VoteSignature(certificate, r.getSignature(), r.getDigest(), r.getPath());
  }

  static Message.Ack fromRecord(AckRecord r, CertificateTexts certificates) throws RocksDBException {
    var resolved = new TreeMap<Integer, AccountId>();
    r.getResolvedCreditsMap().forEach((leg, account) -> resolved.put(leg, AccountId.parse(account, "account")));
    return new Message.Ack(r.getTransactionId(), r.getFromBank(),
        r.hasProposed() ? fromProto(r.getProposed()) : null,
        r.hasRefusal() ? LedgerRecords.fromRecord(r.getRefusal()) : null, resolved,
        r.hasSignature() ? fromRecord(r.getSignature(), certificates) : null);
  }

  /**
   * A coordination's decision; a COMMIT whose votes are its acks' own signatures (as {@link Coordination} decides) is
   * stored without them, as they are in the acks already.
   */
  static DecisionRecord toRecord(Message.Decide d, Map<String, Message.Ack> acks, CertificateRefs certificates) {
    var b = DecisionRecord.newBuilder().setTransactionId(d.transactionId()).setCommit(d.commit());
    if (d.finalStamp() != null) {
      b.setFinalStamp(toProto(d.finalStamp()));
    }
    if (d.refusal() != null) {
      b.setRefusal(LedgerRecords.toRecord(d.refusal()));
    }
    if (!d.votes().isEmpty() && votesAreTheAcks(d.votes(), acks)) {
      b.setVotesAreTheAcks(true);
    } else {
      d.votes().forEach((bank, vote) -> b.putVotes(bank, toRecord(vote, certificates)));
    }
    return b.build();
  }

  /** Whether {@code votes} are exactly the signatures the acks carry, by the acks' banks. */
  private static boolean votesAreTheAcks(Map<String, VoteSignature> votes, Map<String, Message.Ack> acks) {
    int signed = 0;
    for (Message.Ack ack : acks.values()) {
      if (ack.signature() != null) {
        signed++;
        if (!ack.signature().equals(votes.get(ack.from()))) {
          return false;
        }
      }
    }
    return signed == votes.size();
  }

  static Message.Decide fromRecord(DecisionRecord r, Map<String, Message.Ack> acks, CertificateTexts certificates)
      throws RocksDBException {
    var votes = new TreeMap<String, VoteSignature>();
    if (r.getVotesAreTheAcks()) {
      acks.values().stream().filter(a -> a.signature() != null).forEach(a -> votes.put(a.from(), a.signature()));
    } else {
      for (var e : r.getVotesMap().entrySet()) {
        votes.put(e.getKey(), fromRecord(e.getValue(), certificates));
      }
    }
    return new Message.Decide(r.getTransactionId(), r.getCommit(),
        r.hasFinalStamp() ? fromProto(r.getFinalStamp()) : null,
        r.hasRefusal() ? LedgerRecords.fromRecord(r.getRefusal()) : null, votes);
  }

  public static VoteRecord toRecord(PendingVote v) {
    return toRecord(v, toRecord(v.proposal()));
  }

  /** {@code v}'s record, with its proposal's record already made (a write shares one between vote and coordination). */
  static VoteRecord toRecord(PendingVote v, ProposalRecord proposal) {
    var b = VoteRecord.newBuilder().setProposal(proposal).setProposed(toProto(v.proposed()));
    for (Reservation.Posting p : v.reservation().postings()) {
      b.addPostings(PostingRecord.newBuilder().setLeg(p.leg()).setAccount(p.account().toString())
          .setSignedCents(p.signedCents()).setCounterparty(p.counterparty())
          .setKind(PostingKind.valueOf("POSTING_KIND_" + p.kind().name())).setConsentId(p.consentId()));
    }
    if (v.finalStamp() != null) {
      b.setFinalStamp(toProto(v.finalStamp()));
    }
    return b.build();
  }

  public static PendingVote fromRecord(VoteRecord r) {
    List<Reservation.Posting> postings = r.getPostingsList().stream()
        .map(p -> new Reservation.Posting(p.getLeg(), AccountId.parse(p.getAccount(), "account"),
            p.getSignedCents(), p.getCounterparty(), kind(p), p.getConsentId()))
        .toList();
    return new PendingVote(fromRecord(r.getProposal()), fromProto(r.getProposed()), new Reservation(postings),
        r.hasFinalStamp() ? fromProto(r.getFinalStamp()) : null);
  }

  /**
   * A posting's kind as stored; a vote written before kinds were stored says it only through its counterparty text
   * ("deposit", "withdrawal") and sign, which is read here, once, and nowhere else.
   */
  private static Reservation.Kind kind(PostingRecord p) {
    return switch (p.getKind()) {
      case POSTING_KIND_DEBIT -> Reservation.Kind.DEBIT;
      case POSTING_KIND_CREDIT -> Reservation.Kind.CREDIT;
      case POSTING_KIND_DEPOSIT -> Reservation.Kind.DEPOSIT;
      case POSTING_KIND_WITHDRAWAL -> Reservation.Kind.WITHDRAWAL;
      case POSTING_KIND_UNSPECIFIED, UNRECOGNIZED -> p.getSignedCents() > 0
          ? (p.getCounterparty().equals("deposit") ? Reservation.Kind.DEPOSIT : Reservation.Kind.CREDIT)
          : (p.getCounterparty().equals("withdrawal") ? Reservation.Kind.WITHDRAWAL : Reservation.Kind.DEBIT);
    };
  }

  static CoordinationRecord toRecord(Coordination c, CertificateRefs certificates) {
    var b = CoordinationRecord.newBuilder().setProposal(toRecord(c.proposal())).addAllApplied(c.applied());
    c.acks().values().forEach(a -> b.addAcks(toRecord(a, certificates)));
    if (c.decision() != null) {
      b.setDecision(toRecord(c.decision(), c.acks(), certificates));
    }
    return b.build();
  }

  static Coordination fromRecord(CoordinationRecord r, CertificateTexts certificates) throws RocksDBException {
    var acks = new LinkedHashMap<String, Message.Ack>();
    for (AckRecord a : r.getAcksList()) {
      acks.put(a.getFromBank(), fromRecord(a, certificates));
    }
    return Coordination.restored(fromRecord(r.getProposal()), acks,
        r.hasDecision() ? fromRecord(r.getDecision(), acks, certificates) : null, r.getAppliedList());
  }

  public static OutcomeRecord toRecord(Outcome o) {
    var b = OutcomeRecord.newBuilder();
    if (o.transactionId() != null) {
      b.setTransactionId(o.transactionId());
    }
    switch (o) {
      case Outcome.Committed c -> b.setCommitted(true).setStamp(toProto(c.stamp())).addAllLegs(toProto(c.legs()))
          .setRequestId(c.requestId());
      case Outcome.Aborted a -> b.setRefusal(LedgerRecords.toRecord(a.refusal()));
    }
    return b.build();
  }

  public static Outcome fromRecord(OutcomeRecord r) {
    String txn = r.getTransactionId().isEmpty() ? null : r.getTransactionId();
    return r.getCommitted()
        ? new Outcome.Committed(txn, fromProto(r.getStamp()), fromProto(r.getLegsList()), r.getRequestId(), false)
        : new Outcome.Aborted(txn, LedgerRecords.fromRecord(r.getRefusal()));
  }

  public static dev.distribank.proto.store.v1.RequestRecord toRecord(RequestRecord r) {
    var b = dev.distribank.proto.store.v1.RequestRecord.newBuilder().setRequestId(r.requestId())
        .setOutcome(toRecord(r.outcome()));
    if (r.fingerprint().digest() != null) {
      b.setDigest(com.google.protobuf.ByteString.copyFrom(r.fingerprint().digest()));
    } else {
      b.setFingerprint(r.fingerprint().legacyText());
    }
    return b.build();
  }

  /** A decided request; one stored before fingerprints were structural keeps its text fingerprint. */
  public static RequestRecord fromRecord(dev.distribank.proto.store.v1.RequestRecord r) {
    var fingerprint = r.getDigest().isEmpty() ? RequestFingerprint.legacy(r.getFingerprint())
        : RequestFingerprint.ofDigest(r.getDigest().toByteArray());
    return new RequestRecord(r.getRequestId(), fingerprint, fromRecord(r.getOutcome()));
  }

  public static OperationRecord toRecord(Operation o) {
    var b = OperationRecord.newBuilder().setTransactionId(o.transactionId()).setCommitted(o.committed())
        .addAllLegs(toProto(o.legs())).setRequestId(o.requestId()).setPrincipal(o.principal());
    if (o.stamp() != null) {
      b.setStamp(toProto(o.stamp()));
    }
    if (o.refusal() != null) {
      b.setRefusal(LedgerRecords.toRecord(o.refusal()));
    }
    return b.build();
  }

  public static Operation fromRecord(OperationRecord r) {
    return new Operation(r.getTransactionId(), r.hasStamp() ? fromProto(r.getStamp()) : null, r.getCommitted(),
        fromProto(r.getLegsList()), r.hasRefusal() ? LedgerRecords.fromRecord(r.getRefusal()) : null,
        r.getRequestId(), r.getPrincipal());
  }
}
