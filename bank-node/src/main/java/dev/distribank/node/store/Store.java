package dev.distribank.node.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.primitives.Longs;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.LedgerEntry;
import dev.distribank.node.core.order.History;
import dev.distribank.node.core.order.Operation;
import dev.distribank.node.core.order.Ready;
import dev.distribank.node.auth.Sessions;
import dev.distribank.proto.store.v1.CountersRecord;
import dev.distribank.proto.store.v1.OperationRecord;
import dev.distribank.proto.store.v1.OperationRunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A bank node's RocksDB database: one column family per kind of record. Every change reaches it as one atomic
 * {@link Batch} written with {@code sync=true}: a group commit of everything the event loop did since the last write.
 */
public final class Store implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  /** The column families; the names are on disk, never rename one; new ones go last (a store opened creates them). */
  public enum Family {
    CUSTOMERS, ACCOUNTS, PIX_KEYS, ENTRIES, OPERATIONS, TRANSACTIONS, VOTES, COORDINATIONS, REQUESTS, SESSIONS, META,
    /** Consents by id (8 bytes): kept forever, so a statement can name the consent behind every debit. */
    CONSENTS,
    /** {@code account_number/request_id} → the transaction a YES vote debiting that account was cast for. */
    VOTED_REQUESTS,
    /** SHA-256 of a certificate → the certificate, for the stored vote signatures that name it ({@link Certificates}). */
    CERTIFICATES,
    /**
     * Transaction id → the COMMIT this bank adopted (a {@code DecisionRecord} with its signed votes) for a transaction
     * whose other participants may consult it while its coordinator is away; never deleted.
     */
    SETTLED,
    /**
     * Step number (8 bytes) → what one write changed in the votes and coordinations in flight ({@link ProtocolLog}),
     * which replaces {@code VOTES} and {@code COORDINATIONS}: those are read only, and emptied by the first write.
     */
    PROTOCOL_STEPS,
    /**
     * Sequence number of a write's first operation-log line (8 bytes) → that write's lines ({@code
     * OperationRunRecord}), which replaces {@code OPERATIONS}' one record per line: those are read only.
     */
    OPERATION_RUNS;

    byte[] cfName() {
      return name().toLowerCase(java.util.Locale.ROOT).getBytes(UTF_8);
    }
  }

  static final byte[] COUNTERS_KEY = "counters".getBytes(UTF_8);

  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final EnumMap<Family, ColumnFamilyHandle> families = new EnumMap<>(Family.class);
  private final WriteOptions syncWrites = new WriteOptions().setSync(true);
  /** For the writes of a group but its last: the last one's sync makes the whole group durable. */
  private final WriteOptions groupedWrites = new WriteOptions().setSync(false);
  private CountersRecord counters;
  private final Certificates certificates;
  private final ProtocolLog protocolLog;

  private Store(DBOptions dbOptions, ColumnFamilyOptions cfOptions, RocksDB db, List<ColumnFamilyHandle> handles,
      long minCheckpointBytes) throws RocksDBException {
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.db = db;
    this.handles = handles;
    // handles[0] is RocksDB's "default" family, unused.
    for (Family f : Family.values()) {
      families.put(f, handles.get(f.ordinal() + 1));
    }
    byte[] stored = db.get(handle(Family.META), COUNTERS_KEY);
    counters = stored == null ? CountersRecord.getDefaultInstance() : parse(CountersRecord.parser(), stored);
    certificates = Certificates.load(this);
    protocolLog = ProtocolLog.load(this, minCheckpointBytes);
  }

  /** Opens (creating if needed) the database under {@code dir}. */
  public static Store open(Path dir) throws RocksDBException {
    return open(dir, ProtocolLog.MIN_CHECKPOINT_BYTES);
  }

  /** {@link #open(Path)}, its protocol log checkpointed once past {@code minCheckpointBytes} (tests: a small one). */
  static Store open(Path dir, long minCheckpointBytes) throws RocksDBException {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new RocksDBException("cannot create data directory " + dir + ": " + e.getMessage());
    }
    var cfOptions = new ColumnFamilyOptions().optimizeLevelStyleCompaction();
    var descriptors = new ArrayList<ColumnFamilyDescriptor>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    for (Family f : Family.values()) {
      descriptors.add(new ColumnFamilyDescriptor(f.cfName(), cfOptions));
    }
    // A bounded write-ahead log bounds recovery: past 64 MB, RocksDB flushes the memtables the log protects, so a
    // restart (after kill -9 too) replays at most that much instead of everything since the last flush.
    var dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
        .setMaxTotalWalSize(64L << 20);
    var handles = new ArrayList<ColumnFamilyHandle>();
    RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    try {
      return new Store(dbOptions, cfOptions, db, handles, minCheckpointBytes);
    } catch (RocksDBException | RuntimeException e) {
      // A store that cannot be read is closed again, so this process may open it once it is mended.
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      dbOptions.close();
      cfOptions.close();
      throw e;
    }
  }

  ColumnFamilyHandle handle(Family f) {
    return families.get(f);
  }

  /** The counters as of the last write prepared: Lamport clock, last transaction and operation sequence numbers. */
  public CountersRecord counters() {
    return counters;
  }

  Certificates certificates() {
    return certificates;
  }

  ProtocolLog protocolLog() {
    return protocolLog;
  }

  Batch newBatch() {
    return new Batch(this, counters);
  }

  /**
   * Writes {@code ready}'s ledger, protocol and counter changes, and the sessions opened and closed with it (token
   * hash → session, or empty when closed), in one atomic, durable (fsync) write, or throws having written nothing.
   */
  public void write(Ready ready, Map<String, Optional<Sessions.Session>> sessions) throws RocksDBException {
    commit(prepare(ready, sessions));
  }

  /**
   * A write built from a {@link Ready} (in the state of its values when it was built) and waiting to be made durable.
   * Writes are made durable in the order they were prepared: each one's counters are compared with the last one's.
   */
  public static final class Prepared implements AutoCloseable {
    private final Batch batch;
    private final WriteBatch sealed;

    private Prepared(Batch batch, WriteBatch sealed) {
      this.batch = batch;
      this.sealed = sealed;
    }

    /** The puts and deletes it holds. */
    int operations() {
      return sealed == null ? 0 : sealed.count();
    }

    /** Its size as RocksDB will log it: keys, values and framing. */
    long bytes() {
      return sealed == null ? 0 : sealed.getDataSize();
    }

    /** Its puts' key and value bytes by family, counted by RocksDB's own iteration of the write. */
    Map<Family, Long> bytesByFamily(Store store) throws RocksDBException {
      return sealed == null ? Map.of() : FamilyBytes.count(store, sealed);
    }

    /** Whether there is nothing to write (the answers behind it may still wait for the writes before it). */
    public boolean isEmpty() {
      return sealed == null;
    }

    @Override
    public void close() {
      batch.close();
    }
  }

  /**
   * Builds, on the thread that owns the values, the write of {@code ready} and the sessions opened and closed with it;
   * {@link #commit} makes it durable, on any one thread, in the order writes were prepared.
   */
  public Prepared prepare(Ready ready, Map<String, Optional<Sessions.Session>> sessions) throws RocksDBException {
    Batch b = newBatch();
    try {
      b.ledger(ready.ledger()).protocol(ready.protocol()).counters(ready.counters()).sessions(sessions);
      WriteBatch sealed = b.isEmpty() ? null : b.writeBatch();
      counters = b.counters();
      return new Prepared(b, sealed);
    } catch (RocksDBException | RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /** Makes a prepared write atomic and durable (fsync), or throws having written nothing of it. */
  public void commit(Prepared prepared) throws RocksDBException {
    commit(List.of(prepared));
  }

  /**
   * Makes prepared writes durable in their order with one fsync: each is written atomically, the last one synced,
   * which syncs the log holding them all. Throws if any failed; then none of them may be taken as durable.
   */
  public void commit(List<Prepared> group) throws RocksDBException {
    try {
      int last = -1;
      for (int i = 0; i < group.size(); i++) {
        if (group.get(i).sealed != null) {
          last = i;
        }
      }
      for (int i = 0; i <= last; i++) {
        if (group.get(i).sealed != null) {
          db.write(i == last ? syncWrites : groupedWrites, group.get(i).sealed);
        }
      }
      for (int i = 0; i <= last; i++) {
        certificates.madeDurable(group.get(i).batch.certificateIds());
      }
    } finally {
      group.forEach(Prepared::close);
    }
  }

  /** The stored sessions, by token hash. */
  public Map<String, Sessions.Session> sessions() throws RocksDBException {
    var out = new java.util.LinkedHashMap<String, Sessions.Session>();
    forEach(Family.SESSIONS, (key, value) -> {
      var r = parse(dev.distribank.proto.store.v1.SessionRecord.parser(), value);
      out.put(new String(key, UTF_8), new Sessions.Session(r.getLogin(),
          java.time.Instant.ofEpochMilli(r.getExpireEpochMillis())));
    });
    return out;
  }

  /** Writes the batch atomically and durably (fsync) or throws, having written nothing. */
  void write(Batch batch) throws RocksDBException {
    try (batch) {
      db.write(syncWrites, batch.writeBatch());
      counters = batch.counters();
      certificates.madeDurable(batch.certificateIds());
    }
  }

  /** Calls {@code visitor} with every value of a column family, in key order. */
  public void forEach(Family family, ValueVisitor visitor) throws RocksDBException {
    try (RocksIterator it = db.newIterator(handle(family))) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        visitor.visit(it.key(), it.value());
      }
      it.status();
    }
  }

  /** Receives one stored key and value. */
  @FunctionalInterface
  public interface ValueVisitor {
    void visit(byte[] key, byte[] value) throws RocksDBException;
  }

  /** Point reads of finished transactions and decided requests, for the ordering core. */
  public History history() {
    return new StoredHistory(this);
  }

  /** The value under {@code key} (UTF-8), or null. */
  byte[] get(Family family, String key) {
    try {
      return db.get(handle(family), key.getBytes(UTF_8));
    } catch (RocksDBException e) {
      throw new IllegalStateException("reading " + family + " failed: " + e.getMessage(), e);
    }
  }

  /** Up to {@code limit} of an account's entries with sequence above {@code afterSequence}, oldest first. */
  public List<LedgerEntry> statement(AccountId account, long afterSequence, int limit) throws RocksDBException {
    var out = new ArrayList<LedgerEntry>();
    byte[] start = Batch.entryKey(account.number(), afterSequence + 1);
    try (RocksIterator it = db.newIterator(handle(Family.ENTRIES))) {
      for (it.seek(start); it.isValid() && out.size() < limit; it.next()) {
        byte[] key = it.key();
        if (Longs.fromByteArray(key) != account.number()) {
          break;
        }
        long sequence = Longs.fromBytes(key[8], key[9], key[10], key[11], key[12], key[13], key[14], key[15]);
        out.add(LedgerRecords.fromRecord(parse(dev.distribank.proto.bank.v1.LedgerEntry.parser(), it.value()),
            account, sequence));
      }
      it.status();
    }
    return out;
  }

  /** An operation-log line and its position in the log. */
  public record LoggedOperation(long sequence, Operation operation) {}

  /** Up to {@code limit} operations with sequence below {@code beforeSequence}, newest first. */
  public List<LoggedOperation> operations(long beforeSequence, int limit) throws RocksDBException {
    var out = new ArrayList<LoggedOperation>();
    try (RocksIterator it = db.newIterator(handle(Family.OPERATION_RUNS))) {
      for (it.seekForPrev(Longs.toByteArray(beforeSequence - 1)); it.isValid() && out.size() < limit; it.prev()) {
        long first = Longs.fromByteArray(it.key());
        List<OperationRecord> run = parse(OperationRunRecord.parser(), it.value()).getOperationsList();
        for (long i = Math.min(run.size() - 1, beforeSequence - 1 - first); i >= 0 && out.size() < limit; i--) {
          out.add(new LoggedOperation(first + i, ProtocolRecords.fromRecord(run.get((int) i))));
        }
      }
      it.status();
    }
    // Lines stored one per record, by a node of an earlier version: all older than any run.
    try (RocksIterator it = db.newIterator(handle(Family.OPERATIONS))) {
      for (it.seekForPrev(Longs.toByteArray(beforeSequence - 1)); it.isValid() && out.size() < limit; it.prev()) {
        long sequence = Longs.fromByteArray(it.key());
        out.add(new LoggedOperation(sequence, ProtocolRecords.fromRecord(parse(OperationRecord.parser(), it.value()))));
      }
      it.status();
    }
    return out;
  }

  static <T> T parse(com.google.protobuf.Parser<T> parser, byte[] bytes) throws RocksDBException {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new RocksDBException("corrupt record: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    // Closing handles before the database, and options last, is the order RocksDB's Java docs require.
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    syncWrites.close();
    groupedWrites.close();
    dbOptions.close();
    cfOptions.close();
  }
}
