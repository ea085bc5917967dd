package dev.distribank.node.store;

import com.google.protobuf.ByteString;
import dev.distribank.node.core.order.Coordination;
import dev.distribank.node.core.order.Message;
import dev.distribank.proto.store.v1.AckRecord;
import dev.distribank.proto.store.v1.CoordinationStepRecord;
import dev.distribank.proto.store.v1.DecisionRecord;
import dev.distribank.proto.store.v1.ProposalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One coordination in {@link ProtocolLog}: its parts encoded apart ({@code CoordinationStepRecord}s with disjoint
 * fields), so a change encodes only the part it changed, and their concatenation is the whole.
 */
final class StoredCoordination {
  private ByteString proposal;
  private ByteString decided;
  private ByteString applied;
  /** What the parts were encoded from (null after a restart: the next change encodes them again). */
  private List<Message.Ack> acksStored;
  private Message.Decide decisionStored;
  private TreeSet<String> appliedStored;

  int size() {
    return (proposal == null ? 0 : proposal.size()) + (decided == null ? 0 : decided.size())
        + (applied == null ? 0 : applied.size());
  }

  ByteString whole() {
    ByteString out = proposal;
    if (decided != null) {
      out = out.concat(decided);
    }
    return applied == null ? out : out.concat(applied);
  }

  /** Takes {@code c}'s state; returns the parts that changed, concatenated, or null if none did. */
  ByteString update(Coordination c, Function<Message.Propose, ProposalRecord> proposals,
      ProtocolRecords.CertificateRefs refs) {
    ByteString changed = ByteString.EMPTY;
    String txn = c.transactionId();
    if (proposal == null) {
      proposal = proposalPart(txn, proposals.apply(c.proposal()));
      changed = proposal;
    }
    if (!sameAcks(c.acks()) || c.decision() != decisionStored) {
      var acks = new ArrayList<AckRecord>(c.acks().size());
      c.acks().values().forEach(a -> acks.add(ProtocolRecords.toRecord(a, refs)));
      decided = decidedPart(txn, acks,
          c.decision() == null ? null : ProtocolRecords.toRecord(c.decision(), c.acks(), refs));
      acksStored = List.copyOf(c.acks().values());
      decisionStored = c.decision();
      changed = changed.concat(decided);
    }
    if (appliedStored == null ? applied != null || !c.applied().isEmpty() : !c.applied().equals(appliedStored)) {
      applied = appliedPart(txn, c.applied());
      appliedStored = new TreeSet<>(c.applied());
      changed = changed.concat(applied);
    }
    return changed.isEmpty() ? null : changed;
  }

  /** Whether {@code acks} are the very acks last stored (acks are immutable values: identity is enough). */
  private boolean sameAcks(Map<String, Message.Ack> acks) {
    if (acksStored == null) {
      return acks.isEmpty() && decided == null;
    }
    if (acksStored.size() != acks.size()) {
      return false;
    }
    int i = 0;
    for (Message.Ack a : acks.values()) {
      if (a != acksStored.get(i++)) {
        return false;
      }
    }
    return true;
  }

  /** Takes a stored change (one whose proposal is set starts afresh, on a new instance). */
  void fold(CoordinationStepRecord r) {
    String txn = r.getTransactionId();
    if (r.hasProposal()) {
      proposal = proposalPart(txn, r.getProposal());
    }
    if (r.getAcksChanged()) {
      decided = decidedPart(txn, r.getAcksList(), r.hasDecision() ? r.getDecision() : null);
    }
    if (r.getAppliedChanged()) {
      applied = appliedPart(txn, r.getAppliedList());
    }
  }

  private static ByteString proposalPart(String txn, ProposalRecord proposal) {
    return CoordinationStepRecord.newBuilder().setTransactionId(txn).setProposal(proposal).build().toByteString();
  }

  /** The acks and the decision (null: not decided yet), which replace those stored before. */
  private static ByteString decidedPart(String txn, List<AckRecord> acks, DecisionRecord decision) {
    var b = CoordinationStepRecord.newBuilder().setTransactionId(txn).setAcksChanged(true).addAllAcks(acks);
    if (decision != null) {
      b.setDecision(decision);
    }
    return b.build().toByteString();
  }

  private static ByteString appliedPart(String txn, Iterable<String> applied) {
    return CoordinationStepRecord.newBuilder().setTransactionId(txn).setAppliedChanged(true).addAllApplied(applied)
        .build().toByteString();
  }
}
