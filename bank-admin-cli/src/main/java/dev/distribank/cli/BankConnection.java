package dev.distribank.cli;

import dev.distribank.proto.bank.v1.AdminServiceGrpc;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/**
 * One channel (TLS or plaintext) to one bank node, and the stubs commands call on it with the caller's token and
 * deadline attached. The channel repeats the calls its {@link RetryPolicy} names when they fail with UNAVAILABLE. A
 * command opens one per run and closes it when done.
 */
public final class BankConnection implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final long SHUTDOWN_GRACE_SECONDS = 5;
  /**
   * The largest answer taken: a full SubmitTransactions answer (8,190 results, refusals with their details) can pass
   * gRPC's default of 4 MiB.
   */
  private static final int MAX_ANSWER_BYTES = 32 << 20;

  private final ManagedChannel channel;
  private final String token;
  private final long timeoutSeconds;

  private BankConnection(ManagedChannel channel, String token, long timeoutSeconds) {
    this.channel = channel;
    this.token = token;
    this.timeoutSeconds = timeoutSeconds;
  }

  /**
   * Opens a channel to {@code target} ("host:port" or any gRPC target string) that repeats calls as {@code retries}
   * says.
   *
   * @param token the bearer token to send, or "" to send none
   */
  public static BankConnection open(String target, String token, long timeoutSeconds, ChannelCredentials credentials,
      RetryPolicy retries) {
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target, credentials)
        .maxInboundMessageSize(MAX_ANSWER_BYTES);
    if (retries.maxAttempts() < 2) {
      builder.disableRetry();
    } else {
      // Our config, never one a name resolver might publish; and as many attempts as it asks for, where gRPC would
      // otherwise cap them at 5.
      builder.disableServiceConfigLookUp().defaultServiceConfig(retries.serviceConfig()).enableRetry()
          .maxRetryAttempts(retries.maxAttempts());
    }
    return new BankConnection(builder.build(), token, timeoutSeconds);
  }

  /** BankService as the connection's token. */
  public BankServiceGrpc.BankServiceBlockingStub bank() {
    return bank(token);
  }

  /**
   * BankService as {@code bearer} rather than the connection's token: a load run holds one channel per bank and
   * calls it with the session token of that bank.
   */
  public BankServiceGrpc.BankServiceBlockingStub bank(String bearer) {
    return prepare(BankServiceGrpc.newBlockingStub(channel), bearer);
  }

  /**
   * BankService's future stub as {@code bearer}, with no deadline: a load client keeps one per bank for its whole
   * run, rather than a new stub and interceptor per call, and gives each call its own deadline.
   */
  public BankServiceGrpc.BankServiceFutureStub bankAsync(String bearer) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + bearer);
    return BankServiceGrpc.newFutureStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Each call's deadline, {@code --timeout-seconds}. */
  public long timeoutSeconds() {
    return timeoutSeconds;
  }

  /** AdminService as the connection's token. */
  public AdminServiceGrpc.AdminServiceBlockingStub admin() {
    return admin(token);
  }

  /** AdminService as {@code bearer} rather than the connection's token. */
  public AdminServiceGrpc.AdminServiceBlockingStub admin(String bearer) {
    return prepare(AdminServiceGrpc.newBlockingStub(channel), bearer);
  }

  /** The standard health service, as the connection's token. */
  public HealthGrpc.HealthBlockingStub health() {
    return prepare(HealthGrpc.newBlockingStub(channel), token);
  }

  /** A stub whose calls carry the token and a deadline that starts now, so each call gets the whole timeout. */
  private <S extends AbstractStub<S>> S prepare(S stub, String bearer) {
    S ready = stub.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    if (bearer.isEmpty()) {
      return ready;
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + bearer);
    return ready.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /**
   * Makes the next call reconnect at once if the channel is waiting out gRPC's reconnect backoff (which grows to two
   * minutes while a node is down): a load run sending again after a lost connection should find a node that is back.
   */
  public void resetConnectBackoff() {
    channel.resetConnectBackoff();
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
