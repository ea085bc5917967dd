package dev.distribank.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.testing.Scrape;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --metrics-listen: off by default; a port in use stops the start with a clear error and leaves nothing open. */
class MetricsPortTest {
  @TempDir Path dir;

  @Test
  void noMetricsListen_noPort() throws Exception {
    try (var node = BankNode.start(NodeConfig.forTest("alpha", dir.resolve("alpha")))) {
      assertEquals(-1, node.metricsPort());
    }
  }

  @Test
  void portInUse_startFailsNamingTheOptionAndAddress_thenTheSameDataStartsElsewhere() throws Exception {
    try (var taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      String address = "127.0.0.1:" + taken.getLocalPort();
      var config = NodeConfig.forTest("alpha", dir.resolve("alpha")).withMetricsListen(address);

      var e = assertThrows(IOException.class, () -> BankNode.start(config));

      assertTrue(e.getMessage().contains("cannot serve metrics on " + address + " (--metrics-listen)"),
          e.getMessage());
      // Nothing was left open: the store (RocksDB's lock) and the ports are free for the next start.
      try (var node = BankNode.start(config.withMetricsListen("127.0.0.1:0"))) {
        assertTrue(Scrape.of(node.metricsPort()).has("distribank_lamport_clock{bank=\"alpha\"}"));
      }
    }
  }
}
