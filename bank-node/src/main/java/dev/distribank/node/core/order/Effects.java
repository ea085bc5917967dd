package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.AuditTrail;
import java.util.ArrayList;
import java.util.List;

/**
 * What one or more steps of the core produced, for the I/O side to carry out in this order: write {@link #protocol}
 * (and the ledger's changes) durably in one batch, then send {@link #outbound} and answer {@link #replies}. Nothing
 * leaves the node before the state that explains it is on disk.
 */
public final class Effects {
  private final List<Envelope> outbound = new ArrayList<>();
  private final List<Reply> replies = new ArrayList<>();
  private final List<SnapshotReply> snapshots = new ArrayList<>();
  private final List<PeerFault> faults = new ArrayList<>();
  private final ProtocolChanges protocol = new ProtocolChanges();

  /** An answer for the client request the I/O side registered under {@code tag}. */
  public record Reply(long tag, Outcome outcome) {}

  /**
   * This bank's totals as of an audit's cut, for the request registered under {@code tag}; or, when the bank cannot
   * answer for that cut (it restarted after it), a null snapshot and why.
   */
  public record SnapshotReply(long tag, AuditTrail.Snapshot snapshot, String refusal) {}

  /**
   * A message from {@code from} that this bank refused because it contradicts what the bank knows (a COMMIT for a
   * transaction it never voted YES on, a decision from a bank that is not the coordinator, a vote in another bank's
   * name): nothing changed; the I/O side logs it with the sender. Honest banks never cause one.
   */
  public record PeerFault(String from, String transactionId, String why) {}

  void fault(PeerFault fault) {
    faults.add(fault);
  }

  public List<PeerFault> faults() {
    return faults;
  }

  void snapshot(long tag, AuditTrail.Snapshot snapshot) {
    snapshots.add(new SnapshotReply(tag, snapshot, null));
  }

  void snapshotRefused(long tag, String why) {
    snapshots.add(new SnapshotReply(tag, null, why));
  }

  public List<SnapshotReply> snapshots() {
    return snapshots;
  }

  void send(Envelope envelope) {
    outbound.add(envelope);
  }

  void reply(long tag, Outcome outcome) {
    replies.add(new Reply(tag, outcome));
  }

  ProtocolChanges changes() {
    return protocol;
  }

  public List<Envelope> outbound() {
    return outbound;
  }

  public List<Reply> replies() {
    return replies;
  }

  public ProtocolChanges protocol() {
    return protocol;
  }

  public boolean isEmpty() {
    return outbound.isEmpty() && replies.isEmpty() && snapshots.isEmpty() && protocol.isEmpty();
  }
}
