package dev.distribank.node.peer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.Clients;
import dev.distribank.proto.bank.v1.GetClusterStatusRequest;
import dev.distribank.proto.bank.v1.PeerStatus;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting, with a deadline, for what a real cluster does in its own time (a health probe, a re-dial). */
final class Eventually {
  private Eventually() {}

  /** Returns once {@code condition} holds; fails the test naming {@code what} after {@code seconds}. */
  static void until(long seconds, String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out after " + seconds + " s waiting until " + what);
      Thread.sleep(20);
    }
  }

  /** What the bank behind {@code at} says of {@code bank}: health-watch state and whether it is linked. */
  static PeerStatus peer(Clients at, String bank) {
    return at.admin("test-admin-token").getClusterStatus(GetClusterStatusRequest.getDefaultInstance())
        .getBanksList().stream().filter(b -> b.getBank().equals(bank)).findFirst().orElseThrow();
  }
}
