package dev.distribank.node.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Lifts {@code authorization: Bearer <token>} from request metadata into the call's {@link Context}. */
public final class BearerToken implements ServerInterceptor {
  static final Context.Key<String> TOKEN = Context.key("bearer-token");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String PREFIX = "bearer ";

  /** The current call's token, or "" when it sent none. */
  public static String current() {
    String t = TOKEN.get();
    return t == null ? "" : t;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    String value = headers.get(AUTHORIZATION);
    String token = value != null && value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        ? value.substring(PREFIX.length()).trim() : "";
    return Contexts.interceptCall(Context.current().withValue(TOKEN, token), call, headers, next);
  }
}
