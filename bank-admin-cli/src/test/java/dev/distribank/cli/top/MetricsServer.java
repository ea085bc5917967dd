package dev.distribank.cli.top;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a bank's {@code /metrics} on a loopback port: answers its n-th request with the n-th body given (the
 * last one again after that), with a status and an optional delay, as a real node or a broken one would.
 */
final class MetricsServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  private MetricsServer(int status, long delayMillis, List<byte[]> bodies) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // A thread per exchange: an answer held back must not hold back the next request.
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/trickle", exchange -> {
      // Headers at once, then a valid line every 100 ms for a minute: a body that never seems to end.
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 600; i++) {
          out.write(("distribank_lamport_clock " + i + "\n").getBytes());
          out.flush();
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException e) {
        // The client gave up, as it should.
      }
    });
    server.createContext("/metrics", exchange -> {
      int n = requests.getAndIncrement();
      byte[] body = bodies.get(Math.min(n, bodies.size() - 1));
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      } catch (IOException e) {
        // The client gave up (a test of a slow or huge answer): nothing to do.
      }
    });
    server.start();
  }

  /** Answers 200 with {@code bodies} in turn. */
  static MetricsServer serving(String... bodies) throws IOException {
    return new MetricsServer(200, 0, List.of(bodies).stream().map(String::getBytes).toList());
  }

  static MetricsServer serving(int status, long delayMillis, byte[] body) throws IOException {
    return new MetricsServer(status, delayMillis, List.of(body));
  }

  /** "alpha=127.0.0.1:PORT", for --metrics. */
  String spec(String bank) {
    return bank + "=127.0.0.1:" + server.getAddress().getPort();
  }

  /** "bank=http://127.0.0.1:PORT/trickle": an endpoint whose answer never ends. */
  String trickleSpec(String bank) {
    return bank + "=http://127.0.0.1:" + server.getAddress().getPort() + "/trickle";
  }

  int requests() {
    return requests.get();
  }

  /** A loopback port nothing listens on (it was free a moment ago). */
  static int deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
