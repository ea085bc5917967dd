package dev.distribank.node.core.order;

/** Builds a step's {@link ProtocolChanges} by hand, for tests of the store outside the package that makes them. */
public final class ProtocolChangesForTests {
  private final ProtocolChanges changes = new ProtocolChanges();

  /** A vote to store, or (null) to forget. */
  public ProtocolChangesForTests vote(String transactionId, PendingVote vote) {
    changes.vote(transactionId, vote);
    return this;
  }

  /** A coordination to store in its state now, or (null) to forget. */
  public ProtocolChangesForTests coordination(String transactionId, Coordination coordination) {
    changes.coordination(transactionId, coordination);
    return this;
  }

  /** An operation-log line. */
  public ProtocolChangesForTests operation(Operation operation) {
    changes.operation(operation);
    return this;
  }

  public ProtocolChanges build() {
    return changes;
  }
}
