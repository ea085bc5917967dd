package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.LocalCluster;
import dev.distribank.node.testing.NodeProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer link whose other end stops answering while its TCP connection stays up — here beta frozen with SIGSTOP: its
 * kernel still acknowledges every segment, as a half-dead middlebox or a silently cut link that TCP has not given up
 * on looks — is noticed by alpha's keepalive pings and closed, to be dialled again, rather than left waiting on a
 * stream that will never answer. Idle links meanwhile stay up: beta's peer port accepts pings every 10 s rather than
 * hanging up on them as too many (gRPC's default allows one in 5 minutes). With --peer-keepalive-seconds 0 the same
 * frozen peer's link is never closed, which is what the pings change.
 */
class PeerKeepaliveTest {
  private static final String ADMIN_TOKEN = "peer-keepalive-admin-token";
  @TempDir Path dir;

  @Test
  void frozenPeer_linkClosedByTheUnansweredPing_idleLinksStayUp_andItComesBackOnThaw() throws Exception {
    try (var pair = new Pair("on", "10")) {
      // Idle for over two ping intervals: pings answered, nothing hung up.
      Thread.sleep(25_000);
      assertFalse(pair.alpha.output().contains("link to beta is down"), pair.alpha.output());
      assertFalse(pair.beta.output().contains("link to alpha is down"), pair.beta.output());

      pair.signal("STOP");
      long frozen = System.nanoTime();
      assertTrue(pair.alpha.awaitOutput("link to beta is down", 30), "alpha notices within a ping and its timeout:\n"
          + pair.alpha.output());
      long noticedMillis = (System.nanoTime() - frozen) / 1_000_000;
      pair.signal("CONT");
      assertTrue(awaitCount(pair.alpha, "link to beta is up", 2, 30), "and the link comes back:\n"
          + pair.alpha.output());
      System.out.printf("peer keepalive: a frozen peer's link closed %d ms after the freeze; back after the thaw%n",
          noticedMillis);
    }
  }

  @Test
  void withoutPings_aFrozenPeersLinkStaysOpen() throws Exception {
    try (var pair = new Pair("off", "0")) {
      pair.signal("STOP");
      Thread.sleep(25_000);
      String output = pair.alpha.output();
      pair.signal("CONT");
      assertFalse(output.contains("link to beta is down"), "nothing closes it: " + output);
    }
  }

  private static boolean awaitCount(NodeProcess node, String text, int times, long seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (System.nanoTime() < deadline) {
      if (node.output().split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** alpha and beta, real processes, each waiting until its link to the other is up. */
  private final class Pair implements AutoCloseable {
    final NodeProcess alpha;
    final NodeProcess beta;

    Pair(String run, String keepaliveSeconds) throws Exception {
      Path pki = dir.resolve("pki-" + run);
      dev.distribank.pki.Consortium.init(pki, List.of("alpha", "beta"), Map.of(), Duration.ofDays(1));
      int[] ports = {LocalCluster.freePort(), LocalCluster.freePort(), LocalCluster.freePort(),
          LocalCluster.freePort()};
      String peers = "alpha=127.0.0.1:" + ports[1] + ",beta=127.0.0.1:" + ports[3];
      alpha = start("alpha", ports[0], peers, pki, run, keepaliveSeconds);
      beta = start("beta", ports[2], peers, pki, run, keepaliveSeconds);
      assertTrue(alpha.awaitOutput("link to beta is up", 60), alpha.output());
      assertTrue(beta.awaitOutput("link to alpha is up", 60), beta.output());
    }

    private NodeProcess start(String bank, int port, String peers, Path pki, String run, String keepalive)
        throws IOException {
      return NodeProcess.start(List.of("--bank", bank, "--listen", "127.0.0.1:" + port, "--data-dir",
          dir.resolve(run + "-" + bank).toString(), "--admin-token", ADMIN_TOKEN, "--pki-dir", pki.toString(),
          "--peers", peers, "--peer-keepalive-seconds", keepalive), dir.resolve(run + "-" + bank + ".log"));
    }

    void signal(String name) throws IOException, InterruptedException {
      assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(beta.pid())).start().waitFor());
    }

    @Override
    public void close() throws Exception {
      signal("CONT");
      alpha.close();
      beta.close();
    }
  }
}
