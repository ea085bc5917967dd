package dev.distribank.cli;

import static com.google.common.base.Preconditions.checkArgument;

import dev.distribank.proto.bank.v1.AdminServiceGrpc;
import dev.distribank.proto.bank.v1.BankServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthGrpc;
import java.util.List;
import java.util.Map;

/**
 * Which calls a connection repeats when they fail with UNAVAILABLE, and how many times, as the gRPC service config its
 * channel carries (gRFC A6, as grpc-java's retrying example configures it): gRPC then repeats such a call itself, after
 * a jittered exponential backoff, all attempts within the call's one deadline.
 *
 * <p>UNAVAILABLE does not say whether the bank acted on the request (a connection can drop after the request arrived,
 * and a bank refusing for a peer that is down answers UNAVAILABLE too), and gRPC cannot read the bank's reason. So only
 * calls a repeat cannot apply twice are repeated: reads, and the money movements, whose {@code request_id} the bank
 * answers a second time with the first outcome (AIP-155; every command and the load generator send one, for each
 * transaction of a batch too). Not sign-up, login, opening an account, adding or removing a PIX key, holder or
 * employee, or revoking a consent: a repeat would make a second one, or refuse the first as already done. Nor, by
 * default, granting a consent: a repeat replaces the first grant with a fresh one, whose total limit starts again from
 * nothing.
 *
 * @param maxAttempts the most times one call is sent, the first included; 1 repeats nothing
 * @param methods the calls repeated
 */
public record RetryPolicy(int maxAttempts, List<MethodDescriptor<?, ?>> methods) {
  /** The calls a repeat cannot apply twice: the reads, and the money movements, which carry a request id. */
  public static final List<MethodDescriptor<?, ?>> REPEATABLE = List.of(
      BankServiceGrpc.getGetAccountMethod(), BankServiceGrpc.getListAccountsMethod(),
      BankServiceGrpc.getListPixKeysMethod(), BankServiceGrpc.getGetBalanceMethod(),
      BankServiceGrpc.getGetStatementMethod(), BankServiceGrpc.getListConsentsMethod(),
      AdminServiceGrpc.getListCustomersMethod(), AdminServiceGrpc.getListOperationsMethod(),
      AdminServiceGrpc.getAuditMethod(), AdminServiceGrpc.getGetClusterStatusMethod(), HealthGrpc.getCheckMethod(),
      BankServiceGrpc.getDepositMethod(), BankServiceGrpc.getWithdrawMethod(), BankServiceGrpc.getTransferMethod(),
      BankServiceGrpc.getSubmitTransactionsMethod());

  /** What a command's connection does: repeat {@link #REPEATABLE} calls, each sent at most 4 times. */
  public static final RetryPolicy STANDARD = new RetryPolicy(4, REPEATABLE);

  // The first repeat waits up to 50 ms, each next one up to twice as long, none more than a second: a lost connection
  // or a node restarting its listener is usually over by then, and a person at the terminal is not kept waiting.
  private static final String INITIAL_BACKOFF = "0.05s";
  private static final String MAX_BACKOFF = "1s";
  private static final double BACKOFF_MULTIPLIER = 2;

  public RetryPolicy {
    checkArgument(maxAttempts >= 1, "maxAttempts %s is less than 1", maxAttempts);
    methods = List.copyOf(methods);
  }

  /**
   * The service config, as the JSON object {@code ManagedChannelBuilder.defaultServiceConfig} takes: numbers are
   * doubles, durations strings. Only meaningful when {@link #maxAttempts} is 2 or more.
   */
  Map<String, ?> serviceConfig() {
    checkArgument(maxAttempts >= 2, "a retry policy repeats a call at least once, not %s attempts", maxAttempts);
    List<Map<String, String>> names = methods.stream().map(m -> Map.of(
        "service", m.getServiceName(), "method", m.getBareMethodName())).toList();
    Map<String, Object> retryPolicy = Map.of(
        "maxAttempts", (double) maxAttempts,
        "initialBackoff", INITIAL_BACKOFF,
        "maxBackoff", MAX_BACKOFF,
        "backoffMultiplier", BACKOFF_MULTIPLIER,
        "retryableStatusCodes", List.of("UNAVAILABLE"));
    return Map.of("methodConfig", List.of(Map.of("name", names, "retryPolicy", retryPolicy)));
  }
}
