package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.Reservation;
import dev.distribank.node.core.ledger.Stamp;

/**
 * A transaction this bank voted YES on and has not applied yet: its holds, its proposed timestamp and, once the
 * coordinator committed it, its final timestamp. Stored durably before the YES is sent.
 */
public record PendingVote(Message.Propose proposal, Stamp proposed, Reservation reservation, Stamp finalStamp) {

  public String transactionId() {
    return proposal.transactionId();
  }

  public boolean committed() {
    return finalStamp != null;
  }

  /** Its place in the delivery queue: the final timestamp once committed, the proposed one until then. */
  public Stamp queueKey() {
    return committed() ? finalStamp : proposed;
  }

  PendingVote commit(Stamp at) {
    return new PendingVote(proposal, proposed, reservation, at);
  }
}
