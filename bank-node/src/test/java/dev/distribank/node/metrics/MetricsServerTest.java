package dev.distribank.node.metrics;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The metrics port answers GET /metrics and turns everything else away, whatever a client sends. */
class MetricsServerTest {
  final AtomicInteger scrapes = new AtomicInteger();
  MetricsServer server;

  @BeforeEach
  void start() throws IOException {
    server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), () -> {
      scrapes.incrementAndGet();
      return "up 1\n";
    }, "alpha");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Sends {@code request} raw and returns all the server answers before it closes the connection. */
  String exchange(byte[] request) throws IOException {
    try (var socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException refusedMidway) {
        // the server answered and closed before reading all of it: what it answered is still there
      }
      return readAll(socket.getInputStream());
    }
  }

  static String readAll(InputStream in) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // a reset after the answer: keep what arrived
    }
    return out.toString(ISO_8859_1);
  }

  @Test
  void getMetrics_answersThePrometheusText() throws IOException {
    String answer = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n".getBytes(ISO_8859_1));

    assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
    assertTrue(answer.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), answer);
    assertTrue(answer.contains("Content-Length: 5\r\n"), answer);
    assertTrue(answer.endsWith("\r\n\r\nup 1\n"), answer);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      POST /metrics HTTP/1.1     | 405
      GET / HTTP/1.1             | 404
      GET /metrics/../x HTTP/1.1 | 404
      GET /metrics?x=1 HTTP/1.1  | 200
      GET /metrics               | 400
      GET  /metrics HTTP/1.1     | 400
      HELLO                      | 400
      GET /metrics SPDY/3        | 400
      """)
  void requestLine_answeredByItsStatus(String line, int status) throws IOException {
    String answer = exchange((line + "\r\n\r\n").getBytes(ISO_8859_1));
    assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
  }

  @Test
  void garbageBytes_badRequest_serverGoesOn() throws IOException {
    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);
    garbage[4094] = '\n';
    garbage[4095] = '\n';

    assertTrue(exchange(garbage).startsWith("HTTP/1.1 400 "));
    assertTrue(exchange("GET /metrics HTTP/1.0\n\n".getBytes(ISO_8859_1)).startsWith("HTTP/1.1 200 "));
  }

  @Test
  void hugeRequestLine_refusedAfterTheLimit_notBuffered() throws IOException {
    byte[] huge = ("GET /metrics?" + "a".repeat(1 << 20) + " HTTP/1.1\r\n\r\n").getBytes(ISO_8859_1);

    String answer = exchange(huge);

    assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
    assertEquals(0, scrapes.get());
  }

  @Test
  void manyIdleConnections_extraOnesClosed_scrapesServedOnceTheyGo() throws IOException {
    var idle = new ArrayList<Socket>();
    try {
      for (int i = 0; i < MetricsServer.MAX_CONNECTIONS + 40; i++) {
        idle.add(new Socket("127.0.0.1", server.port()));
      }
      // Past the limit a connection is closed at once: reading it ends without an answer.
      var last = idle.get(idle.size() - 1);
      last.setSoTimeout(5_000);
      assertEquals(-1, last.getInputStream().read());
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    String answer = "";
    while (System.nanoTime() < deadline && !answer.startsWith("HTTP/1.1 200 ")) {
      answer = exchange("GET /metrics HTTP/1.1\r\n\r\n".getBytes(ISO_8859_1));
    }
    assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
  }

  @Test
  void clientThatSendsNothing_isCutOffByTheReadTimeout() throws IOException {
    try (var silent = new Socket("127.0.0.1", server.port())) {
      silent.setSoTimeout(MetricsServer.READ_TIMEOUT_MILLIS + 5_000);
      long start = System.nanoTime();
      assertEquals(-1, silent.getInputStream().read());
      assertTrue(System.nanoTime() - start < (MetricsServer.READ_TIMEOUT_MILLIS + 4_000) * 1_000_000L);
    }
  }
}
