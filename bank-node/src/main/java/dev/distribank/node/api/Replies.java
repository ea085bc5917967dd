package dev.distribank.node.api;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Answers a unary call from the bank's future, for every service (PeerService's too): exactly one onNext +
 * onCompleted, or one onError with the status {@link Errors} maps the failure to.
 */
public final class Replies {
  private Replies() {}

  /** Answers with {@code toResponse} of the value, or with the failure (of the call, or of the conversion). */
  public static <T, R> void answer(CompletableFuture<T> result, Function<T, R> toResponse, StreamObserver<R> observer) {
    result.whenComplete((value, error) -> {
      if (error != null) {
        observer.onError(Errors.toStatus(error));
        return;
      }
      R response;
      try {
        response = toResponse.apply(value);
      } catch (RuntimeException e) {
        observer.onError(Errors.toStatus(e));
        return;
      }
      observer.onNext(response);
      observer.onCompleted();
    });
  }
}
