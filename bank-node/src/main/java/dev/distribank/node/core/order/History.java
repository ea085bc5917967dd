package dev.distribank.node.core.order;

/**
 * What the bank remembers durably about finished work, looked up on demand instead of loaded at start-up (so a node
 * with millions of past transactions recovers in the time its live state needs). The I/O side implements it with
 * point reads of its store; a simulation with a map.
 */
public interface History {

  /** Whether {@code transactionId} was applied (true) or aborted (false) here, or null if it never finished here. */
  Boolean finished(String transactionId);

  /** The first outcome recorded for a client request id, or null. */
  RequestRecord request(String requestId);

  /**
   * The transaction this bank voted YES on that debited one of its accounts under a request id (key
   * {@code account_number/request_id}), or null: a request id is spent consortium-wide for the accounts it debited.
   */
  String votedRequest(String key);

  /**
   * The COMMIT this bank adopted for {@code transactionId}, with the signed votes that proved it, when other
   * participants might consult it about the transaction (cooperative termination); null otherwise. A history that
   * keeps none answers null, and its bank can tell a participant in doubt only that it committed, without proof.
   */
  default Message.Decide settled(String transactionId) {
    return null;
  }

  /** A bank with no past: the start of a simulation or of a fresh node. */
  History NONE = new History() {
    @Override
    public Boolean finished(String transactionId) {
      return null;
    }

    @Override
    public RequestRecord request(String requestId) {
      return null;
    }

    @Override
    public String votedRequest(String key) {
      return null;
    }
  };
}
