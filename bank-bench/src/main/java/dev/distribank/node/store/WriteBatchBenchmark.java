package dev.distribank.node.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.distribank.bench.ScratchDirectory;
import dev.distribank.bench.Transfers;
import dev.distribank.node.api.TypeProtos;
import dev.distribank.node.core.ledger.Account;
import dev.distribank.node.core.ledger.LedgerEntry;
import dev.distribank.node.core.order.ForkedHeap;
import dev.distribank.node.core.order.Operation;
import dev.distribank.node.core.order.ProtocolChanges;
import dev.distribank.node.core.order.Ready;
import dev.distribank.node.core.order.RequestRecord;
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
 * beta's two), each built from its step's {@link Ready} as the node builds it, nothing written to disk. A score is
 * one batch; the {@code transfers} row is per transfer.
 *
 * <ul>
 *   <li>{@code writeBatch}: {@link Store#prepare} — every record encoded and put into a RocksDB {@code WriteBatch}.
 *   <li>{@code records}: the records alone, encoded by {@link ProtocolRecords}, {@link LedgerRecords} and
 *       {@code TypeProtos} as {@code Batch} encodes them, with no RocksDB: the rest of {@code writeBatch} is the
 *       puts themselves (JNI calls into RocksDB).
 * </ul>
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

  /** What was measured, in records and bytes, printed with the scores of the run; then the store is removed. */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    var sizes = new long[2];
    for (Ready step : steps) {
      encode(step, sizes);
    }
    System.out.printf("%,d transfers: %,d records in 5 writes, %,d bytes (%.1f records, %,d bytes per transfer)%n",
        transfers, sizes[0], sizes[1], (double) sizes[0] / transfers, sizes[1] / transfers);
    store.close();
    ScratchDirectory.delete(dir);
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

  @Benchmark
  public long[] records(Transfers counted) {
    var sizes = new long[2];
    for (Ready step : steps) {
      encode(step, sizes);
    }
    counted.transfers += transfers;
    return sizes;
  }

  /**
   * Encodes what {@code Batch} puts for {@code step} (keys and values; a delete is its key), adding to
   * {@code sizes} the records and their bytes. Leaves out the per-write counters record, and ledger changes no
   * transfer makes (customers, PIX keys, consents).
   */
  private static void encode(Ready step, long[] sizes) {
    for (Account a : step.ledger().accounts()) {
      add(sizes, 8 + LedgerRecords.toRecord(a).toByteArray().length);
    }
    for (LedgerEntry e : step.ledger().entries()) {
      add(sizes, 16 + TypeProtos.toProto(e).toByteArray().length);
    }
    ProtocolChanges p = step.protocol();
    p.votes().forEach((txn, vote) -> add(sizes, utf8(txn)
        + vote.map(v -> ProtocolRecords.toRecord(v).toByteArray().length).orElse(0)));
    p.coordinations().forEach((txn, c) -> add(sizes, utf8(txn)
        + c.map(v -> ProtocolRecords.toRecord(v, certificate -> STORED_CERTIFICATE).toByteArray().length)
            .orElse(0)));
    p.votedRequests().forEach((key, txn) -> add(sizes, utf8(key) + utf8(txn)));
    for (RequestRecord r : p.requests()) {
      add(sizes, utf8(r.requestId()) + ProtocolRecords.toRecord(r).toByteArray().length);
    }
    for (Operation o : p.operations()) {
      add(sizes, 8 + ProtocolRecords.toRecord(o).toByteArray().length);
      add(sizes, utf8(o.transactionId()) + 1);
    }
  }

  /** A vote certificate's reference (its SHA-256): the certificate itself is stored once per store, not per write. */
  private static final com.google.protobuf.ByteString STORED_CERTIFICATE =
      com.google.protobuf.ByteString.copyFrom(new byte[32]);

  private static void add(long[] sizes, long bytes) {
    sizes[0]++;
    sizes[1] += bytes;
  }

  private static int utf8(String s) {
    return s.getBytes(UTF_8).length;
  }
}
