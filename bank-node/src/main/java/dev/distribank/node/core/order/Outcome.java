package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Stamp;
import java.util.List;

/** What a client is told about its transaction. */
public sealed interface Outcome {

  String transactionId();

  /** Applied all-or-nothing at {@code stamp}; {@code legs} have PIX keys resolved to accounts. */
  record Committed(String transactionId, Stamp stamp, List<Leg> legs, String requestId, boolean replayed)
      implements Outcome {
    public Committed replay() {
      return new Committed(transactionId, stamp, legs, requestId, true);
    }
  }

  /** Nothing was applied anywhere, because of {@code refusal} (its metadata names the failing leg). */
  record Aborted(String transactionId, Rejection refusal) implements Outcome {}
}
