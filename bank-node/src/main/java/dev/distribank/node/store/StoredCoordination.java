package dev.distribank.node.store;

import com.google.protobuf.ByteString;
import dev.distribank.node.core.order.Coordination;
import dev.distribank.node.core.order.Message;
import dev.distribank.proto.store.v1.AckRecord;
import dev.distribank.proto.store.v1.CoordinationStepRecord;
import dev.distribank.proto.store.v1.DecisionRecord;
import dev.distribank.proto.store.v1.ProposalRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One coordination in {@link ProtocolLog}: its parts encoded apart ({@code CoordinationStepRecord}s with disjoint
 * fields), so a change encodes only the part it changed, and their concatenation is the whole. Acks are stored as they
 * come in, each once: the coordinator's own vote, stored with its proposal, is not stored again with the decision.
 */
final class StoredCoordination {
  private ByteString proposal;
  /** The acks in, each part adding some ({@code acks_added}): concatenated, one part adding them all. */
  private ByteString acks = ByteString.EMPTY;
  private ByteString decided = ByteString.EMPTY;
  private ByteString applied = ByteString.EMPTY;
  /**
   * What the parts were encoded from, by voter (null after a restart: the next change to acks or decision encodes
   * them again).
   */
  private Map<String, Message.Ack> acksStored = new HashMap<>();
  private Message.Decide decisionStored;
  private TreeSet<String> appliedStored;

  int size() {
    return (proposal == null ? 0 : proposal.size()) + acks.size() + decided.size() + applied.size();
  }

  ByteString whole() {
    return proposal.concat(acks).concat(decided).concat(applied);
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
    Map<String, Message.Ack> added = added(c.acks());
    boolean newDecision = c.decision() != decisionStored;
    if (added == null || newDecision && decisionStored != null) {
      // Replaced, not added to: an ack or decision that was stored is not one now, or none is known (a restart). The
      // change is the flag followed by the parts: acks_changed makes a fold replace what it holds with them.
      acks = acksPart(txn, records(c.acks().values(), refs));
      decided = c.decision() == null ? ByteString.EMPTY
          : decisionPart(txn, ProtocolRecords.toRecord(c.decision(), c.acks(), refs));
      changed = changed.concat(acksChangedFlag(txn)).concat(acks).concat(decided);
      acksStored = new HashMap<>(c.acks());
    } else {
      if (!added.isEmpty()) {
        ByteString part = acksPart(txn, records(added.values(), refs));
        acks = acks.concat(part);
        changed = changed.concat(part);
      }
      if (acksStored == null) {
        acksStored = new HashMap<>(); // read back with no acks: none are stored
      }
      acksStored.putAll(added);
      if (newDecision) {
        decided = decisionPart(txn, ProtocolRecords.toRecord(c.decision(), c.acks(), refs));
        changed = changed.concat(decided);
      }
    }
    decisionStored = c.decision();
    if (appliedStored == null ? !applied.isEmpty() || !c.applied().isEmpty() : !c.applied().equals(appliedStored)) {
      applied = appliedPart(txn, c.applied());
      appliedStored = new TreeSet<>(c.applied());
      changed = changed.concat(applied);
    }
    return changed.isEmpty() ? null : changed;
  }

  /**
   * The acks {@code now} holds that were not stored, by voter, if it holds every one that was (acks are immutable
   * values: identity is enough); else null.
   */
  private Map<String, Message.Ack> added(Map<String, Message.Ack> now) {
    if (acksStored == null) {
      return now.isEmpty() && decided.isEmpty() ? Map.of() : null;
    }
    for (var e : acksStored.entrySet()) {
      if (now.get(e.getKey()) != e.getValue()) {
        return null;
      }
    }
    var added = new LinkedHashMap<String, Message.Ack>();
    now.forEach((bank, a) -> {
      if (!acksStored.containsKey(bank)) {
        added.put(bank, a);
      }
    });
    return added;
  }

  private static List<AckRecord> records(Collection<Message.Ack> acks, ProtocolRecords.CertificateRefs refs) {
    var out = new ArrayList<AckRecord>(acks.size());
    acks.forEach(a -> out.add(ProtocolRecords.toRecord(a, refs)));
    return out;
  }

  /** Takes a stored change (one whose proposal is set starts afresh, on a new instance). */
  void fold(CoordinationStepRecord r) {
    String txn = r.getTransactionId();
    if (r.hasProposal()) {
      proposal = proposalPart(txn, r.getProposal());
    }
    if (r.getAcksChanged()) {
      acks = acksPart(txn, r.getAcksList());
      decided = r.hasDecision() ? decisionPart(txn, r.getDecision()) : ByteString.EMPTY;
    } else {
      if (r.getAcksAdded()) {
        acks = acks.concat(acksPart(txn, r.getAcksList()));
      }
      if (r.hasDecision()) {
        decided = decisionPart(txn, r.getDecision());
      }
    }
    if (r.getAppliedChanged()) {
      applied = appliedPart(txn, r.getAppliedList());
    }
    // Read back, not written here: what the parts were encoded from is unknown.
    acksStored = null;
    decisionStored = null;
    appliedStored = null;
  }

  /** The flag of a change that replaces the acks and the decision with those it holds. */
  private static ByteString acksChangedFlag(String txn) {
    return CoordinationStepRecord.newBuilder().setTransactionId(txn).setAcksChanged(true).build().toByteString();
  }

  private static ByteString proposalPart(String txn, ProposalRecord proposal) {
    return CoordinationStepRecord.newBuilder().setTransactionId(txn).setProposal(proposal).build().toByteString();
  }

  private static ByteString acksPart(String txn, List<AckRecord> acks) {
    return acks.isEmpty() ? ByteString.EMPTY : CoordinationStepRecord.newBuilder().setTransactionId(txn)
        .setAcksAdded(true).addAllAcks(acks).build().toByteString();
  }

  private static ByteString decisionPart(String txn, DecisionRecord decision) {
    return CoordinationStepRecord.newBuilder().setTransactionId(txn).setDecision(decision).build().toByteString();
  }

  private static ByteString appliedPart(String txn, Iterable<String> applied) {
    return CoordinationStepRecord.newBuilder().setTransactionId(txn).setAppliedChanged(true).addAllApplied(applied)
        .build().toByteString();
  }
}
