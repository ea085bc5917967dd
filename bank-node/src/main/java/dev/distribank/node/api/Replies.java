package dev.distribank.node.api;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Answers a unary call from a future: exactly one onNext + onCompleted, or one onError. */
final class Replies {
  private Replies() {}

  static <T, R> void answer(CompletableFuture<T> result, Function<T, R> toResponse, StreamObserver<R> observer) {
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
