package dev.distribank.node.metrics;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.bank.v1.StreamTransactionsResponse;
import dev.distribank.proto.bank.v1.SubmitTransactionsResponse;
import dev.distribank.proto.bank.v1.TransactionResult;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.List;

/**
 * Counts, on the clients' port, how calls end, as the bank's metrics need it: a sign-in refused UNAUTHENTICATED is a
 * login failure; a call refused RESOURCE_EXHAUSTED, or a transaction of a batch or stream answered so in its place,
 * is a refusal for load, by its ErrorInfo reason. It only looks: every call goes on unchanged.
 */
final class CallOutcomes implements ServerInterceptor {
  private static final String LOGIN = BankServiceGrpc.getLoginMethod().getFullMethodName();
  private static final String SUBMIT = BankServiceGrpc.getSubmitTransactionsMethod().getFullMethodName();
  private static final String STREAM = BankServiceGrpc.getStreamTransactionsMethod().getFullMethodName();

  private final BankInstruments instruments;

  CallOutcomes(BankInstruments instruments) {
    this.instruments = instruments;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    boolean login = method.equals(LOGIN);
    boolean batched = method.equals(SUBMIT) || method.equals(STREAM);
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(A message) {
        if (batched) {
          countBatched(message);
        }
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        if (login && status.getCode() == Status.Code.UNAUTHENTICATED) {
          instruments.loginFailed();
        } else if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          var details = StatusProto.fromStatusAndTrailers(status, trailers);
          instruments.refused(errorReason(details.getDetailsList()));
        }
        super.close(status, trailers);
      }
    }, headers);
  }

  private void countBatched(Object message) {
    List<TransactionResult> results = message instanceof SubmitTransactionsResponse r ? r.getResultsList()
        : message instanceof StreamTransactionsResponse r ? List.of(r.getResult()) : List.of();
    for (TransactionResult result : results) {
      if (result.hasError() && result.getError().getCode() == Code.RESOURCE_EXHAUSTED_VALUE) {
        instruments.refused(errorReason(result.getError().getDetailsList()));
      }
    }
  }

  /** The ErrorInfo reason among {@code details}, or "" when there is none. */
  private static String errorReason(List<Any> details) {
    for (Any detail : details) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (InvalidProtocolBufferException e) {
          return "";
        }
      }
    }
    return "";
  }
}
