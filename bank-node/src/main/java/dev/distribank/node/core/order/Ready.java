package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.Changes;
import dev.distribank.node.core.ledger.Rejection;
import java.math.BigInteger;
import java.util.List;
import java.util.SortedMap;

/**
 * Everything the core produced since the last {@link OrderCore#ready()}, handed out whole, as etcd's raft hands out
 * a {@code Ready}: the I/O side writes {@link #ledger}, {@link #protocol} and {@link #counters} in one durable batch,
 * and only then sends {@link #outbound}, answers {@link #replies} and {@link #snapshots}, and reports
 * {@link #faults}. Nothing leaves the node before the state that explains it is on disk: what {@link #early} holds
 * is explained by earlier batches alone, so it leaves once they are durable, without waiting for this one.
 *
 * @param ledger what the ledger changed (accounts in their state at write time)
 * @param protocol votes, coordinations, decided requests and operation-log lines to store or forget
 * @param counters the counters as of now; the store writes them when they differ from what it holds
 * @param outbound messages for other banks
 * @param replies answers for client requests
 * @param snapshots audit snapshots, or why one cannot be given
 * @param faults peer messages refused as contradicting this bank's state
 * @param early messages and answers that wait only for the batches before this one
 */
public record Ready(Changes ledger, ProtocolChanges protocol, Counters counters, List<Envelope> outbound,
    List<Reply> replies, List<SnapshotReply> snapshots, List<PeerFault> faults, Early early) {

  /**
   * What may leave before this batch is durable, once every earlier one is (DESIGN §6): proposals (presumed abort
   * needs nothing durable before Propose; their transaction numbers were reserved by an earlier batch) and the
   * answer to a transaction decided in an earlier batch. Taking them off the wait for this batch's fsync shortens a
   * cross-bank transfer's critical path to three synced writes: the participant's vote, the coordinator's decision,
   * the participant's application.
   */
  public record Early(List<Envelope> outbound, List<Reply> replies) {}

  /** Every message of the step, those that may leave early first. */
  public List<Envelope> sent() {
    if (early.outbound().isEmpty()) {
      return outbound;
    }
    var all = new java.util.ArrayList<>(early.outbound());
    all.addAll(outbound);
    return all;
  }

  /** Every answer of the step, those that may be given early first. */
  public List<Reply> answers() {
    if (early.replies().isEmpty()) {
      return replies;
    }
    var all = new java.util.ArrayList<>(early.replies());
    all.addAll(replies);
    return all;
  }

  /**
   * The bank's running counters: the Lamport clock, the last transaction number reserved (numbers are given out
   * below it), and the audit totals (exact: they only grow, so they may outgrow an int64).
   */
  public record Counters(long clock, long reservedTransactionSeq, BigInteger depositsCents, BigInteger withdrawalsCents,
      SortedMap<String, AuditTrail.Flow> flows) {}

  /** An answer for the client request the I/O side registered under {@code tag}. */
  public record Reply(long tag, Outcome outcome) {}

  /**
   * This bank's totals as of an audit's cut, for the request registered under {@code tag}; or, when the bank cannot
   * answer for that cut (it restarted after it), a null snapshot and the refusal (AUDIT_CUT_FORGOTTEN).
   */
  public record SnapshotReply(long tag, AuditTrail.Snapshot snapshot, Rejection refusal) {}

  /**
   * A message from {@code from} that this bank refused because it contradicts what the bank knows (a COMMIT for a
   * transaction it never voted YES on, a decision from a bank that is not the coordinator, a vote in another bank's
   * name): nothing changed; the I/O side logs it with the sender. Honest banks never cause one.
   */
  public record PeerFault(String from, String transactionId, String why) {}
}
