package dev.distribank.node.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * A store write or open that failed for want of room, told apart from every other failure so that a node can say so
 * plainly and wait for room instead of crash-looping: a full filesystem (ENOSPC), or a file that reached the process's
 * file-size limit (EFBIG). Nothing else is one: a broken disk or a corrupt store still stops the node.
 *
 * @param kind which limit the write ran into
 * @param detail RocksDB's own words, naming the file it was writing
 */
public record DiskFull(Kind kind, String detail) {
  /** Which limit a write ran into. */
  public enum Kind {
    /** ENOSPC: the filesystem of the data directory has no room left. */
    NO_SPACE,
    /** EFBIG: a file reached this process's file-size limit (RLIMIT_FSIZE, {@code ulimit -f}). */
    FILE_SIZE_LIMIT
  }

  /**
   * How RocksDB words EFBIG: it gives ENOSPC a subcode of its own ({@code NoSpace}) but every other errno only the C
   * library's {@code strerror} text inside an {@code IOError}, so this one is recognised by that text.
   */
  private static final String EFBIG_TEXT = "File too large";

  /** The first failure for want of room in {@code failure}'s chain of causes, if any. */
  public static Optional<DiskFull> in(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof RocksDBException e) {
        Optional<DiskFull> full = of(e);
        if (full.isPresent()) {
          return full;
        }
      }
    }
    return Optional.empty();
  }

  /** {@code e} as a failure for want of room, if it is one. */
  public static Optional<DiskFull> of(RocksDBException e) {
    Status status = e.getStatus();
    if (status == null || status.getCode() != Status.Code.IOError) {
      return Optional.empty();
    }
    String detail = status.getState() == null || status.getState().isEmpty() ? String.valueOf(e.getMessage())
        : status.getState();
    if (status.getSubCode() == Status.SubCode.NoSpace) {
      return Optional.of(new DiskFull(Kind.NO_SPACE, detail));
    }
    if (detail.contains(EFBIG_TEXT)) {
      return Optional.of(new DiskFull(Kind.FILE_SIZE_LIMIT, detail));
    }
    return Optional.empty();
  }

  /** The bytes this process may still write on {@code dir}'s filesystem, or -1 when it cannot be told. */
  public static long freeBytes(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * What an operator reads: "data directory /x is full: 0 bytes free (While appending to file: /x/000004.log: No
   * space left on device)", with {@code freeBytes} as measured now.
   */
  public String describe(Path dataDir, long freeBytes) {
    String free = freeBytes < 0 ? "free space unknown" : freeBytes + " bytes free";
    return switch (kind) {
      case NO_SPACE -> "data directory " + dataDir + " is full: " + free + " (" + detail + ")";
      case FILE_SIZE_LIMIT -> "a file in data directory " + dataDir + " reached this process's file-size limit "
          + "(RLIMIT_FSIZE, ulimit -f; " + free + " on the disk) (" + detail + ")";
    };
  }
}
