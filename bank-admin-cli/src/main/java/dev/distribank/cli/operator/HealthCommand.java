package dev.distribank.cli.operator;

import dev.distribank.cli.GlobalOptions;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bank-admin health}: asks a node's standard gRPC health service whether it serves. */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = {"Print the node's health: SERVING, or NOT_SERVING while it recovers or drains.",
        "Asks the standard grpc.health.v1 service about the whole server. Exits 0 only when SERVING, so scripts"
            + " can wait for a node with: until bank-admin health; do sleep 1; done",
        "A node that stopped taking work for a reason of its own (its disk is full) says why on a second line;"
            + " on its plaintext health-only port and peer port, in full (where, how full)."})
public final class HealthCommand implements Callable<Integer> {
  /** The trailer in which a node says why it is NOT_SERVING (e.g. "DISK_FULL: ..."). */
  static final Metadata.Key<String> NOT_SERVING_REASON =
      Metadata.Key.of("distribank-not-serving", Metadata.ASCII_STRING_MARSHALLER);

  @Mixin
  private GlobalOptions global;

  @Override
  public Integer call() {
    var trailers = new AtomicReference<Metadata>();
    // The empty service name asks about the server as a whole.
    HealthCheckResponse response = global.call(bank -> bank.health()
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers))
        .check(HealthCheckRequest.newBuilder().setService("").build()));
    String why = trailers.get() == null ? null : trailers.get().get(NOT_SERVING_REASON);
    global.print(response, out -> {
      out.println(response.getStatus());
      if (why != null && response.getStatus() != ServingStatus.SERVING) {
        out.println("why: " + why);
      }
    });
    return response.getStatus() == ServingStatus.SERVING ? 0 : 1;
  }
}
