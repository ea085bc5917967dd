package dev.distribank.node;

import dev.distribank.node.store.DiskFull;
import dev.distribank.node.store.Store;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import org.rocksdb.RocksDBException;

/**
 * Runs one bank node in this process until SIGTERM, and treats a full data directory as the local fault it is. A node
 * whose durable write fails stops at once (memory may be ahead of disk) and its state in memory is dropped; if the
 * write failed for want of room, {@link OutOfService} holds its ports — NOT_SERVING, every call UNAVAILABLE
 * {@code DISK_FULL} — while the store is tried again every {@code retry}; once it opens, a new node recovers from it as
 * after a restart and serves. Starting on a full disk takes the same path. Any other fault still ends the process
 * (exit code 1), for its supervisor to restart.
 */
final class NodeSupervisor {
  private static final Logger log = Logger.getLogger(NodeSupervisor.class.getName());
  /**
   * The room a full disk must have again before its store is opened. More than the 4 MiB RocksDB preallocates for
   * its MANIFEST and gives back when the stopped node closes its store, so that room of its own is not taken for room
   * returning (the node would serve for a moment and stop again); and each open rotates RocksDB's info log, so nothing
   * is tried while nothing was freed.
   */
  static final long RESUME_FREE_BYTES = 8L << 20;

  private final NodeConfig config;
  private final Duration retry;
  /** The node or the stand-in holding the ports now, for the shutdown hook to close; null between the two. */
  private AutoCloseable current;
  private boolean stopping;

  NodeSupervisor(NodeConfig config, Duration retry) {
    this.config = config;
    this.retry = retry;
  }

  /** Runs until a SIGTERM ({@link #stop}) returns 0, or a fault other than a full disk returns 1. */
  int run() throws IOException, InterruptedException {
    while (true) {
      BankNode node;
      try {
        node = BankNode.start(config);
      } catch (IOException e) {
        Optional<DiskFull> full = DiskFull.in(e);
        if (full.isEmpty()) {
          throw e;
        }
        if (!awaitRoom(full.get(), DiskFull.freeBytes(config.dataDir()))) {
          return 0;
        }
        continue;
      }
      if (!hold(node)) {
        return 0;
      }
      node.awaitTermination();
      Throwable failure = node.failure();
      Optional<DiskFull> full = failure == null ? Optional.empty() : DiskFull.in(failure);
      // Measured before the store closes: closing gives back what RocksDB had preallocated.
      long freeAtFailure = DiskFull.freeBytes(config.dataDir());
      if (!release(node)) {
        return 0; // SIGTERM: the hook closes it
      }
      node.close();
      if (failure == null) {
        return 0;
      }
      if (full.isEmpty()) {
        return 1;
      }
      if (!awaitRoom(full.get(), freeAtFailure)) {
        return 0;
      }
    }
  }

  /**
   * Holds the ports with {@link OutOfService} until the store opens again; false when SIGTERM came first. The store
   * is opened and closed here only to learn whether it can be: the node that follows recovers from it itself.
   */
  private boolean awaitRoom(DiskFull first, long freeBytes) throws IOException, InterruptedException {
    var report = new DiskFullReport(config.bank(), config.dataDir(), first, freeBytes, Instant.now(), retry);
    log.severe(report.forOperator());
    var standIn = OutOfService.start(config, report);
    if (!hold(standIn)) {
      return false;
    }
    long attempts = 0;
    while (true) {
      Thread.sleep(retry.toMillis());
      if (isStopping()) {
        return false;
      }
      attempts++;
      DiskFull now = report.diskFull();
      long free = DiskFull.freeBytes(config.dataDir());
      if (free < 0 || free >= RESUME_FREE_BYTES || now.kind() == DiskFull.Kind.FILE_SIZE_LIMIT) {
        Optional<DiskFull> still = opens();
        if (still.isEmpty()) {
          break;
        }
        now = still.get();
      }
      report = report.measured(now);
      standIn.report(report);
      if (attempts == 1 || attempts % 60 == 0) {
        log.warning("still no room after " + attempts + " tries: " + report.forOperator());
      }
    }
    log.info(() -> "bank " + config.bank() + ": its store opens again; recovering from it");
    if (!release(standIn)) {
      return false;
    }
    standIn.close();
    return true;
  }

  /** Empty when the store opens (and is closed again at once); else why it still has no room. */
  private Optional<DiskFull> opens() throws IOException {
    try (Store store = Store.open(config.dataDir())) {
      return Optional.empty();
    } catch (RocksDBException e) {
      Optional<DiskFull> full = DiskFull.of(e);
      if (full.isPresent()) {
        return full;
      }
      // Some other fault: let the node's own start report it (and end the process).
      return Optional.empty();
    }
  }

  private synchronized boolean hold(AutoCloseable holder) {
    if (stopping) {
      closeQuietly(holder);
      return false;
    }
    current = holder;
    return true;
  }

  /** Takes {@code holder} back from the hook; false when a SIGTERM already has it. */
  private synchronized boolean release(AutoCloseable holder) {
    if (stopping) {
      return false;
    }
    if (current == holder) {
      current = null;
    }
    return true;
  }

  private synchronized boolean isStopping() {
    return stopping;
  }

  /** SIGTERM: stops the node gracefully (or closes the stand-in); {@link #run} then returns 0. */
  synchronized void stop() {
    stopping = true;
    if (current != null) {
      closeQuietly(current);
      current = null;
    }
  }

  private static void closeQuietly(AutoCloseable holder) {
    try {
      holder.close();
    } catch (Exception e) {
      log.warning("closing " + holder.getClass().getSimpleName() + " failed: " + e);
    }
  }
}
