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
 * {@link #faults}. Nothing leaves the node before the state that explains it is on disk.
 *
 * @param ledger what the ledger changed (accounts in their state at write time)
 * @param protocol votes, coordinations, decided requests and operation-log lines to store or forget
 * @param counters the counters as of now; the store writes them when they differ from what it holds
 * @param outbound messages for other banks
 * @param replies answers for client requests
 * @param snapshots audit snapshots, or why one cannot be given
 * @param faults peer messages refused as contradicting this bank's state
 */
public record Ready(Changes ledger, ProtocolChanges protocol, Counters counters, List<Envelope> outbound,
    List<Reply> replies, List<SnapshotReply> snapshots, List<PeerFault> faults) {

  /**
   * The bank's running counters: the Lamport clock, the last transaction number, and the audit totals (exact: they
   * only grow, so they may outgrow an int64).
   */
  public record Counters(long clock, long lastTransactionSeq, BigInteger depositsCents, BigInteger withdrawalsCents,
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
