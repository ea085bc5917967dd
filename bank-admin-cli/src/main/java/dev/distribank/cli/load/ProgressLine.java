package dev.distribank.cli.load;

import dev.distribank.cli.text.StdoutTerminal;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live progress of a load run: committed transactions per second, committed, refused and errors so far, and the
 * p99 latency of the last interval.
 *
 * <p>On a terminal it rewrites one status line on stdout every second ({@code \r}, no newline) and wipes it when the
 * run ends, so the report that follows starts on a clean line. Otherwise (output piped or captured) it prints a full
 * line to stderr every five seconds, which keeps logs short and stdout clean for {@code --output json}.
 */
final class ProgressLine implements AutoCloseable {
  private static final long TERMINAL_PERIOD_MILLIS = 1_000;
  private static final long LOG_PERIOD_MILLIS = 5_000;

  private final LoadStats stats;
  private final PrintWriter writer;
  private final boolean terminal;
  private final ScheduledExecutorService ticker;
  private long lastNanos;
  private long lastCommitted;
  private int width;

  private ProgressLine(LoadStats stats, PrintWriter writer, boolean terminal) {
    this.stats = stats;
    this.writer = writer;
    this.terminal = terminal;
    this.lastNanos = stats.startNanos();
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "load-progress");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts printing progress: on {@code out} when stdout is a terminal, else on {@code err}. */
  static ProgressLine start(LoadStats stats, PrintWriter out, PrintWriter err) {
    boolean terminal = StdoutTerminal.isTerminal();
    ProgressLine line = new ProgressLine(stats, terminal ? out : err, terminal);
    long period = terminal ? TERMINAL_PERIOD_MILLIS : LOG_PERIOD_MILLIS;
    line.ticker.scheduleAtFixedRate(line::tick, period, period, TimeUnit.MILLISECONDS);
    return line;
  }

  /** Stops the ticker and, on a terminal, wipes the status line. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      // A tick in progress finishes printing before the report starts; it never blocks for long.
      ticker.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (terminal && width > 0) {
      writer.print("\r" + " ".repeat(width) + "\r");
      writer.flush();
    }
  }

  private void tick() {
    long now = System.nanoTime();
    long committed = stats.committed();
    // A rate for display (transactions per second), not money.
    double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
    String line = format(stats.elapsedNanos() / 1_000_000_000L, (committed - lastCommitted) / seconds, committed,
        stats.refused(), stats.errors(), stats.intervalP99Micros());
    lastNanos = now;
    lastCommitted = committed;
    if (terminal) {
      // Pad to the previous line's width so a shorter line leaves no tail of the old one behind.
      writer.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = Math.max(width, line.length());
    } else {
      writer.println("load: " + line);
    }
    writer.flush();
  }

  /** "12s  842.0 tx/s  ok 10100  refused 523  errors 0  p99 12.3 ms"; "p99 -" when nothing committed lately. */
  static String format(long elapsedSeconds, double ratePerSecond, long ok, long refused, long errors,
      long p99Micros) {
    return String.format(Locale.ROOT, "%ds  %.1f tx/s  ok %d  refused %d  errors %d  p99 %s", elapsedSeconds,
        ratePerSecond, ok, refused, errors, p99Micros < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms",
            p99Micros / 1000.0));
  }
}
