package dev.distribank.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.BankNode;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.testing.Clients;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that never speak gRPC — an HTTP/1 request, a TLS hello to the plaintext port, random bytes — cost the
 * node nothing it keeps: it stays SERVING and logs no line (let alone a stack trace) per connection.
 */
class GarbageConnectionsTest {
  @TempDir Path dir;

  @Test
  void twoHundredGarbageConnections_nodeServes_logStaysQuiet() throws Exception {
    var logged = new AtomicInteger();
    Handler counter = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.INFO.intValue() && record.getLoggerName() != null
            && record.getLoggerName().startsWith("io.grpc")) {
          logged.incrementAndGet();
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(counter);
    try (BankNode node = BankNode.start(NodeConfig.forTest("alpha", dir));
        Clients clients = new Clients(node.port())) {
      var random = new Random(7);
      for (int i = 0; i < 200; i++) {
        byte[] bytes = switch (i % 3) {
          case 0 -> "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
          case 1 -> new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03};
          default -> {
            byte[] b = new byte[1 + random.nextInt(512)];
            random.nextBytes(b);
            yield b;
          }
        };
        try (var socket = new Socket("127.0.0.1", node.port())) {
          socket.getOutputStream().write(bytes);
          socket.getOutputStream().flush();
          socket.setSoTimeout(2_000);
          try {
            socket.getInputStream().read(new byte[256]);
          } catch (java.io.IOException closedOrSilent) {
            // the server closing (or ignoring) a connection that is not HTTP/2 is what should happen
          }
        }
      }

      assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(clients.channel())
          .check(HealthCheckRequest.getDefaultInstance()).getStatus());
      assertTrue(logged.get() < 5, logged.get() + " gRPC log lines for 200 garbage connections");
    } finally {
      root.removeHandler(counter);
    }
  }
}
