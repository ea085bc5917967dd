package dev.distribank.node.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Lifts who is calling into the call's {@link Context}: the {@code authorization: Bearer <token>} metadata, and the
 * client's network address (its host, not its port), which sign-in throttling counts failures by.
 */
public final class Caller implements ServerInterceptor {
  static final Context.Key<String> TOKEN = Context.key("bearer-token");
  static final Context.Key<String> ADDRESS = Context.key("client-address");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String PREFIX = "bearer ";

  /** The current call's token, or "" when it sent none. Read it on the gRPC thread: the loop has no Context. */
  public static String token() {
    String t = TOKEN.get();
    return t == null ? "" : t;
  }

  /** The current call's client host ("unknown" in-process). */
  public static String address() {
    String a = ADDRESS.get();
    return a == null ? "unknown" : a;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    String value = headers.get(AUTHORIZATION);
    String token = value != null && value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        ? value.substring(PREFIX.length()).trim() : "";
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String address = remote instanceof InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    return Contexts.interceptCall(Context.current().withValue(TOKEN, token).withValue(ADDRESS, address), call,
        headers, next);
  }
}
