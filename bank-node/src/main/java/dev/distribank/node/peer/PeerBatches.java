package dev.distribank.node.peer;

import dev.distribank.node.core.order.Message;
import dev.distribank.proto.peer.v1.AckBatch;
import dev.distribank.proto.peer.v1.Applied;
import dev.distribank.proto.peer.v1.Decision;
import dev.distribank.proto.peer.v1.DecisionBatch;
import dev.distribank.proto.peer.v1.PeerMessage;
import dev.distribank.proto.peer.v1.Proposal;
import dev.distribank.proto.peer.v1.Vote;
import dev.distribank.proto.peer.v1.VoteSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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
      } else {
        run.add(m);
      }
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

  /**
   * One body being filled. Its first message is encoded into it only when a second joins: a run of one goes alone,
   * encoded once, as most of unary traffic's runs are.
   */
  private static final class Run {
    private final String self;
    private final Kind kind;
    private final Message first;
    private final PeerMessage.Builder body = PeerMessage.newBuilder();
    private int entries = 1;
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
      if (entries == 1) {
        put(first);
      }
      entries++;
      put(m);
    }

    private void put(Message m) {
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
          body.getProposeBatchBuilder().addProposals(entry);
        }
        case Message.Ack a -> {
          AckBatch.Builder acks = body.getAckBatchBuilder();
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
          DecisionBatch.Builder decisions = body.getDecideBatchBuilder();
          Decision entry = PeerProtos.decision(d, (bank, certificate) -> {
            String named = decisions.getCertificatesOrDefault(bank, null);
            if (named == null) {
              decisions.putCertificates(bank, certificate);
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
          body.getAppliedBatchBuilder().addTransactionIds(a.transactionId());
        }
        default -> throw new IllegalArgumentException("not a batched kind: " + m);
      }
    }

    PeerMessage build() {
      return entries == 1 ? PeerProtos.toProto(first) : body.build(); // alone, as a bank of any version reads it
    }
  }

  /**
   * The messages {@code m} stands for, from {@code from}, each as it would have come alone: a batch body's entries
   * with what they left to the body filled in, or {@code m} itself. Throws on a body of over {@link #MAX_ENTRIES}.
   */
  static List<PeerMessage> expand(String from, PeerMessage m) {
    return switch (m.getBodyCase()) {
      case PROPOSE_BATCH -> each(m.getProposeBatch().getProposalsList(), p -> {
        Proposal.Builder b = p.toBuilder();
        if (b.getCoordinator().isEmpty()) {
          b.setCoordinator(from);
        }
        if (b.getPrincipal().getBank().isEmpty()) {
          b.getPrincipalBuilder().setBank(b.getCoordinator());
        }
        return PeerMessage.newBuilder().setPropose(b).build();
      });
      case ACK_BATCH -> each(m.getAckBatch().getVotesList(), v -> {
        Vote.Builder b = v.toBuilder();
        if (b.getFromBank().isEmpty()) {
          b.setFromBank(from);
        }
        if (b.hasSignature() && b.getSignature().getCertificate().isEmpty()) {
          b.getSignatureBuilder().setCertificate(m.getAckBatch().getCertificate());
        }
        return PeerMessage.newBuilder().setAck(b).build();
      });
      case DECIDE_BATCH -> each(m.getDecideBatch().getDecisionsList(), d -> {
        Decision.Builder b = d.toBuilder();
        for (var vote : d.getVotesMap().entrySet()) {
          String certificate = m.getDecideBatch().getCertificatesOrDefault(vote.getKey(), "");
          if (vote.getValue().getCertificate().isEmpty() && !certificate.isEmpty()) {
            b.putVotes(vote.getKey(), VoteSignature.newBuilder(vote.getValue()).setCertificate(certificate).build());
          }
        }
        return PeerMessage.newBuilder().setDecide(b).build();
      });
      case APPLIED_BATCH -> each(m.getAppliedBatch().getTransactionIdsList(), transactionId -> PeerMessage
          .newBuilder().setApplied(Applied.newBuilder().setTransactionId(transactionId).setFromBank(from)).build());
      default -> List.of(m);
    };
  }

  /** Each of a body's entries as the message it stands for; throws on a body of over {@link #MAX_ENTRIES}. */
  private static <T> List<PeerMessage> each(List<T> entries, Function<T, PeerMessage> alone) {
    if (entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("a batch body of " + entries.size() + " messages (at most " + MAX_ENTRIES
          + ")");
    }
    var out = new ArrayList<PeerMessage>(entries.size());
    for (T entry : entries) {
      out.add(alone.apply(entry));
    }
    return out;
  }
}
