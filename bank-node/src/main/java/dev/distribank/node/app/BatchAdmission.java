package dev.distribank.node.app;

import static com.google.common.base.Preconditions.checkArgument;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the transactions batches bring into a node (DESIGN §5, overload). The loop's queue bounds calls, but one
 * batch is up to {@value Batch#MAX_TRANSACTIONS} transactions, so a few thousand queued batches could hold millions:
 * batches are admitted only while the transactions of batches waiting for the loop, and the transactions this bank
 * coordinates and has not finished, stay under their bounds. A batch past either is refused whole, OVERLOADED with
 * a time to retry, having changed nothing.
 */
final class BatchAdmission {
  /** Four full batches waiting, and four in flight: what four clients of full batches keep busy at one bank. */
  static final BatchAdmission DEFAULT = new BatchAdmission(4 * Batch.MAX_TRANSACTIONS, 4 * Batch.MAX_TRANSACTIONS);
  private static final String RETRY_AFTER_MILLIS = "100";

  private final int maxWaiting;
  private final int maxInFlight;
  private final AtomicInteger waiting = new AtomicInteger();

  /**
   * @param maxWaiting at most this many transactions of batches wait for the loop
   * @param maxInFlight no batch is started that would make this bank coordinate more transactions than this at once
   */
  BatchAdmission(int maxWaiting, int maxInFlight) {
    checkArgument(maxWaiting >= 1 && maxInFlight >= 1, "bounds %s, %s", maxWaiting, maxInFlight);
    this.maxWaiting = maxWaiting;
    this.maxInFlight = maxInFlight;
  }

  /** Room for {@code size} more transactions waiting for the loop, held until {@link #started}; or the refusal. */
  void enter(String bank, int size) {
    if (waiting.addAndGet(size) > maxWaiting) {
      waiting.addAndGet(-size);
      throw overloaded(bank, "batches of more than " + maxWaiting + " transactions are waiting");
    }
  }

  /** The batch left the queue (it runs, or it never will): its room is free again. */
  void started(int size) {
    waiting.addAndGet(-size);
  }

  /** On the loop: refuses a batch that would take the transactions this bank coordinates past the bound. */
  void checkInFlight(String bank, int inFlight, int size) {
    if (inFlight + size > maxInFlight) {
      throw overloaded(bank, inFlight + " transactions are in flight, and at most " + maxInFlight + " may be");
    }
  }

  private static Rejection.Rejected overloaded(String bank, String why) {
    return Rejection.of(Reason.OVERLOADED, "", "bank " + bank + " is busy: " + why + "; try the batch again"
        + " shortly").with(Rejection.RETRY_AFTER_MILLIS, RETRY_AFTER_MILLIS).toException();
  }
}
