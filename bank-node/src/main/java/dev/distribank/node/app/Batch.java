package dev.distribank.node.app;

import static com.google.common.base.Preconditions.checkArgument;

import dev.distribank.node.core.ledger.Rejection;
import java.util.List;

/**
 * Transactions a caller submits together (SubmitTransactions), each independent of the others: each is decided,
 * applied or refused on its own, and answered in the batch's order. A transaction whose form was wrong is carried as
 * its refusal, so that it is answered in its place — and only once the caller is known, as every refusal is.
 */
public record Batch(List<Entry> entries) {
  /**
   * At most this many transactions in one batch: TigerBeetle's bound, which keeps a batch of a few legs each, and
   * its answer, well under gRPC's default 4 MiB message, and one loop task's work to milliseconds.
   */
  public static final int MAX_TRANSACTIONS = 8_190;

  public Batch {
    entries = List.copyOf(entries);
    checkArgument(!entries.isEmpty() && entries.size() <= MAX_TRANSACTIONS, "a batch of %s transactions",
        entries.size());
  }

  public int size() {
    return entries.size();
  }

  /** One transaction of a batch, as the transport read it. */
  public sealed interface Entry {}

  /** A transaction read whole: the bank submits it, as it would a Transfer. */
  public record Readable(Transfer transfer) implements Entry {}

  /** A transaction refused before the bank saw it (its request id, legs or amounts were malformed). */
  public record Unreadable(Rejection refusal) implements Entry {}
}
