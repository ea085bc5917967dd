package dev.distribank.node.store;

import dev.distribank.node.store.Store.Family;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/** What a write's puts hold, family by family: the key and value bytes, as RocksDB's own iteration of it reads them. */
final class FamilyBytes extends WriteBatch.Handler {
  private final Map<Integer, Family> families = new HashMap<>();
  private final Map<Family, Long> bytes = new EnumMap<>(Family.class);

  private FamilyBytes(Store store) {
    for (Family f : Family.values()) {
      families.put(store.handle(f).getID(), f);
    }
  }

  static Map<Family, Long> count(Store store, WriteBatch write) throws RocksDBException {
    try (var counter = new FamilyBytes(store)) {
      write.iterate(counter);
      return counter.bytes;
    }
  }

  @Override
  public void put(int family, byte[] key, byte[] value) {
    bytes.merge(families.get(family), (long) key.length + value.length, Long::sum);
  }

  // Nothing else a write holds carries a family's values.
  @Override public void put(byte[] key, byte[] value) {}
  @Override public void merge(int family, byte[] key, byte[] value) {}
  @Override public void merge(byte[] key, byte[] value) {}
  @Override public void delete(int family, byte[] key) {}
  @Override public void delete(byte[] key) {}
  @Override public void singleDelete(int family, byte[] key) {}
  @Override public void singleDelete(byte[] key) {}
  @Override public void deleteRange(int family, byte[] from, byte[] to) {}
  @Override public void deleteRange(byte[] from, byte[] to) {}
  @Override public void logData(byte[] blob) {}
  @Override public void putBlobIndex(int family, byte[] key, byte[] value) {}
  @Override public void markBeginPrepare() {}
  @Override public void markEndPrepare(byte[] xid) {}
  @Override public void markNoop(boolean emptyBatch) {}
  @Override public void markRollback(byte[] xid) {}
  @Override public void markCommit(byte[] xid) {}
  @Override public void markCommitWithTimestamp(byte[] xid, byte[] ts) {}
}
