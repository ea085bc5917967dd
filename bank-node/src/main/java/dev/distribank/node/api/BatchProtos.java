package dev.distribank.node.api;

import dev.distribank.node.app.Batch;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.Outcome;
import dev.distribank.proto.bank.v1.SubmitTransactionsRequest;
import dev.distribank.proto.bank.v1.SubmitTransactionsResponse;
import dev.distribank.proto.bank.v1.TransactionResult;
import dev.distribank.proto.bank.v1.TransferRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches and streams of transactions in and their results out. Each transaction is read exactly as a unary Transfer
 * is ({@link ApiProtos#transfer}), and each refusal is answered as the Transfer would have been, only its field path
 * (AIP-193) starts where the transaction sits in its request: {@code transactions[i].} in a batch,
 * {@code transaction.} in a stream's message.
 */
final class BatchProtos {
  private BatchProtos() {}

  /** A batch: its number of transactions first (1..{@value Batch#MAX_TRANSACTIONS}), then each in order. */
  static Batch batch(SubmitTransactionsRequest r) {
    int count = r.getTransactionsCount();
    if (count == 0) {
      throw Rejection.of(Reason.NO_TRANSACTIONS, "transactions", "a batch needs at least one transaction")
          .toException();
    }
    if (count > Batch.MAX_TRANSACTIONS) {
      throw Rejection.of(Reason.TOO_MANY_TRANSACTIONS, "transactions", "a batch has at most "
          + Batch.MAX_TRANSACTIONS + " transactions, got " + count).toException();
    }
    var entries = new ArrayList<Batch.Entry>(count);
    for (int i = 0; i < count; i++) {
      entries.add(entry(r.getTransactions(i)));
    }
    return new Batch(entries);
  }

  /** One transaction, read as Transfer reads it; malformed, it is carried as its refusal. */
  static Batch.Entry entry(TransferRequest t) {
    try {
      return new Batch.Readable(ApiProtos.transfer(t));
    } catch (Rejection.Rejected unreadable) {
      return new Batch.Unreadable(unreadable.rejection());
    }
  }

  /** One result per transaction, {@code outcomes[i]} answering {@code transactions[i]}. */
  static SubmitTransactionsResponse toProto(List<Outcome> outcomes, SubmitTransactionsRequest r) {
    var out = SubmitTransactionsResponse.newBuilder();
    for (int i = 0; i < outcomes.size(); i++) {
      out.addResults(result(i, r.getTransactions(i).getRequestId(), outcomes.get(i), "transactions[" + i + "]."));
    }
    return out.build();
  }

  /**
   * The result of the transaction at {@code index}: its receipt, or its refusal as a status whose field path starts
   * with {@code fieldPrefix}.
   */
  static TransactionResult result(long index, String requestId, Outcome outcome, String fieldPrefix) {
    var out = TransactionResult.newBuilder().setIndex(index).setRequestId(requestId);
    return switch (outcome) {
      case Outcome.Committed c -> out.setReceipt(ApiProtos.toProto(c)).build();
      case Outcome.Aborted a -> out.setError(Errors.statusOf(within(fieldPrefix, a.refusal()))).build();
    };
  }

  /** A refusal of a transaction, its field named from the request that holds the transaction. */
  static Rejection within(String fieldPrefix, Rejection r) {
    return r.field().isEmpty() ? r
        : new Rejection(r.reason(), fieldPrefix + r.field(), r.message(), r.metadata(), r.failedLeg());
  }
}
