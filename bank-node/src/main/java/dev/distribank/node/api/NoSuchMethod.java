package dev.distribank.node.api;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Text;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * What a port answers for a method it does not serve: UNIMPLEMENTED with an ErrorInfo {@code NO_SUCH_METHOD}, like
 * every other refusal, instead of grpc-java's bare status; PeerService's methods on the public port say where they are.
 */
public final class NoSuchMethod extends HandlerRegistry {
  private static final String PEER_SERVICE = "bank.peer.v1.PeerService/";
  /** Bytes never read: a call to a method that is not served is closed at once (also {@code OutOfService}'s). */
  public static final MethodDescriptor.Marshaller<InputStream> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(InputStream value) {
      return value;
    }

    @Override
    public InputStream parse(InputStream stream) {
      return new ByteArrayInputStream(new byte[0]); // never read: the call is closed at once
    }
  };

  @Override
  public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
    var method = MethodDescriptor.newBuilder(BYTES, BYTES).setType(MethodDescriptor.MethodType.UNKNOWN)
        .setFullMethodName(methodName).build();
    String message = methodName.startsWith(PEER_SERVICE)
        ? "PeerService is served only on the peer port, to the consortium's banks over mutual TLS"
        : "no method '" + Text.quote(methodName) + "' here";
    ServerCallHandler<InputStream, InputStream> refuse = new ServerCallHandler<>() {
      @Override
      public ServerCall.Listener<InputStream> startCall(ServerCall<InputStream, InputStream> call, Metadata headers) {
        var status = Errors.toStatus(Rejection.of(Reason.NO_SUCH_METHOD, "", message));
        call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
        return new ServerCall.Listener<>() {};
      }
    };
    return ServerMethodDefinition.create(method, refuse);
  }
}
