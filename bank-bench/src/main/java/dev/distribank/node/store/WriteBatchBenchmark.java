package dev.distribank.node.store;

import dev.distribank.bench.ScratchDirectory;
import dev.distribank.bench.Transfers;
import dev.distribank.node.core.order.ForkedHeap;
import dev.distribank.node.core.order.Ready;
import dev.distribank.node.core.order.TwoBanks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rocksdb.RocksDBException;

/**
 * The store's writes for a batch of cross-bank transfers: the five group commits of its run (alpha's three steps,
 * beta's two), each built from its step's {@link Ready} by {@link Store#prepare} as the node builds it — every record
 * encoded and put into a RocksDB {@code WriteBatch} — and nothing written to disk. A score is one batch; the {@code
 * transfers} row is per transfer. The run prints the puts and deletes of the five writes and their bytes, counted by
 * RocksDB's own {@code WriteBatch}, and the key and value bytes per transfer of each family, to show what the bytes
 * are.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {ForkedHeap.MIN, ForkedHeap.MAX, ForkedHeap.PRE_TOUCH})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class WriteBatchBenchmark {
  @Param({"100", "1000"})
  public int transfers;

  private List<Ready> steps;
  private Path dir;
  private Store store;

  @Setup(Level.Trial)
  public void batch() throws IOException, RocksDBException {
    var banks = new TwoBanks();
    TwoBanks.Exchange run = banks.runForWrites(banks.nextTransfers(transfers));
    List<Ready> alpha = run.alphaSteps();
    List<Ready> beta = run.betaSteps();
    steps = List.of(alpha.get(0), beta.get(0), alpha.get(1), beta.get(1), alpha.get(2));
    dir = Files.createTempDirectory("distribank-jmh-store");
    store = Store.open(dir);
  }

  /** What was measured, in puts and bytes, printed with the scores of the run; then the store is removed. */
  @TearDown(Level.Trial)
  public void close() throws IOException, RocksDBException {
    long[] sizes = sizes();
    System.out.printf("%,d transfers: %,d puts and deletes in 5 writes, %,d bytes (%.1f puts, %,d bytes per "
        + "transfer)%n", transfers, sizes[0], sizes[1], (double) sizes[0] / transfers, sizes[1] / transfers);
    var byFamily = new java.util.EnumMap<Store.Family, Long>(Store.Family.class);
    for (Ready step : steps) {
      try (Store.Prepared write = store.prepare(step, Map.of())) {
        write.bytesByFamily(store).forEach((f, b) -> byFamily.merge(f, b, Long::sum));
      }
    }
    var line = new StringBuilder("  keys and values per transfer:");
    byFamily.forEach((f, b) -> line.append(String.format(" %s %,d", f.name().toLowerCase(java.util.Locale.ROOT),
        b / transfers)));
    System.out.println(line);
    store.close();
    ScratchDirectory.delete(dir);
  }

  /** The puts and deletes of the five writes and their bytes (keys, values and RocksDB's framing), as built now. */
  public long[] sizes() throws RocksDBException {
    var sizes = new long[2];
    for (Ready step : steps) {
      try (Store.Prepared write = store.prepare(step, Map.of())) {
        sizes[0] += write.operations();
        sizes[1] += write.bytes();
      }
    }
    return sizes;
  }

  @Benchmark
  public boolean writeBatch(Transfers counted) throws RocksDBException {
    boolean empty = false;
    for (Ready step : steps) {
      try (Store.Prepared write = store.prepare(step, Map.of())) {
        empty |= write.isEmpty();
      }
    }
    counted.transfers += transfers;
    return empty;
  }
}
