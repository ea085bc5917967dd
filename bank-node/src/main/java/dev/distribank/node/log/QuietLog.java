package dev.distribank.node.log;

import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A WARNING log that anyone on the network can trigger (malformed requests, failed sign-ins), kept small: at most
 * {@code perMinute} lines a minute, one line, no stack trace; the first line after a quiet spell says how many were
 * left out. So a flood of garbage cannot flood the log.
 */
public final class QuietLog {
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final Logger log;
  private final int perMinute;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int inWindow;
  private long suppressed;

  public QuietLog(Logger log, int perMinute) {
    this(log, perMinute, System::nanoTime);
  }

  public QuietLog(Logger log, int perMinute, LongSupplier nanoTime) {
    this.log = log;
    this.perMinute = perMinute;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  public void warn(String message) {
    warn(message, LogFields.NONE, null);
  }

  /** With the cause's stack trace: only for what should never happen (an internal error), still rate-limited. */
  public void warn(String message, Throwable cause) {
    warn(message, LogFields.NONE, cause);
  }

  /** With what the line is about (a peer, a transaction), for {@code --log-format json}. */
  public void warn(String message, LogFields fields) {
    warn(message, fields, null);
  }

  private synchronized void warn(String message, LogFields fields, Throwable cause) {
    long now = nanoTime.getAsLong();
    if (now - windowStart >= MINUTE_NANOS) {
      windowStart = now;
      inWindow = 0;
    }
    if (inWindow >= perMinute) {
      suppressed++;
      return;
    }
    inWindow++;
    String line = suppressed == 0 ? message : message + " (" + suppressed + " similar lines left out)";
    suppressed = 0;
    fields.log(log, Level.WARNING, () -> line, cause);
  }
}
