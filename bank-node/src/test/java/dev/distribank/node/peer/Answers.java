package dev.distribank.node.peer;

import static dev.distribank.node.testing.Clients.reason;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The answers to a flood of asynchronous calls, counted by kind: {@code OK}, {@code OVERLOADED} (RESOURCE_EXHAUSTED
 * with reason OVERLOADED and a RetryInfo, the refusal a client should retry), or the status code and reason.
 */
final class Answers {
  static final String OK = "OK";
  static final String OVERLOADED = "OVERLOADED";

  private final Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();
  private final CountDownLatch pending;

  Answers(int calls) {
    this.pending = new CountDownLatch(calls);
  }

  /** The observer for one call. */
  <T> StreamObserver<T> observer() {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {
        record(kind(Status.fromThrowable(t), t));
      }

      @Override
      public void onCompleted() {
        record(OK);
      }
    };
  }

  private static String kind(Status status, Throwable t) {
    if (!(t instanceof io.grpc.StatusRuntimeException e)) {
      return status.getCode().toString();
    }
    var details = StatusProto.fromThrowable(e);
    boolean retry = details != null && details.getDetailsList().stream().anyMatch(d -> d.is(RetryInfo.class));
    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && reason(e).equals(OVERLOADED) && retry) {
      return OVERLOADED;
    }
    return status.getCode() + " " + reason(e);
  }

  private void record(String kind) {
    byKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    pending.countDown();
  }

  boolean await(long seconds) throws InterruptedException {
    return pending.await(seconds, TimeUnit.SECONDS);
  }

  long unanswered() {
    return pending.getCount();
  }

  long count(String kind) {
    AtomicLong n = byKind.get(kind);
    return n == null ? 0 : n.get();
  }

  Map<String, Long> byKind() {
    var out = new TreeMap<String, Long>();
    byKind.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  @Override
  public String toString() {
    return byKind().toString();
  }
}
