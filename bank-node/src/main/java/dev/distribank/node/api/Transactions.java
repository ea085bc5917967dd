package dev.distribank.node.api;

import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.order.Outcome;
import dev.distribank.node.loop.EventLoop;
import dev.distribank.proto.bank.v1.TransactionReceipt;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/** Money movement from the API: authenticate, validate in a fixed precedence, submit to the ordering core. */
final class Transactions {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Transactions() {}

  /**
   * Validation precedence: caller (UNAUTHENTICATED), request id, leg count, then each leg in order. The receipt
   * future fails with the refusal of an aborted transaction.
   */
  static CompletableFuture<TransactionReceipt> submit(EventLoop loop, List<dev.distribank.proto.bank.v1.Leg> legs,
      String requestId) {
    String token = Caller.token();
    return loop.call(s -> {
      var principal = s.authenticate(token);
      String id = checkRequestId(requestId);
      Leg.checkCount(List.of(), legs.size());
      return s.submit(principal, TypeProtos.fromProto(legs), id);
    }).thenCompose(f -> f).thenApply(Transactions::receipt);
  }

  /**
   * A one-leg request (Deposit, Withdraw): refusals name the request's own fields ({@code account},
   * {@code amount_cents}), not those of the leg the bank builds from it, and carry no leg index.
   */
  static CompletableFuture<TransactionReceipt> submitOne(EventLoop loop, dev.distribank.proto.bank.v1.Leg leg,
      String requestId) {
    var out = new CompletableFuture<TransactionReceipt>();
    submit(loop, List.of(leg), requestId).whenComplete((receipt, error) -> {
      if (error == null) {
        out.complete(receipt);
      } else {
        out.completeExceptionally(ownFields(error));
      }
    });
    return out;
  }

  private static Throwable ownFields(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (!(cause instanceof Rejection.Rejected rejected)) {
      return error;
    }
    Rejection r = rejected.rejection();
    String field = r.field().replaceFirst("^legs\\[0\\]\\.(from|to)_account$", "account")
        .replaceFirst("^legs\\[0\\]\\.", "").replaceFirst("^legs\\[0\\]$", "");
    return new Rejection(r.reason(), field, r.message(), r.metadata()).toException();
  }

  static String checkRequestId(String requestId) {
    if (!requestId.isEmpty() && !UUID.matcher(requestId).matches()) {
      throw Rejection.of(Reason.INVALID_REQUEST_ID, "request_id",
          "request_id must be a UUID such as 123e4567-e89b-12d3-a456-426614174000, or empty").toException();
    }
    return requestId.toLowerCase();
  }

  static TransactionReceipt receipt(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Aborted a -> throw a.refusal().toException();
      case Outcome.Committed c -> TransactionReceipt.newBuilder().setTransactionId(c.transactionId())
          .setTimestamp(TypeProtos.toProto(c.stamp())).setRequestId(c.requestId())
          .addAllLegs(TypeProtos.toProto(c.legs())).setReplayed(c.replayed()).build();
    };
  }
}
