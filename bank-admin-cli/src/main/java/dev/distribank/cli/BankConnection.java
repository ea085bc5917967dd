package dev.distribank.cli;

import dev.distribank.proto.bank.v1.AdminServiceGrpc;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/**
 * One plaintext channel to one bank node, and the stubs commands call on it with the caller's token and deadline
 * attached. A command opens one per run and closes it when done.
 */
final class BankConnection implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final long SHUTDOWN_GRACE_SECONDS = 5;

  private final ManagedChannel channel;
  private final String token;
  private final long timeoutSeconds;

  private BankConnection(ManagedChannel channel, String token, long timeoutSeconds) {
    this.channel = channel;
    this.token = token;
    this.timeoutSeconds = timeoutSeconds;
  }

  /**
   * Opens a channel to {@code target} ("host:port" or any gRPC target string).
   *
   * @param token the bearer token to send, or "" to send none
   */
  static BankConnection open(String target, String token, long timeoutSeconds) {
    // Plaintext: nodes serve loopback or a private network; TLS belongs to the deployment's proxy, not this tool.
    ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    return new BankConnection(channel, token, timeoutSeconds);
  }

  BankServiceGrpc.BankServiceBlockingStub bank() {
    return prepare(BankServiceGrpc.newBlockingStub(channel));
  }

  AdminServiceGrpc.AdminServiceBlockingStub admin() {
    return prepare(AdminServiceGrpc.newBlockingStub(channel));
  }

  HealthGrpc.HealthBlockingStub health() {
    return prepare(HealthGrpc.newBlockingStub(channel));
  }

  /** A stub whose calls carry the token and a deadline that starts now, so each call gets the whole timeout. */
  private <S extends AbstractStub<S>> S prepare(S stub) {
    S ready = stub.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    if (token.isEmpty()) {
      return ready;
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    return ready.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Override
  public void close() {
    // Let calls in flight finish (there are none once a command has its answer), then stop hard if they do not.
    channel.shutdown();
    try {
      if (!channel.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
        channel.shutdownNow();
        channel.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      // Interrupted while waiting: cancel what is left and keep the interrupt for the caller.
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
