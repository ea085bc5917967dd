package dev.distribank.cli.load;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Tells a load run each time gRPC sends a call again under the channel's retry policy, so that the report's count of
 * retries includes the ones gRPC made: a client interceptor that hangs a stream tracer on each call, which sees every
 * attempt of it. Transparent retries (gRPC resending what provably never reached a server) are not counted.
 */
final class RetryCounter implements ClientInterceptor {
  private final ClientStreamTracer.Factory tracers;

  /** @param onRetry run once per repeated attempt, on a gRPC thread */
  RetryCounter(Runnable onRetry) {
    this.tracers = new ClientStreamTracer.Factory() {
      @Override
      public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
        if (info.getPreviousAttempts() > 0 && !info.isTransparentRetry()) {
          onRetry.run();
        }
        return new ClientStreamTracer() {};
      }
    };
  }

  @Override
  public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    return next.newCall(method, options.withStreamTracerFactory(tracers));
  }
}
