package dev.distribank.node.testing;

import dev.distribank.node.fuzz.HostileText;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts, while attached to the root logger, the records at WARNING or above and keeps the first few, and every one
 * that carries a stack trace: a flood of hostile requests must not become a flood of log lines.
 */
public final class LogWatch extends Handler implements AutoCloseable {
  private static final int KEPT = 10;

  private final Logger root = Logger.getLogger("");
  private final List<String> first = new ArrayList<>();
  private final List<String> withThrown = new ArrayList<>();
  private final List<String> all = new ArrayList<>();
  private int warnings;
  private int thrown;

  private LogWatch() {
    setLevel(Level.ALL);
  }

  public static LogWatch attach() {
    var watch = new LogWatch();
    watch.root.addHandler(watch);
    return watch;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (record.getLevel().intValue() < Level.WARNING.intValue()) {
      return;
    }
    warnings++;
    String line = record.getLevel() + " " + record.getLoggerName() + ": " + HostileText.show(
        String.valueOf(record.getMessage())) + (record.getThrown() == null ? "" : " [" + record.getThrown() + "]");
    if (all.size() < 10_000) {
      all.add(line);
    }
    if (first.size() < KEPT) {
      first.add(line);
    }
    if (record.getThrown() != null && thrown++ < KEPT) {
      withThrown.add(line);
    }
  }

  public synchronized int warnings() {
    return warnings;
  }

  public synchronized List<String> first() {
    return List.copyOf(first);
  }

  /** The warnings so far that contain {@code text}. */
  public synchronized List<String> matching(String text) {
    return all.stream().filter(line -> line.contains(text)).toList();
  }

  public synchronized int thrown() {
    return thrown;
  }

  public synchronized List<String> withThrown() {
    return List.copyOf(withThrown);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
