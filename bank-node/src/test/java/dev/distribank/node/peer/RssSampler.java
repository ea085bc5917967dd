package dev.distribank.node.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Reads a process's resident set size (VmRSS in /proc/PID/status) every 50 ms and keeps the largest. */
final class RssSampler {
  private final long pid;
  private final AtomicLong peakKib = new AtomicLong();
  private volatile boolean running = true;
  private Thread thread;

  RssSampler(long pid) {
    this.pid = pid;
  }

  /** Starts sampling; returns the RSS now, in KiB. */
  long start() {
    long now = rssKib(pid);
    peakKib.set(now);
    thread = Thread.ofPlatform().daemon().name("rss-" + pid).start(() -> {
      while (running) {
        peakKib.accumulateAndGet(rssKib(pid), Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    return now;
  }

  /** Stops sampling; returns the largest RSS seen, in KiB. */
  long stop() throws InterruptedException {
    running = false;
    thread.join();
    return Math.max(peakKib.get(), rssKib(pid));
  }

  /** The process's RSS now, in KiB; 0 once it has ended (the test then fails on its health instead). */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException gone) {
      return 0;
    }
    throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
  }
}
