package dev.distribank.cli.load;

import dev.distribank.cli.RetryPolicy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * Makes a call again, the same request, when its deadline passed: its outcome is unknown, and the bank answers a
 * repeated request id with the first outcome (AIP-155), so asking again learns it without applying it twice.
 *
 * <p>This is the one repeat the channels' {@link RetryPolicy} cannot make: gRPC sends every attempt of a call within
 * that call's one deadline, and never repeats a call whose deadline has passed, so only a new call, with a deadline of
 * its own, can ask again. It does not wait before asking: the deadline already did.
 */
final class DeadlineRepeat {
  private DeadlineRepeat() {}

  /**
   * Makes {@code call}, and again up to {@code repeats} more times while it ends in DEADLINE_EXCEEDED and this thread
   * is not being stopped (interrupted).
   *
   * @param call makes one call; its stub must be made inside it, so that each call's deadline starts then
   * @param onRepeat run before each repeat
   */
  static <R> R call(int repeats, Runnable onRepeat, Supplier<R> call) {
    for (int repeat = 0; ; repeat++) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        if (repeat >= repeats || e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED
            || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        onRepeat.run();
      }
    }
  }
}
