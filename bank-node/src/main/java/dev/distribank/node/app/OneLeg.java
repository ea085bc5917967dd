package dev.distribank.node.app;

import dev.distribank.node.core.ledger.Rejection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A deposit or withdrawal is one leg to the bank, but the client sent a request with its own fields: the bank's
 * refusals of {@code legs[0]} are answered naming {@code account} and {@code amount_cents}, and no failed leg.
 */
final class OneLeg {
  private OneLeg() {}

  /** {@code answer}, its refusal (if it is refused) in the request's own fields. */
  static <T> CompletableFuture<T> inOwnFields(CompletableFuture<T> answer) {
    return answer.exceptionallyCompose(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      return CompletableFuture.failedFuture(cause instanceof Rejection.Rejected r
          ? ownFields(r.rejection()).toException() : cause);
    });
  }

  static Rejection ownFields(Rejection r) {
    String field = switch (r.field()) {
      case "legs[0].from_account", "legs[0].to_account" -> "account"; // the leg's one account
      case "legs[0].amount_cents" -> "amount_cents";
      default -> r.field(); // request_id, or none
    };
    return new Rejection(r.reason(), field, r.message(), r.metadata()); // about the request, not a leg of it
  }
}
