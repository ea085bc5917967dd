package dev.distribank.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.primitives.Longs;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.core.order.Operation;
import dev.distribank.node.core.order.ProtocolChangesForTests;
import dev.distribank.node.store.Store.Family;
import dev.distribank.proto.store.v1.CountersRecord;
import dev.distribank.proto.store.v1.OperationRunRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operation log, one record per write of however many lines, reads newest first from any sequence number and
 * with any page size exactly as a log of one record per line did, and continues a log written one line per record.
 */
class OperationLogTest {
  @TempDir Path dir;

  private static Operation line(long n) {
    return new Operation("alpha-" + n, new Stamp(n, "alpha"), true, List.of(), null, "req-" + n, "alpha:ana");
  }

  @Test
  void linesWrittenOnePerRecordThenInRuns_pageBackNewestFirst_fromEverySequence() throws Exception {
    var expected = new ArrayList<Long>();
    try (Store store = Store.open(dir)) {
      // What a node of an earlier version wrote: lines 1..7, one record each, and the counters naming the last.
      Batch old = store.newBatch();
      for (long n = 1; n <= 7; n++) {
        old.put(Family.OPERATIONS, Longs.toByteArray(n), ProtocolRecords.toRecord(line(n)).toByteArray());
        expected.add(n);
      }
      old.put(Family.META, Store.COUNTERS_KEY, CountersRecord.newBuilder().setLastOperationSeq(7).build()
          .toByteArray());
      store.write(old);
    }
    var random = new Random(7);
    try (Store store = Store.open(dir)) {
      long n = 8;
      for (int write = 0; write < 40; write++) {
        var changes = new ProtocolChangesForTests();
        for (int i = random.nextInt(6); i > 0; i--) {
          changes.operation(line(n));
          expected.add(n++);
        }
        Batch batch = store.newBatch();
        batch.protocol(changes.build());
        store.write(batch);
      }
      int[] runs = {0};
      store.forEach(Family.OPERATION_RUNS, (k, v) -> runs[0] += Store.parse(OperationRunRecord.parser(), v)
          .getOperationsCount() > 0 ? 1 : 0);
      assertEquals(runs[0], count(store, Family.OPERATION_RUNS), "no empty run is stored");
      for (long before = 1; before <= n + 2; before++) {
        for (int limit : new int[] {1, 2, 3, 5, 50, 1_000}) {
          var want = new ArrayList<Long>();
          for (int i = expected.size() - 1; i >= 0 && want.size() < limit; i--) {
            if (expected.get(i) < before) {
              want.add(expected.get(i));
            }
          }
          var got = new ArrayList<Long>();
          for (Store.LoggedOperation o : store.operations(before, limit)) {
            assertEquals("alpha-" + o.sequence(), o.operation().transactionId(), "a line under its own number");
            got.add(o.sequence());
          }
          assertEquals(want, got, "before " + before + ", limit " + limit);
        }
      }
      assertEquals(n - 1, store.counters().getLastOperationSeq());
      assertEquals(Boolean.TRUE, store.history().finished("alpha-" + (n - 1)));
    }
  }

  private static int count(Store store, Family family) throws Exception {
    int[] c = {0};
    store.forEach(family, (k, v) -> c[0]++);
    return c[0];
  }
}
