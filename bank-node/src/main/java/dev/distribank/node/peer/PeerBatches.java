package dev.distribank.node.peer;

import dev.distribank.node.core.order.Message;
import dev.distribank.proto.peer.v1.AckBatch;
import dev.distribank.proto.peer.v1.Applied;
import dev.distribank.proto.peer.v1.AppliedBatch;
import dev.distribank.proto.peer.v1.Decision;
import dev.distribank.proto.peer.v1.DecisionBatch;
import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.peer.v1.Proposal;
import dev.distribank.proto.peer.v1.ProposalBatch;
import dev.distribank.proto.peer.v1.Vote;
import dev.distribank.proto.peer.v1.VoteSignature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol's batches on the wire (docs/architecture.md §6): a run of Proposes, Acks, Decides or Applieds for one
 * bank goes as one body of its kind, with what every one of them would repeat said once (the sender's name, the
 * certificates of the signatures), and a body read back is exactly the messages it stands for, each as it would have
 * come alone, so everything a receiver checks of a message it checks of each. Messages keep their order: only
 * consecutive messages of one kind share a body.
 */
final class PeerBatches {
  private PeerBatches() {}

  /** A body carries at most this many messages; a body from a peer with more is dropped whole. */
  static final int MAX_ENTRIES = 4_096;
  /** ...and about this many bytes, so a body fits in a frame ({@link OutboundQueue#FRAME_BYTES}). */
  static final int BODY_BYTES = 48 << 10;

  private enum Kind { PROPOSE, ACK, DECIDE, APPLIED }

  /** {@code messages} from {@code self}, in their order, runs of one kind in one body. */
  static List<PeerMessage> encode(String self, List<Message> messages) {
    var out = new ArrayList<PeerMessage>();
    Run run = null;
    for (Message m : messages) {
      Kind kind = kindOf(self, m);
      if (run != null && (run.kind != kind || run.full())) {
        out.add(run.build());
        run = null;
      }
      if (kind == null) {
        out.add(PeerProtos.toProto(m));
        continue;
      }
      if (run == null) {
        run = new Run(self, kind, m);
      }
      run.add(m);
    }
    if (run != null) {
      out.add(run.build());
    }
    return out;
  }

  private static Kind kindOf(String self, Message m) {
    return switch (m) {
      case Message.Propose p -> Kind.PROPOSE;
      case Message.Ack a -> Kind.ACK;
      case Message.Decide d -> Kind.DECIDE;
      case Message.Applied a -> a.from().equals(self) ? Kind.APPLIED : null;
      case Message.Inquire q -> null;
      case Message.Consult q -> null;
      case Message.Known k -> null;
    };
  }

  /** One body being filled. */
  private static final class Run {
    private final String self;
    private final Kind kind;
    private final Message first;
    private final ProposalBatch.Builder proposals = ProposalBatch.newBuilder();
    private final AckBatch.Builder acks = AckBatch.newBuilder();
    private final DecisionBatch.Builder decisions = DecisionBatch.newBuilder();
    private final Map<String, String> certificates = new HashMap<>();
    private final AppliedBatch.Builder applied = AppliedBatch.newBuilder();
    private int entries;
    private long bytes;

    Run(String self, Kind kind, Message first) {
      this.self = self;
      this.kind = kind;
      this.first = first;
    }

    boolean full() {
      return entries >= MAX_ENTRIES || bytes >= BODY_BYTES;
    }

    void add(Message m) {
      entries++;
      switch (m) {
        case Message.Propose p -> {
          Proposal.Builder b = PeerProtos.proposal(p);
          if (p.coordinator().equals(self)) {
            b.clearCoordinator();
          }
          if (p.principal().bank().equals(p.coordinator())) {
            b.getPrincipalBuilder().clearBank();
          }
          Proposal entry = b.build();
          bytes += entry.getSerializedSize();
          proposals.addProposals(entry);
        }
        case Message.Ack a -> {
          String certificate = a.signature() == null ? null : a.signature().certificate();
          if (certificate != null && acks.getCertificate().isEmpty()) {
            acks.setCertificate(certificate);
          }
          Vote.Builder b = PeerProtos.vote(a, certificate == null || !certificate.equals(acks.getCertificate()));
          if (a.from().equals(self)) {
            b.clearFromBank();
          }
          Vote entry = b.build();
          bytes += entry.getSerializedSize();
          acks.addVotes(entry);
        }
        case Message.Decide d -> {
          Decision entry = PeerProtos.decision(d, (bank, certificate) -> {
            String named = certificates.get(bank);
            if (named == null) {
              certificates.put(bank, certificate);
              bytes += certificate.length();
              return false;
            }
            return !named.equals(certificate);
          }).build();
          bytes += entry.getSerializedSize();
          decisions.addDecisions(entry);
        }
        case Message.Applied a -> {
          bytes += a.transactionId().length() + 2;
          applied.addTransactionIds(a.transactionId());
        }
        default -> throw new IllegalArgumentException("not a batched kind: " + m);
      }
    }

    PeerMessage build() {
      if (entries == 1) {
        return PeerProtos.toProto(first); // alone, as a bank of any version reads it
      }
      var b = PeerMessage.newBuilder();
      return switch (kind) {
        case PROPOSE -> b.setProposeBatch(proposals).build();
        case ACK -> b.setAckBatch(acks).build();
        case DECIDE -> b.setDecideBatch(decisions.putAllCertificates(certificates)).build();
        case APPLIED -> b.setAppliedBatch(applied).build();
      };
    }
  }

  /**
   * The messages {@code m} stands for, from {@code from}, each as it would have come alone: a batch body's entries
   * with what they left to the body filled in, or {@code m} itself. Throws on a body of over {@link #MAX_ENTRIES}.
   */
  static List<PeerMessage> expand(String from, PeerMessage m) {
    return switch (m.getBodyCase()) {
      case PROPOSE_BATCH -> {
        List<Proposal> entries = bounded(m.getProposeBatch().getProposalsList());
        var out = new ArrayList<PeerMessage>(entries.size());
        for (Proposal p : entries) {
          Proposal.Builder b = p.toBuilder();
          if (b.getCoordinator().isEmpty()) {
            b.setCoordinator(from);
          }
          if (b.getPrincipal().getBank().isEmpty()) {
            b.getPrincipalBuilder().setBank(b.getCoordinator());
          }
          out.add(PeerMessage.newBuilder().setPropose(b).build());
        }
        yield out;
      }
      case ACK_BATCH -> {
        AckBatch batch = m.getAckBatch();
        List<Vote> entries = bounded(batch.getVotesList());
        var out = new ArrayList<PeerMessage>(entries.size());
        for (Vote v : entries) {
          Vote.Builder b = v.toBuilder();
          if (b.getFromBank().isEmpty()) {
            b.setFromBank(from);
          }
          if (b.hasSignature() && b.getSignature().getCertificate().isEmpty()) {
            b.getSignatureBuilder().setCertificate(batch.getCertificate());
          }
          out.add(PeerMessage.newBuilder().setAck(b).build());
        }
        yield out;
      }
      case DECIDE_BATCH -> {
        DecisionBatch batch = m.getDecideBatch();
        List<Decision> entries = bounded(batch.getDecisionsList());
        var out = new ArrayList<PeerMessage>(entries.size());
        for (Decision d : entries) {
          Decision.Builder b = d.toBuilder();
          for (var vote : d.getVotesMap().entrySet()) {
            String certificate = batch.getCertificatesOrDefault(vote.getKey(), "");
            if (vote.getValue().getCertificate().isEmpty() && !certificate.isEmpty()) {
              b.putVotes(vote.getKey(), VoteSignature.newBuilder(vote.getValue()).setCertificate(certificate).build());
            }
          }
          out.add(PeerMessage.newBuilder().setDecide(b).build());
        }
        yield out;
      }
      case APPLIED_BATCH -> {
        List<String> entries = bounded(m.getAppliedBatch().getTransactionIdsList());
        var out = new ArrayList<PeerMessage>(entries.size());
        for (String transactionId : entries) {
          out.add(PeerMessage.newBuilder().setApplied(Applied.newBuilder().setTransactionId(transactionId)
              .setFromBank(from)).build());
        }
        yield out;
      }
      default -> List.of(m);
    };
  }

  private static <T> List<T> bounded(List<T> entries) {
    if (entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("a batch body of " + entries.size() + " messages (at most " + MAX_ENTRIES
          + ")");
    }
    return entries;
  }
}
