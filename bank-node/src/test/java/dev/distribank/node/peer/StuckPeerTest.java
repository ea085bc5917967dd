package dev.distribank.node.peer;

import static dev.distribank.node.peer.Eventually.peer;
import static dev.distribank.proto.bank.v1.PeerState.PEER_STATE_DOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Cpfs;
import dev.distribank.node.testing.LocalCluster;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.PeerState;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes, and alpha replaced by a bank that is up but stops reading its stream to beta. Beta keeps
 * proposing to it (its health says SERVING); beta's queue for it stays within its bound and the rest is dropped and
 * counted; beta stays SERVING and keeps trading with gamma, every cent accounted for; once the stuck bank is gone
 * beta's transactions with it are refused clearly, and when the real alpha returns the two trade again.
 */
class StuckPeerTest {
  static final String ADMIN = "test-admin-token";
  /**
   * Transactions of 64 legs (~1.2 KiB proposals) for the stuck bank: re-sent every second, they fill its stream's
   * window and then beta's queue for it within a few rounds.
   */
  static final int STUCK_TRANSFERS = 3_000;
  static final long DEPOSIT = 1_000_000;
  @TempDir Path dir;

  @Test
  void peerStopsReading_queueForItStaysBounded_othersTrade_thenItRecovers() throws Exception {
    try (var cluster = new LocalCluster(dir, List.of("alpha", "beta", "gamma"))) {
      var ana = new Holder("ana", Cpfs.cpf(31), cluster::at);
      var bia = new Holder("bia", Cpfs.cpf(32), cluster::at);
      cluster.banks().forEach(ana::join);
      bia.join("beta").join("gamma");
      ana.deposit("beta", DEPOSIT);
      bia.deposit("beta", DEPOSIT);
      bia.deposit("gamma", DEPOSIT);

      cluster.stop("alpha");
      Eventually.until(20, "beta sees alpha down",
          () -> peer(cluster.at("beta"), "alpha").getState() == PEER_STATE_DOWN);
      var stuck = new StuckPeer(cluster.pki(), "alpha", NodeConfig.socket(cluster.config("alpha").peerListen()),
          cluster.node("beta").peerPort());
      Eventually.until(20, "beta sees the stuck alpha up and linked", () -> {
        var alpha = peer(cluster.at("beta"), "alpha");
        return alpha.getState() == PeerState.PEER_STATE_UP && alpha.getLinked();
      });

      // Coordinated by beta with alpha the only participant: beta must send each to alpha, and nothing at beta or
      // gamma waits on them (a participant applies in timestamp order, so its own votes would).
      var toStuck = new Answers(STUCK_TRANSFERS);
      var request = ana.deposits("alpha", 1, 64);
      for (int i = 0; i < STUCK_TRANSFERS; i++) {
        ana.async("beta").transfer(request, toStuck.observer());
      }
      var trade = new Trade(bia);
      trade.start();
      PeerLinks links = cluster.node("beta").peerLinks();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      // Until two of the core's one-second re-send rounds have been dropped whole: the bound holds round after round.
      while (links.outbound("alpha").dropped() < 2 * STUCK_TRANSFERS || trade.committed.get() < 20) {
        assertTrue(System.nanoTime() < deadline, "beta never dropped for the stuck alpha while trading with "
            + "gamma: " + links.outbound("alpha") + ", " + trade.committed + " committed, " + trade.failure);
        Thread.sleep(20);
      }
      trade.stop();
      var queue = links.outbound("alpha");
      System.out.println("stuck peer: beta's queue for alpha " + queue + "; " + trade.committed
          + " beta<->gamma transfers committed meanwhile");

      assertTrue(queue.peakQueuedBytes() < OutboundQueue.MAX_BYTES + OutboundQueue.FRAME_BYTES,
          "the bound, passed by at most the one message that crossed it: " + queue);
      assertTrue(queue.peakQueuedBytes() > OutboundQueue.MAX_BYTES / 2, "the queue filled before dropping: "
          + queue);
      assertEquals(0, stuck.received(), "the stuck bank read nothing");
      assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(cluster.at("beta").channel())
          .check(HealthCheckRequest.getDefaultInstance()).getStatus());
      assertEquals(null, trade.failure.get(), "every beta<->gamma transfer committed");
      // A transfer is answered once both banks applied it, or after a grace period if one is slow (DESIGN §4.3).
      Eventually.until(20, "beta<->gamma money is conserved", () -> bia.balance("beta").getBalanceCents()
          + bia.balance("gamma").getBalanceCents() == 2 * DEPOSIT);

      stuck.close();
      Eventually.until(20, "beta sees the stuck alpha gone",
          () -> peer(cluster.at("beta"), "alpha").getState() == PEER_STATE_DOWN);
      assertTrue(toStuck.await(30), toStuck.unanswered() + " transfers to the stuck alpha never answered");
      assertEquals(STUCK_TRANSFERS, toStuck.count("UNAVAILABLE BANK_UNAVAILABLE")
          + toStuck.count("UNAVAILABLE TIMED_OUT"), "each refused, naming why: " + toStuck);
      assertEquals(0, links.outbound("alpha").queuedMessages(), "nothing waits for a link that is down");

      cluster.start("alpha");
      cluster.awaitAllUp();
      Eventually.until(20, "beta links the real alpha again", () -> peer(cluster.at("beta"), "alpha").getLinked());
      ana.at("beta").transfer(ana.transfer("beta", "alpha", 100, 1));
      ana.at("alpha").transfer(ana.transfer("alpha", "beta", 40, 1));
      assertEquals(60, ana.balance("alpha").getBalanceCents(), "none of the refused deposits applied");
      assertEquals(DEPOSIT - 60, ana.balance("beta").getBalanceCents());
      var audit = cluster.at("gamma").admin(ADMIN).audit(AuditRequest.getDefaultInstance());
      assertTrue(audit.getBalanced() && audit.getNoNegativeBalance(), audit.toString());
    }
  }

  /** 1-cent transfers between bia's accounts at beta and gamma, one after another, each way in turn. */
  static final class Trade {
    final AtomicLong committed = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Holder bia;
    private final Thread thread;
    private volatile boolean running = true;

    Trade(Holder bia) {
      this.bia = bia;
      this.thread = Thread.ofPlatform().name("trade").unstarted(this::run);
    }

    void start() {
      thread.start();
    }

    private void run() {
      for (long i = 0; running; i++) {
        String from = i % 2 == 0 ? "beta" : "gamma";
        String to = i % 2 == 0 ? "gamma" : "beta";
        try {
          bia.at(from).transfer(bia.transfer(from, to, 1, 1));
          committed.incrementAndGet();
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
          return;
        }
      }
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(TimeUnit.SECONDS.toMillis(40));
    }
  }
}
