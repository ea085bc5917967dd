package dev.distribank.node.metrics;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The plaintext HTTP endpoint Prometheus scrapes: {@code GET /metrics}, nothing else. Anyone who reaches the port can
 * talk to it, so it is small and bounded: one request per connection; a request head of at most
 * {@value #MAX_HEAD_BYTES} bytes, each read within {@value #READ_TIMEOUT_MILLIS} ms; every connection closed after
 * {@value #CONNECTION_SECONDS} s whatever it is doing; at most {@value #MAX_CONNECTIONS} at once (more are closed as
 * they arrive). A bad request gets its 4xx and the connection closes. Nothing a client sends reaches the bank: a
 * scrape only reads.
 */
final class MetricsServer implements AutoCloseable {
  static final int MAX_HEAD_BYTES = 8192;
  static final int MAX_CONNECTIONS = 16;
  static final int READ_TIMEOUT_MILLIS = 5_000;
  static final int CONNECTION_SECONDS = 15;

  private final ServerSocket socket;
  private final Supplier<String> scrape;
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService deadlines;
  private final Thread acceptor;

  private MetricsServer(ServerSocket socket, Supplier<String> scrape, String bank) {
    this.socket = socket;
    this.scrape = scrape;
    this.deadlines = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("bank-metrics-deadlines-" + bank).daemon().factory());
    this.acceptor = Thread.ofPlatform().name("bank-metrics-" + bank).daemon().unstarted(this::accept);
  }

  /** Listens on {@code address} and answers each scrape with {@code scrape}'s text; throws if it cannot bind. */
  static MetricsServer start(InetSocketAddress address, Supplier<String> scrape, String bank) throws IOException {
    var socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(address, 64);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    var server = new MetricsServer(socket, scrape, bank);
    server.acceptor.start();
    return server;
  }

  int port() {
    return socket.getLocalPort();
  }

  private void accept() {
    while (!socket.isClosed()) {
      Socket connection;
      try {
        connection = socket.accept();
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
        pause(); // out of file descriptors, say: wait for connections to close rather than spin on accept
        continue;
      }
      if (!slots.tryAcquire()) {
        closeQuietly(connection); // full: a scraper retries at its next interval
        continue;
      }
      try {
        connections.execute(() -> serve(connection));
      } catch (RuntimeException stopping) {
        slots.release();
        closeQuietly(connection);
      }
    }
  }

  private void serve(Socket connection) {
    var deadline = deadlines.schedule(() -> closeQuietly(connection), CONNECTION_SECONDS, TimeUnit.SECONDS);
    try (connection) {
      connection.setSoTimeout(READ_TIMEOUT_MILLIS);
      String head = readHead(connection.getInputStream());
      OutputStream out = connection.getOutputStream();
      if (head == null) {
        respond(out, "431 Request Header Fields Too Large", "text/plain; charset=utf-8",
            "the request head is longer than " + MAX_HEAD_BYTES + " bytes\n", true);
        return;
      }
      String[] line = head.substring(0, Math.max(0, head.indexOf('\n'))).trim().split(" ");
      if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
        respond(out, "400 Bad Request", "text/plain; charset=utf-8", "expected: GET /metrics HTTP/1.1\n", true);
        return;
      }
      boolean headOnly = line[0].equals("HEAD");
      if (!line[0].equals("GET") && !headOnly) {
        respond(out, "405 Method Not Allowed", "text/plain; charset=utf-8", "only GET /metrics is served\n", true);
        return;
      }
      String path = line[1].indexOf('?') < 0 ? line[1] : line[1].substring(0, line[1].indexOf('?'));
      if (!path.equals("/metrics")) {
        respond(out, "404 Not Found", "text/plain; charset=utf-8", "only /metrics is served here\n", !headOnly);
        return;
      }
      respond(out, "200 OK", PrometheusText.CONTENT_TYPE, scrape.get(), !headOnly);
    } catch (IOException | RuntimeException e) {
      // The client went away, sent garbage, or was too slow: its connection closes; nothing else is affected.
    } finally {
      deadline.cancel(false);
      slots.release();
    }
  }

  /**
   * The request line and headers up to the blank line that ends them, or null if they exceed
   * {@value #MAX_HEAD_BYTES} bytes. Throws on time-out or a connection closed midway.
   */
  static String readHead(InputStream in) throws IOException {
    byte[] buffer = new byte[MAX_HEAD_BYTES];
    int length = 0;
    while (length < buffer.length) {
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        throw new SocketException("the connection closed before the request ended");
      }
      int from = Math.max(0, length - 3);
      length += n;
      for (int i = from; i < length; i++) {
        if (buffer[i] == '\n' && (i >= 1 && buffer[i - 1] == '\n' || i >= 2 && buffer[i - 1] == '\r'
            && buffer[i - 2] == '\n')) {
          return new String(buffer, 0, i + 1, ISO_8859_1);
        }
      }
    }
    return null;
  }

  private static void respond(OutputStream out, String status, String type, String body, boolean withBody)
      throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    String headers = "HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length
        + "\r\nConnection: close\r\n\r\n";
    out.write(headers.getBytes(ISO_8859_1));
    if (withBody) {
      out.write(bytes);
    }
    out.flush();
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connections.shutdownNow();
    deadlines.shutdownNow();
  }
}
