package dev.distribank.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Which store failures are for want of room: RocksDB's NoSpace, and EFBIG by its text; nothing else (a broken disk,
 * a corrupt store, a lock held) is one, so those still stop the node. FullDiskTest makes both happen for real.
 */
class DiskFullTest {
  @ParameterizedTest(name = "{0}/{1} \"{2}\" -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      IOError    | NoSpace | While appending to file: /d/000004.log: No space left on device | NO_SPACE
      IOError    | None    | While appending to file: /d/000004.log: File too large          | FILE_SIZE_LIMIT
      IOError    | None    | While appending to file: /d/000004.log: Input/output error      | none
      IOError    | None    | While lock file: /d/LOCK: Resource temporarily unavailable      | none
      Corruption | None    | block checksum mismatch                                         | none
      Busy       | NoSpace | odd, but not an I/O error                                        | none
      """)
  void of_tellsRoomFromEveryOtherFailure(String code, String subCode, String state, String expected) {
    var e = new RocksDBException(state, new Status(Status.Code.valueOf(code), Status.SubCode.valueOf(subCode), state));

    Optional<DiskFull> full = DiskFull.of(e);

    assertEquals(expected, full.map(f -> f.kind().name()).orElse("none"));
    full.ifPresent(f -> assertEquals(state, f.detail()));
  }

  @Test
  void of_aFailureWithoutStatus_isNotOne() {
    assertEquals(Optional.empty(), DiskFull.of(new RocksDBException("cannot create data directory /d")));
  }

  @Test
  void in_findsItBehindTheWrappers() {
    var rocks = new RocksDBException("x", new Status(Status.Code.IOError, Status.SubCode.NoSpace, "no room"));
    var wrapped = new CompletionException(new IllegalStateException("the store's writer stopped",
        new IOException("cannot start", rocks)));

    assertEquals(Optional.of(new DiskFull(DiskFull.Kind.NO_SPACE, "no room")), DiskFull.in(wrapped));
    assertEquals(Optional.empty(), DiskFull.in(new IllegalStateException("an invariant broke")));
  }

  @Test
  void describe_namesTheDirectoryAndTheFreeBytes() {
    assertEquals("data directory /d is full: 0 bytes free (no room)",
        new DiskFull(DiskFull.Kind.NO_SPACE, "no room").describe(Path.of("/d"), 0));
    assertEquals("a file in data directory /d reached this process's file-size limit (RLIMIT_FSIZE, ulimit -f; "
            + "free space unknown on the disk) (File too large)",
        new DiskFull(DiskFull.Kind.FILE_SIZE_LIMIT, "File too large").describe(Path.of("/d"), -1));
  }
}
