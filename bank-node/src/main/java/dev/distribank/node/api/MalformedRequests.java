package dev.distribank.node.api;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.log.QuietLog;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Answers bytes that are not a method's request message — not a protobuf at all, or a string field that is not
 * UTF-8 — with {@code INVALID_ARGUMENT} and exactly one {@code ErrorInfo} (reason {@code MALFORMED_REQUEST}), and a
 * rate-limited one-line WARNING (DESIGN §5).
 *
 * <p>Left to grpc-java, a request that fails to parse throws out of the transport's listener: the client gets
 * {@code UNKNOWN} with no details and the server logs a SEVERE stack trace, for every call, before any
 * authentication. So each method's request marshaller is wrapped in one that never throws: it hands the handler
 * either the parsed message or a {@link Malformed} marker, and the marker closes the call here, before the service
 * sees anything. Responses are untouched.
 */
public final class MalformedRequests {
  private static final QuietLog LOG = new QuietLog(Logger.getLogger(MalformedRequests.class.getName()), 20);

  private MalformedRequests() {}

  /** What the lenient marshaller hands on when the bytes are not the request message. */
  private record Malformed(String why) {}

  /** The same service, with every method's requests parsed leniently. */
  public static ServerServiceDefinition guard(ServerServiceDefinition service) {
    var methods = new ArrayList<ServerMethodDefinition<?, ?>>();
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      methods.add(guard(m));
    }
    ServiceDescriptor original = service.getServiceDescriptor();
    var descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
    var out = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(out::addMethod);
    return out.build();
  }

  private static <Q, A> ServerMethodDefinition<Object, A> guard(ServerMethodDefinition<Q, A> definition) {
    MethodDescriptor<Q, A> original = definition.getMethodDescriptor();
    MethodDescriptor.Marshaller<Object> lenient = new MethodDescriptor.Marshaller<>() {
      @Override
      @SuppressWarnings("unchecked")
      public InputStream stream(Object value) {
        return original.streamRequest((Q) value);
      }

      @Override
      public Object parse(InputStream stream) {
        try {
          return original.parseRequest(stream);
        } catch (RuntimeException e) {
          return new Malformed(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
      }
    };
    MethodDescriptor<Object, A> wrapped = original.toBuilder(lenient, original.getResponseMarshaller()).build();
    return ServerMethodDefinition.create(wrapped, (call, headers) -> startCall(definition, call, headers));
  }

  @SuppressWarnings("unchecked")
  private static <Q, A> ServerCall.Listener<Object> startCall(ServerMethodDefinition<Q, A> definition,
      ServerCall<Object, A> call, Metadata headers) {
    var refused = new AtomicBoolean();
    // The service's view of the call: its own method descriptor, and silence once this guard has answered.
    ServerCall<Q, A> inner = new ForwardingServerCall.SimpleForwardingServerCall<>((ServerCall<Q, A>) (Object) call) {
      @Override
      public MethodDescriptor<Q, A> getMethodDescriptor() {
        return definition.getMethodDescriptor();
      }

      @Override
      public void sendHeaders(Metadata h) {
        if (!refused.get()) {
          super.sendHeaders(h);
        }
      }

      @Override
      public void sendMessage(A message) {
        if (!refused.get()) {
          super.sendMessage(message);
        }
      }

      @Override
      public void close(Status status, Metadata trailers) {
        if (!refused.get()) {
          super.close(status, trailers);
        }
      }

      @Override
      public boolean isCancelled() {
        return refused.get() || super.isCancelled();
      }
    };
    ServerCall.Listener<Q> listener = definition.getServerCallHandler().startCall(inner, headers);
    return new ServerCall.Listener<>() {
      @Override
      public void onMessage(Object message) {
        if (refused.get()) {
          return;
        }
        if (message instanceof Malformed bad) {
          refuse(call, bad);
          refused.set(true);
          listener.onCancel(); // the service stops whatever it started for this call
          return;
        }
        listener.onMessage((Q) message);
      }

      @Override
      public void onHalfClose() {
        if (!refused.get()) {
          listener.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        if (!refused.get()) {
          listener.onCancel();
        }
      }

      @Override
      public void onComplete() {
        if (!refused.get()) {
          listener.onComplete();
        }
      }

      @Override
      public void onReady() {
        if (!refused.get()) {
          listener.onReady();
        }
      }
    };
  }

  private static void refuse(ServerCall<?, ?> call, Malformed bad) {
    String method = call.getMethodDescriptor().getFullMethodName();
    LOG.warn("refused a malformed request to " + method + ": " + bad.why());
    StatusRuntimeException e = Errors.toStatus(Rejection.of(Reason.MALFORMED_REQUEST, "", "the bytes sent to "
        + method + " are not its request message (" + bad.why() + "); nothing was done").with("method", method));
    call.close(e.getStatus(), e.getTrailers());
  }
}
