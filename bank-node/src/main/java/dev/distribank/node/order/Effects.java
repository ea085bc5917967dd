package dev.distribank.node.order;

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
  private final ProtocolChanges protocol = new ProtocolChanges();

  /** An answer for the client request the I/O side registered under {@code tag}. */
  public record Reply(long tag, Outcome outcome) {}

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
    return outbound.isEmpty() && replies.isEmpty() && protocol.isEmpty();
  }
}
