package dev.distribank.node.peer;

import static dev.distribank.node.peer.Eventually.peer;
import static dev.distribank.proto.bank.v1.PeerState.PEER_STATE_DOWN;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Clients;
import dev.distribank.node.tls.TlsFiles;
import dev.distribank.pki.Consortium;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link is up only once its stream has been ready: a bank whose port accepts connections and then never answers
 * (no TLS handshake, no HTTP/2) is not shown linked, however long alpha's dialled stream waits for it.
 */
class LinkUpTest {
  @TempDir Path dir;

  @Test
  void peerThatAcceptsButNeverAnswers_isNotLinked() throws Exception {
    Path pki = dir.resolve("pki");
    Consortium.init(pki, List.of("alpha", "beta"), Map.of(), Duration.ofDays(1));
    var held = new CopyOnWriteArrayList<Socket>();
    try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofPlatform().daemon().start(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // and never read or write
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      // alpha dials beta (its id sorts first); beta's address is the silent port.
      var config = NodeConfig.forTest("alpha", dir.resolve("alpha")).withPeers(Map.of("alpha", "127.0.0.1:0",
          "beta", "127.0.0.1:" + silent.getLocalPort()), TlsFiles.inDirectory(pki, "alpha"));
      try (var alpha = BankNode.start(config); var clients = new Clients(alpha.port(), pki.resolve("ca.pem"))) {
        Eventually.until(20, "alpha's health watch calls the silent beta down",
            () -> peer(clients, "beta").getState() == PEER_STATE_DOWN);
        assertFalse(peer(clients, "beta").getLinked(), "a stream that was never ready is no link");
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
