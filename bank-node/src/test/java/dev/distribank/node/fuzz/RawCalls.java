package dev.distribank.node.fuzz;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import com.google.protobuf.Descriptors;
import dev.distribank.node.testing.Clients;
import dev.distribank.proto.bank.v1.AdminServiceGrpc;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import dev.distribank.proto.peer.v1.PeerServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Calls any method of BankService, AdminService and PeerService with bytes of our choosing, not the generated stubs'
 * messages: the request goes on the wire exactly as given, and the answer comes back as a status and its trailers.
 */
final class RawCalls {
  /** Long enough for a loaded 2-core machine; a node that takes longer has stopped answering. */
  static final long DEADLINE_MILLIS = 10_000;

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  /** Every method of the three services as generated (for its type and its parser), by full name. */
  private static final Map<String, MethodDescriptor<?, ?>> GENERATED = new TreeMap<>();
  /** The same methods with bytes in and bytes out. */
  private static final Map<String, MethodDescriptor<byte[], byte[]>> RAW = new TreeMap<>();

  static {
    for (ServiceDescriptor service : List.of(BankServiceGrpc.getServiceDescriptor(),
        AdminServiceGrpc.getServiceDescriptor(), PeerServiceGrpc.getServiceDescriptor())) {
      for (MethodDescriptor<?, ?> m : service.getMethods()) {
        GENERATED.put(m.getFullMethodName(), m);
        RAW.put(m.getFullMethodName(), MethodDescriptor.newBuilder(BYTES, BYTES)
            .setFullMethodName(m.getFullMethodName()).setType(m.getType()).build());
      }
    }
  }

  /** The full names of every unary method, e.g. {@code bank.v1.BankService/Transfer}. */
  static final List<String> UNARY = GENERATED.values().stream()
      .filter(m -> m.getType() == MethodDescriptor.MethodType.UNARY).map(MethodDescriptor::getFullMethodName)
      .toList();

  /** The peer protocol stream, the one streaming method. */
  static final String EXCHANGE = PeerServiceGrpc.getExchangeMethod().getFullMethodName();

  private RawCalls() {}

  /** The request message type of {@code method}. */
  static Descriptors.Descriptor requestType(String method) {
    var schema = (ProtoMethodDescriptorSupplier) GENERATED.get(method).getSchemaDescriptor();
    return schema.getMethodDescriptor().getInputType();
  }

  /** Whether the generated parser, the one the server wraps, reads {@code body} as the method's request. */
  static boolean parses(String method, byte[] body) {
    try {
      GENERATED.get(method).parseRequest(new ByteArrayInputStream(body));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** What a call came back with: {@code OK}, or the refusal and the trailers that carry its details. */
  record Answer(Status status, Metadata trailers) {}

  /** Sends {@code body} to {@code method}, with {@code authorization: Bearer <token>} unless the token is empty. */
  static Answer call(Channel channel, String method, String token, byte[] body) {
    MethodDescriptor<byte[], byte[]> raw = RAW.get(method);
    Channel ch = withToken(channel, token);
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MILLIS, MILLISECONDS);
    try {
      if (raw.getType() == MethodDescriptor.MethodType.UNARY) {
        ClientCalls.blockingUnaryCall(ch, raw, options, body);
        return new Answer(Status.OK, new Metadata());
      }
      return stream(ch, raw, options, body);
    } catch (StatusRuntimeException e) {
      return new Answer(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
    }
  }

  /** Like {@link #call} for a unary method, without waiting for the answer: to send many requests at once. */
  static CompletableFuture<Answer> callAsync(Channel channel, String method, String token, byte[] body) {
    var answer = new CompletableFuture<Answer>();
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MILLIS, MILLISECONDS);
    ClientCalls.asyncUnaryCall(withToken(channel, token).newCall(RAW.get(method), options), body, ending(answer));
    return answer;
  }

  private static Channel withToken(Channel channel, String token) {
    return token.isEmpty() ? channel
        : ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(Clients.bearer(token)));
  }

  /** An observer that completes {@code answer} when the server ends the call, ignoring what it sends before. */
  private static StreamObserver<byte[]> ending(CompletableFuture<Answer> answer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {}

      @Override
      public void onError(Throwable t) {
        Metadata trailers = Status.trailersFromThrowable(t);
        answer.complete(new Answer(Status.fromThrowable(t), trailers == null ? new Metadata() : trailers));
      }

      @Override
      public void onCompleted() {
        answer.complete(new Answer(Status.OK, new Metadata()));
      }
    };
  }

  /** Opens the stream, sends one message, half-closes, and waits for the server to end the call. */
  private static Answer stream(Channel ch, MethodDescriptor<byte[], byte[]> raw, CallOptions options, byte[] body) {
    var ended = new CompletableFuture<Answer>();
    StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(ch.newCall(raw, options), ending(ended));
    requests.onNext(body);
    requests.onCompleted();
    try {
      return ended.get(DEADLINE_MILLIS + 5_000, MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return new Answer(Status.DEADLINE_EXCEEDED.withDescription("the stream did not end: " + e), new Metadata());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(Status.CANCELLED.withDescription("interrupted"), new Metadata());
    }
  }
}
