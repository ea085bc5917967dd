package dev.distribank.node.peer;

import dev.distribank.node.api.RecurringText;
import dev.distribank.node.api.TypeProtos;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.Envelope;
import dev.distribank.node.core.order.Message;
import dev.distribank.proto.peer.v1.Applied;
import dev.distribank.proto.peer.v1.Consultation;
import dev.distribank.proto.peer.v1.Decision;
import dev.distribank.proto.peer.v1.Inquiry;
import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.peer.v1.Principal;
import dev.distribank.proto.peer.v1.Proposal;
import dev.distribank.proto.peer.v1.Refusal;
import dev.distribank.proto.peer.v1.Verdict;
import dev.distribank.proto.peer.v1.Vote;
import dev.distribank.proto.peer.v1.VoteSignature;
import java.util.TreeMap;

/**
 * The protocol's messages in their bank.peer.v1 wire form, and back. (An audit's snapshot travels as a bank.v1
 * {@code BankTotals}, which {@code api.ApiProtos} converts with the API's other answers.) Nothing here is stored: the
 * store keeps records of its own ({@code store.ProtocolRecords}), so the wire and the disk may change apart.
 */
public final class PeerProtos {
  private PeerProtos() {}

  private static final RecurringText CERTIFICATES = new RecurringText();
  private static final RecurringText SIGNATURES = new RecurringText();

  static PeerMessage toProto(Message m) {
    var b = PeerMessage.newBuilder();
    switch (m) {
      case Message.Propose p -> b.setPropose(proposal(p));
      case Message.Ack a -> b.setAck(vote(a, true));
      case Message.Decide d -> b.setDecide(decision(d, (bank, certificate) -> true));
      case Message.Applied a -> b.setApplied(Applied.newBuilder().setTransactionId(a.transactionId())
          .setFromBank(a.from()));
      case Message.Inquire q -> b.setInquire(Inquiry.newBuilder().setTransactionId(q.transactionId())
          .setFromBank(q.from()));
      case Message.Consult q -> b.setConsult(Consultation.newBuilder().setTransactionId(q.transactionId())
          .setFromBank(q.from()));
      case Message.Known k -> b.setKnown(verdict(k));
    }
    return b.build();
  }

  /**
   * A message {@code from} sent to {@code to}; throws on one no bank could have written (an empty body, a leg that
   * does not parse, an unknown reason), which the caller drops.
   */
  static Envelope fromProto(String from, String to, PeerMessage m) {
    Message message = switch (m.getBodyCase()) {
      case PROPOSE -> propose(m.getPropose());
      case ACK -> ack(m.getAck());
      case DECIDE -> decide(m.getDecide());
      case APPLIED -> new Message.Applied(m.getApplied().getTransactionId(), m.getApplied().getFromBank());
      case INQUIRE -> new Message.Inquire(m.getInquire().getTransactionId(), m.getInquire().getFromBank());
      case CONSULT -> new Message.Consult(m.getConsult().getTransactionId(), m.getConsult().getFromBank());
      case KNOWN -> new Message.Known(m.getKnown().getTransactionId(), m.getKnown().getFromBank(),
          m.getKnown().hasDecision() ? decide(m.getKnown().getDecision()) : null);
      case BODY_NOT_SET -> throw new IllegalArgumentException("empty peer message from " + from);
      case PROPOSE_BATCH, ACK_BATCH, DECIDE_BATCH, APPLIED_BATCH ->
          throw new IllegalArgumentException("a batch body stands for many messages: PeerBatches.expand it first");
    };
    return new Envelope(from, to, message);
  }

  static Proposal.Builder proposal(Message.Propose p) {
    return Proposal.newBuilder().setTransactionId(p.transactionId()).setCoordinator(p.coordinator())
        .setPrincipal(Principal.newBuilder().setBank(p.principal().bank()).setLogin(p.principal().login()))
        .addAllLegs(TypeProtos.toProto(p.legs())).addAllParticipants(p.participants()).setRequestId(p.requestId());
  }

  private static Message.Propose propose(Proposal p) {
    var principal = new dev.distribank.node.core.ledger.Principal(p.getPrincipal().getBank(),
        p.getPrincipal().getLogin());
    return new Message.Propose(p.getTransactionId(), p.getCoordinator(), principal,
        TypeProtos.fromProto(p.getLegsList()), p.getParticipantsList(), p.getRequestId());
  }

  /** A vote; its signature without the certificate unless {@code withCertificate}. */
  static Vote.Builder vote(Message.Ack a, boolean withCertificate) {
    var b = Vote.newBuilder().setTransactionId(a.transactionId()).setFromBank(a.from());
    if (a.yes()) {
      b.setProposed(TypeProtos.toProto(a.proposed()));
    } else {
      b.setRefusal(refusal(a.refusal()));
    }
    a.resolvedCredits().forEach((leg, account) -> b.putResolvedCredits(leg, account.toString()));
    if (a.signature() != null) {
      b.setSignature(signature(a.signature(), withCertificate));
    }
    return b;
  }

  private static Message.Ack ack(Vote v) {
    var resolved = new TreeMap<Integer, AccountId>();
    v.getResolvedCreditsMap().forEach((leg, account) -> resolved.put(leg, AccountId.parse(account, "account")));
    return new Message.Ack(v.getTransactionId(), v.getFromBank(),
        v.hasProposed() ? TypeProtos.fromProto(v.getProposed()) : null,
        v.hasRefusal() ? rejection(v.getRefusal()) : null, resolved,
        v.hasSignature() ? voteSignature(v.getSignature()) : null);
  }

  /** Whether a signature of {@code bank}'s goes with its certificate. */
  @FunctionalInterface
  interface CertificateWanted {
    boolean test(String bank, String certificate);
  }

  static Decision.Builder decision(Message.Decide d, CertificateWanted withCertificate) {
    var b = Decision.newBuilder().setTransactionId(d.transactionId()).setCommit(d.commit());
    if (d.finalStamp() != null) {
      b.setFinalStamp(TypeProtos.toProto(d.finalStamp()));
    }
    if (d.refusal() != null) {
      b.setRefusal(refusal(d.refusal()));
    }
    d.votes().forEach((bank, vote) -> b.putVotes(bank,
        signature(vote, withCertificate.test(bank, vote.certificate()))));
    return b;
  }

  private static Message.Decide decide(Decision d) {
    var votes = new TreeMap<String, dev.distribank.node.core.order.VoteSignature>();
    d.getVotesMap().forEach((bank, vote) -> votes.put(bank, voteSignature(vote)));
    return new Message.Decide(d.getTransactionId(), d.getCommit(),
        d.hasFinalStamp() ? TypeProtos.fromProto(d.getFinalStamp()) : null,
        d.hasRefusal() ? rejection(d.getRefusal()) : null,
        votes);
  }

  private static Verdict verdict(Message.Known k) {
    var b = Verdict.newBuilder().setTransactionId(k.transactionId()).setFromBank(k.from());
    if (k.decision() != null) {
      b.setDecision(decision(k.decision(), (bank, certificate) -> true));
    }
    return b.build();
  }

  private static VoteSignature signature(dev.distribank.node.core.order.VoteSignature v, boolean withCertificate) {
    var b = VoteSignature.newBuilder().setSignatureBytes(SIGNATURES.of(v.signature())).setPath(v.path())
        .setDigest(v.digest());
    if (withCertificate) {
      b.setCertificateBytes(CERTIFICATES.of(v.certificate()));
    }
    return b.build();
  }

  private static dev.distribank.node.core.order.VoteSignature voteSignature(VoteSignature v) {
    return new dev.distribank.node.core.order.VoteSignature(v.getCertificate(), v.getSignature(), v.getDigest(),
        v.getPath());
  }

  private static Refusal refusal(Rejection r) {
    var b = Refusal.newBuilder().setReason(r.reason().name()).setField(r.field()).setMessage(r.message())
        .putAllMetadata(TypeProtos.metadataWithLegacyLeg(r));
    if (r.hasFailedLeg()) {
      b.setFailedLeg(r.failedLeg());
    }
    return b.build();
  }

  /** The refusal, or null when it names no reason; throws on a reason this bank does not know. */
  private static Rejection rejection(Refusal r) {
    if (r.getReason().isEmpty()) {
      return null;
    }
    return TypeProtos.rejection(Reason.valueOf(r.getReason()), r.getField(), r.getMessage(), r.getMetadataMap(),
        r.hasFailedLeg() ? r.getFailedLeg() : null);
  }
}
