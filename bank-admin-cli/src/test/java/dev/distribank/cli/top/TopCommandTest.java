package dev.distribank.cli.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.distribank.cli.BankAdmin;
import dev.distribank.cli.Cli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bank-admin top} in-process against loopback HTTP servers that answer like nodes' /metrics (and like broken
 * ones): rates from two scrapes' counters, p99s from their buckets, DOWN for what does not answer, nothing breaks.
 */
class TopCommandTest {
  /** The first scrape: counters well under way, no calls in the histograms yet. */
  static final String ALPHA_1 = new SampleMetrics().transactions(1_000, 10).slowLogins(5).text();
  /**
   * 0.2 s later: 190 more committed and 10 more aborted (200 tx: 1000/s, 50 aborts/s); 100 transfers, 90 within 5 ms
   * and 99 within 10 ms (p99 = 10 ms); 100 synced writes, 50 within 1 ms and all within 2 ms (p99 = 1.98 ms, linear
   * in the (1 ms, 2 ms] bucket); 1,000 more slow logins that must not count.
   */
  static final String ALPHA_2 = new SampleMetrics().transactions(1_190, 20).transfers(90, 99, 100, 100)
      .fsyncs(50, 100, 100, 100).slowLogins(1_005).inDoubt(2, 1.5).queue(7, 0.5).text();
  static final String BETA_1 = new SampleMetrics().transactions(50, 0).text();
  /** 100 more committed in 0.2 s (500/s), none aborted; one link down. */
  static final String BETA_2 = new SampleMetrics().transactions(150, 0).transfers(90, 99, 100, 100).linksDown(1)
      .text();

  @Test
  void once_twoBanks_ratesFromCounterDeltasAndP99sFromBuckets() throws IOException {
    try (var alpha = MetricsServer.serving(ALPHA_1, ALPHA_2); var beta = MetricsServer.serving(BETA_1, BETA_2)) {
      Cli.Result r = Cli.raw("top", "--once", "--interval", "200ms", "--metrics",
          alpha.spec("alpha") + "," + beta.spec("beta"));
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals(List.of("alpha", "UP", "1000.0", "50.0", "10.0 ms", "2", "1.5s", "7", "500ms", "1.98 ms", "3/3"),
          row(r.out(), "alpha"), r::toString);
      assertEquals(List.of("beta", "UP", "500.0", "0.0", "10.0 ms", "0", "-", "0", "-", "-", "2/3"),
          row(r.out(), "beta"), r::toString);
      // Both banks' 200 transfers together: 180 within 5 ms, 198 within 10 ms; the worst ages; links summed.
      assertEquals(List.of("consortium", "2/2 UP", "1500.0", "50.0", "10.0 ms", "2", "1.5s", "7", "500ms", "1.98 ms",
          "5/6"), row(r.out(), "consortium"), r::toString);
      assertTrue(r.out().startsWith("distribank top  "), r::toString);
      assertTrue(r.out().lines().findFirst().orElseThrow().endsWith("every 200ms  2/2 banks up"), r::toString);
      assertFalse(r.out().contains("\033"), "--once prints no control codes: " + r);
      assertEquals(2, alpha.requests());
    }
  }

  @Test
  void json_oneObjectWithTheSameFigures_nullWhenUnknown() throws IOException {
    try (var alpha = MetricsServer.serving(ALPHA_1, ALPHA_2); var beta = MetricsServer.serving(BETA_1, BETA_2)) {
      Cli.Result r = Cli.raw("top", "--once", "--output", "json", "--interval", "200ms", "--metrics",
          alpha.spec("alpha") + "," + beta.spec("beta"));
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals(1, r.out().strip().lines().count(), "one line of JSON: " + r);
      JsonObject report = JsonParser.parseString(r.out()).getAsJsonObject();
      assertEquals(0.2, report.get("intervalSeconds").getAsDouble());
      JsonObject a = report.getAsJsonArray("banks").get(0).getAsJsonObject();
      assertEquals("alpha", a.get("bank").getAsString());
      assertEquals("UP", a.get("state").getAsString());
      assertTrue(a.get("problem").isJsonNull());
      assertEquals(1000.0, a.get("txPerSecond").getAsDouble(), 1e-9);
      assertEquals(50.0, a.get("abortsPerSecond").getAsDouble(), 1e-9);
      assertEquals(0.010, a.get("p99Seconds").getAsDouble(), 1e-12);
      assertEquals(0.00198, a.get("fsyncP99Seconds").getAsDouble(), 1e-12);
      assertEquals(2, a.get("inDoubtVotes").getAsInt());
      assertEquals(1.5, a.get("inDoubtOldestSeconds").getAsDouble());
      assertEquals(7, a.get("deliveryQueueDepth").getAsInt());
      assertEquals(3, a.get("linksUp").getAsInt());
      JsonObject b = report.getAsJsonArray("banks").get(1).getAsJsonObject();
      assertTrue(b.get("fsyncP99Seconds").isJsonNull(), "no synced write in the interval: " + b);
      JsonObject total = report.getAsJsonObject("consortium");
      assertEquals(2, total.get("banksUp").getAsInt());
      assertEquals(1500.0, total.get("txPerSecond").getAsDouble(), 1e-9);
      assertEquals(5, total.get("linksUp").getAsInt());
      assertEquals(6, total.get("linksKnown").getAsInt());
    }
  }

  @Test
  void deadPort_isDownWithTheReason_andTheOthersStillShow() throws IOException {
    int dead = MetricsServer.deadPort();
    try (var alpha = MetricsServer.serving(ALPHA_1, ALPHA_2)) {
      Cli.Result r = Cli.raw("top", "--once", "--interval", "200ms", "--metrics",
          alpha.spec("alpha") + ",beta=127.0.0.1:" + dead);
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals("1000.0", row(r.out(), "alpha").get(2), r::toString);
      assertEquals(List.of("beta", "DOWN", "-", "-", "-", "-", "-", "-", "-", "-", "-"), row(r.out(), "beta"),
          r::toString);
      assertTrue(r.out().contains("beta: DOWN at http://127.0.0.1:" + dead + "/metrics: connection refused"),
          r::toString);
      assertEquals("1/2 UP", row(r.out(), "consortium").get(1), r::toString);
    }
  }

  @Test
  void brokenAnswers_areDownWithTheReason_neverACrash() throws IOException {
    byte[] huge = new byte[MetricsScraper.MAX_ANSWER_BYTES + 1];
    Arrays.fill(huge, (byte) 'x');
    try (var error = MetricsServer.serving(500, 0, "oops".getBytes(StandardCharsets.UTF_8));
        var slow = MetricsServer.serving(200, 3_000, ALPHA_2.getBytes(StandardCharsets.UTF_8));
        var tooBig = MetricsServer.serving(200, 0, huge);
        var notMetrics = MetricsServer.serving("<html><body>It works!</body></html>\n")) {
      long start = System.nanoTime();
      Cli.Result r = Cli.raw("top", "--once", "--interval", "300ms", "--metrics", String.join(",",
          error.spec("error"), slow.spec("slow"), tooBig.spec("big"), notMetrics.spec("html"),
          error.trickleSpec("trickle")));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(0, r.exitCode(), r::toString);
      // Two rounds of 300 ms and the work between: not the slow server's 3 s, not the trickle's minute.
      assertTrue(tookMillis < 2_500, "took " + tookMillis + " ms: " + r);
      assertTrue(r.out().contains("trickle: DOWN at " + url(error).replace("metrics", "trickle")
          + ": no answer within 300 ms"), r::toString);
      assertTrue(r.out().contains("error: DOWN at " + url(error) + ": answered HTTP 500"), r::toString);
      assertTrue(r.out().contains("slow: DOWN at " + url(slow) + ": no answer within 300 ms"), r::toString);
      assertTrue(r.out().contains("big: DOWN at " + url(tooBig) + ": answered more than 8 MiB"), r::toString);
      assertTrue(r.out().contains("html: DOWN at " + url(notMetrics) + ": answered, but with no distribank_ metrics"),
          r::toString);
      assertEquals("0/5 UP", row(r.out(), "consortium").get(1), r::toString);
    }
  }

  @Test
  void hostileText_amidRealSeries_isSkipped_andTheFiguresStillRight() throws IOException {
    String hostile = String.join("\n",
        "\033[2J\033]0;pwned\007 distribank_in_doubt_votes 999",
        "distribank_transactions_total{outcome=\"committed\" 5",
        "distribank_transactions_total{outcome=\"committed\",outcome=\"aborted\"} 1e300",
        "distribank_transactions_total{outcome=\"committed\"} 1d",
        "distribank_transactions_total{outcome=\"committed\"} 0x1p3",
        "distribank_in_doubt_votes{bank=\"\\\"},evil=\\\"\"} NaN",
        "distribank_fsync_duration_seconds_bucket{le=\"banana\"} 5",
        "distribank_fsync_duration_seconds_bucket{le=\"0.002\"} -7",
        "distribank_" + "x".repeat(PrometheusText.MAX_LINE_CHARS) + " 1",
        "\u0000\u0001\u00ff binary \uFFFD",
        "");
    try (var alpha = MetricsServer.serving(ALPHA_1 + hostile, hostile + ALPHA_2 + hostile)) {
      Cli.Result r = Cli.raw("top", "--once", "--interval", "200ms", "--metrics", alpha.spec("alpha"));
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals(List.of("alpha", "UP", "1000.0", "50.0", "10.0 ms", "2", "1.5s", "7", "500ms", "1.98 ms", "3/3"),
          row(r.out(), "alpha"), r::toString);
      assertFalse(r.out().contains("\033"), "nothing from the answer reaches the terminal: " + r);
    }
  }

  @Test
  void restartedNode_countsFromZero_neverANegativeRate() throws IOException {
    String restarted = new SampleMetrics().transactions(40, 0).transfers(1, 1, 1, 1).text();
    try (var alpha = MetricsServer.serving(ALPHA_2, restarted)) {
      Cli.Result r = Cli.raw("top", "--once", "--interval", "200ms", "--metrics", alpha.spec("alpha"));
      assertEquals(0, r.exitCode(), r::toString);
      // 40 committed since the restart (the aborted series shrank to 0: none since); 1 transfer within 5 ms.
      assertEquals(List.of("200.0", "0.0", "4.95 ms"), row(r.out(), "alpha").subList(2, 5), r::toString);
    }
  }

  @Test
  void withoutATerminal_printsASnapshotEachInterval() throws IOException {
    try (var alpha = MetricsServer.serving(ALPHA_1, ALPHA_2, ALPHA_2)) {
      Cli.Result r = Cli.raw("top", "--count", "2", "--interval", "100ms", "--metrics", alpha.spec("alpha"));
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals(2, r.out().lines().filter(l -> l.startsWith("distribank top")).count(), r::toString);
      // The second snapshot compares two equal scrapes: nothing moved.
      String second = r.out().substring(r.out().lastIndexOf("distribank top"));
      assertEquals("0.0", row(second, "alpha").get(2), r::toString);
      assertFalse(r.out().contains("\033"), r::toString);
    }
  }

  @Test
  void onATerminal_drawsOnTheAlternateScreen_andPutsTheTerminalBack() throws IOException {
    try (var alpha = MetricsServer.serving(ALPHA_1, ALPHA_2);
        var keys = new PipedOutputStream(); var typed = new PipedInputStream(keys)) {
      ByteArrayOutputStream screen = new ByteArrayOutputStream();
      try (Terminal terminal = xterm(typed, screen)) {
        Attributes before = new Attributes(terminal.getAttributes());
        int exit = BankAdmin.commandLine(terminal).execute("top", "--count", "2", "--interval", "200ms", "--metrics",
            alpha.spec("alpha"));
        assertEquals(0, exit);
        assertEquals(before.getLocalFlags(), terminal.getAttributes().getLocalFlags(), "echo and line mode back");
      }
      String drawn = screen.toString(StandardCharsets.UTF_8);
      assertTrue(drawn.startsWith("\033[?1049h\033[?25l"), drawn);
      assertTrue(drawn.endsWith("\033[?25h\033[?1049l"), drawn);
      String plain = drawn.replaceAll("\033\\[[0-9;?]*[a-zA-Z]", "").replace("\r", "");
      // The first frame at once, gauges only; the second with the rates.
      assertEquals(List.of("alpha", "UP", "-", "-", "-"), row(plain, "alpha").subList(0, 5), drawn);
      String second = plain.substring(plain.lastIndexOf("distribank top"));
      assertEquals(List.of("alpha", "UP", "1000.0", "50.0", "10.0 ms"), row(second, "alpha").subList(0, 5), drawn);
      assertTrue(plain.contains("q or Ctrl-C: quit"), drawn);
    }
  }

  @Test
  void onATerminal_q_quitsAtOnce() throws IOException {
    try (var alpha = MetricsServer.serving(ALPHA_1, ALPHA_2)) {
      ByteArrayOutputStream screen = new ByteArrayOutputStream();
      try (Terminal terminal = xterm(new ByteArrayInputStream("q".getBytes(StandardCharsets.UTF_8)), screen)) {
        int exit = BankAdmin.commandLine(terminal).execute("top", "--interval", "1h", "--metrics",
            alpha.spec("alpha"));
        assertEquals(0, exit);
      }
      assertEquals(1, alpha.requests(), "quit before the second scrape");
      assertTrue(screen.toString(StandardCharsets.UTF_8).endsWith("\033[?25h\033[?1049l"));
    }
  }

  @Test
  void metricsFile_namesTheBanks(@TempDir Path dir) throws IOException {
    try (var alpha = MetricsServer.serving(ALPHA_1, ALPHA_2)) {
      Path file = dir.resolve("metrics.txt");
      Files.writeString(file, "# the banks' metrics\n\n" + alpha.spec("alpha") + "\n");
      Cli.Result r = Cli.raw("top", "--once", "--interval", "200ms", "--metrics-file", file.toString());
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals("1000.0", row(r.out(), "alpha").get(2), r::toString);
    }
  }

  @Test
  void badOptions_areUsageErrors() {
    String[][] cases = {
        {"--metrics", "alpha=nohost", "bank id|HOST:PORT"},
        {"--metrics", "Alpha=127.0.0.1:9401", "lower-case"},
        {"--metrics", "alpha=127.0.0.1:99999", "port 99999"},
        {"--metrics", "alpha=ftp://h/metrics", "HOST:PORT"},
        {"--metrics", "alpha=127.0.0.1:1,alpha=127.0.0.1:2", "named twice"},
        {"--metrics", ",", "no bank named"},
        {"--interval", "10ms", "100ms to 1h"},
        {"--count", "0", "at least 1"},
        {"--metrics-file", "/nonexistent/metrics.txt", "cannot read"},
    };
    for (String[] c : cases) {
      Cli.Result r = Cli.raw("top", "--once", c[0], c[1]);
      assertEquals(2, r.exitCode(), () -> String.join(" ", c) + "\n" + r);
      assertTrue(r.err().matches("(?s).*(" + c[2] + ").*"), () -> String.join(" ", c) + "\n" + r);
    }
  }

  /** A terminal as a user's xterm would be, over streams the test types into and reads from. */
  private static Terminal xterm(InputStream typed, OutputStream screen) throws IOException {
    ExternalTerminal terminal = new ExternalTerminal("test", "xterm-256color", typed, screen, StandardCharsets.UTF_8);
    terminal.setSize(new Size(160, 30));
    return terminal;
  }

  private static String url(MetricsServer server) {
    return "http://" + server.spec("x").substring(2) + "/metrics";
  }

  /** The cells of the table row that starts with {@code bank}. */
  static List<String> row(String out, String bank) {
    return out.lines().filter(l -> l.startsWith(bank + " ")).findFirst()
        .map(l -> List.of(l.strip().split("\\s{2,}"))).orElseThrow(() -> new AssertionError("no row " + bank));
  }
}
