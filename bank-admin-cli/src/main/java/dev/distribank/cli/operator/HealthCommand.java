package dev.distribank.cli.operator;

import dev.distribank.cli.GlobalOptions;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bank-admin health}: asks a node's standard gRPC health service whether it serves. */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = {"Print the node's health: SERVING, or NOT_SERVING while it recovers or drains.",
        "Asks the standard grpc.health.v1 service about the whole server. Exits 0 only when SERVING, so scripts"
            + " can wait for a node with: until bank-admin health; do sleep 1; done"})
public final class HealthCommand implements Callable<Integer> {
  @Mixin
  private GlobalOptions global;

  @Override
  public Integer call() {
    // The empty service name asks about the server as a whole.
    HealthCheckResponse response =
        global.call(bank -> bank.health().check(HealthCheckRequest.newBuilder().setService("").build()));
    global.print(response, out -> out.println(response.getStatus()));
    return response.getStatus() == ServingStatus.SERVING ? 0 : 1;
  }
}
