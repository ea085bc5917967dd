package dev.distribank.node.store;

import com.google.common.primitives.Longs;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.distribank.node.api.TypeProtos;
import dev.distribank.node.core.order.Coordination;
import dev.distribank.node.core.order.Message;
import dev.distribank.node.core.order.PendingVote;
import dev.distribank.node.core.order.ProtocolChanges;
import dev.distribank.node.store.Store.Family;
import dev.distribank.proto.store.v1.CoordinationRecord;
import dev.distribank.proto.store.v1.CoordinationStepRecord;
import dev.distribank.proto.store.v1.ProposalRecord;
import dev.distribank.proto.store.v1.ProtocolStepRecord;
import dev.distribank.proto.store.v1.VoteCommitRecord;
import dev.distribank.proto.store.v1.VoteRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.rocksdb.RocksDBException;

/**
 * The votes and coordinations in flight, kept as one record per write ({@code PROTOCOL_STEPS}, key: the step's
 * number) instead of one put per transaction per step: a batch of 1,000 transfers moving one step writes one record.
 * A record says only what changed: a vote once, and its commit as the final stamp alone; a coordination's proposal
 * once (shared with the vote on it written with it), its acks and decision once, and who has applied it as that
 * changes. What a bank recovers is the fold of its records in key order.
 *
 * <p>A checkpoint bounds the records: once those written since the last one hold more than the minimum ({@link
 * #MIN_CHECKPOINT_BYTES}) and {@value #LIVE_FACTOR} times what is live, a write deletes every earlier record (one
 * range deletion) and puts, as its own, everything live. The live state is kept here encoded, so a checkpoint copies
 * bytes and encodes nothing; this costs the memory of the votes and coordinations in flight, once more.
 *
 * <p>A store written before this kept one record per transaction in {@code VOTES} and {@code COORDINATIONS}: they
 * are read as the oldest state, and the first write after them is a checkpoint that deletes them.
 */
final class ProtocolLog {
  /** Records written since the last checkpoint are folded at start-up: at least this many bytes, 8 MB. */
  static final long MIN_CHECKPOINT_BYTES = 8L << 20;
  /** ... and this many times what is live, so a checkpoint writes at most a quarter of what the log took. */
  static final int LIVE_FACTOR = 4;

  private final long minCheckpointBytes;
  /** Transaction id → the stored vote (a {@code VoteRecord}); hashed, as ordered keys cost a string compare each. */
  private final HashMap<String, ByteString> votes = new HashMap<>();
  private final HashMap<String, StoredCoordination> coordinations = new HashMap<>();
  /** Transaction id → the vote last stored, as the core gave it (none after a restart): to store a commit alone. */
  private final HashMap<String, PendingVote> votesStored = new HashMap<>();
  /** Keys in {@code VOTES} and {@code COORDINATIONS}, of a store written before this log: deleted at checkpoint. */
  private final List<byte[]> legacyVotes = new ArrayList<>();
  private final List<byte[]> legacyCoordinations = new ArrayList<>();
  private long firstStep;
  private long nextStep;
  /** Bytes of the records from the last checkpoint on. */
  private long loggedBytes;
  private long liveBytes;

  private ProtocolLog(long minCheckpointBytes) {
    this.minCheckpointBytes = minCheckpointBytes;
  }

  /** The log stored under {@code store}, folded. */
  static ProtocolLog load(Store store, long minCheckpointBytes) throws RocksDBException {
    var log = new ProtocolLog(minCheckpointBytes);
    store.forEach(Family.VOTES, (key, value) -> {
      log.legacyVotes.add(key);
      log.putVote(ByteString.copyFrom(value), Store.parse(VoteRecord.parser(), value).getProposal()
          .getTransactionId());
    });
    store.forEach(Family.COORDINATIONS, (key, value) -> {
      log.legacyCoordinations.add(key);
      var r = Store.parse(CoordinationRecord.parser(), value);
      var whole = CoordinationStepRecord.newBuilder().setTransactionId(r.getProposal().getTransactionId())
          .setProposal(r.getProposal()).addAllAcks(r.getAcksList()).setAcksChanged(true)
          .addAllApplied(r.getAppliedList()).setAppliedChanged(true);
      if (r.hasDecision()) {
        whole.setDecision(r.getDecision());
      }
      log.fold(whole.build());
    });
    long[] steps = {-1, -1};
    store.forEach(Family.PROTOCOL_STEPS, (key, value) -> {
      long step = Longs.fromByteArray(key);
      if (steps[0] < 0) {
        steps[0] = step;
      }
      steps[1] = step;
      log.loggedBytes += value.length;
      ProtocolStepRecord r = Store.parse(ProtocolStepRecord.parser(), value);
      for (VoteRecord v : r.getVotesList()) {
        log.putVote(v.toByteString(), v.getProposal().getTransactionId());
      }
      for (VoteCommitRecord commit : r.getCommittedVotesList()) {
        log.commitVote(commit);
      }
      r.getForgottenVotesList().forEach(log::forgetVote);
      for (CoordinationStepRecord c : r.getCoordinationsList()) {
        log.fold(c);
      }
      r.getForgottenCoordinationsList().forEach(log::forgetCoordination);
    });
    log.firstStep = Math.max(0, steps[0]);
    log.nextStep = steps[1] + 1;
    return log;
  }

  /** The votes in flight, by transaction id. */
  List<VoteRecord> votes() throws RocksDBException {
    var out = new ArrayList<VoteRecord>(votes.size());
    for (ByteString v : new TreeMap<>(votes).values()) {
      out.add(Store.parse(VoteRecord.parser(), v.toByteArray()));
    }
    return out;
  }

  /** The coordinations in flight, by transaction id. */
  List<CoordinationRecord> coordinations() throws RocksDBException {
    var out = new ArrayList<CoordinationRecord>(coordinations.size());
    for (StoredCoordination c : new TreeMap<>(coordinations).values()) {
      CoordinationStepRecord r = Store.parse(CoordinationStepRecord.parser(), c.whole().toByteArray());
      var b = CoordinationRecord.newBuilder().setProposal(r.getProposal()).addAllAcks(r.getAcksList())
          .addAllApplied(r.getAppliedList());
      if (r.hasDecision()) {
        b.setDecision(r.getDecision());
      }
      out.add(b.build());
    }
    return out;
  }

  /** Adds to {@code batch} the record of {@code changes}' votes and coordinations, if they changed any. */
  void write(ProtocolChanges changes, Batch batch) throws RocksDBException {
    // A coordinator voting on its own proposal stores it twice in one write (in the vote and the coordination), from
    // one object: encoded once.
    var proposals = new IdentityHashMap<Message.Propose, ProposalRecord>();
    Function<Message.Propose, ProposalRecord> proposalRecords = p -> proposals.computeIfAbsent(p,
        ProtocolRecords::toRecord);
    var voteEntries = new ArrayList<ByteString>();
    var committedVotes = new ArrayList<ByteString>();
    var forgottenVotes = new ArrayList<String>();
    for (Map.Entry<String, Optional<PendingVote>> e : changes.votes().entrySet()) {
      String txn = e.getKey();
      if (e.getValue().isPresent()) {
        PendingVote v = e.getValue().get();
        PendingVote before = votesStored.put(txn, v);
        if (onlyCommitted(before, v)) {
          var commit = VoteCommitRecord.newBuilder().setTransactionId(txn)
              .setFinalStamp(TypeProtos.toProto(v.finalStamp())).build();
          commitVote(commit);
          committedVotes.add(commit.toByteString());
        } else {
          ByteString vote = ProtocolRecords.toRecord(v, proposalRecords.apply(v.proposal())).toByteString();
          putVote(vote, txn);
          voteEntries.add(vote);
        }
      } else {
        votesStored.remove(txn);
        if (forgetVote(txn)) {
          forgottenVotes.add(txn);
        }
      }
    }
    var coordinationEntries = new ArrayList<ByteString>();
    var forgottenCoordinations = new ArrayList<String>();
    ProtocolRecords.CertificateRefs refs = text -> batch.certificateReference(text);
    for (Map.Entry<String, Optional<Coordination>> e : changes.coordinations().entrySet()) {
      if (e.getValue().isPresent()) {
        StoredCoordination stored = coordinations.computeIfAbsent(e.getKey(), txn -> new StoredCoordination());
        liveBytes -= stored.size();
        ByteString changed = stored.update(e.getValue().get(), proposalRecords, refs);
        liveBytes += stored.size();
        if (changed != null) {
          coordinationEntries.add(changed);
        }
      } else if (forgetCoordination(e.getKey())) {
        forgottenCoordinations.add(e.getKey());
      }
    }
    boolean legacy = !legacyVotes.isEmpty() || !legacyCoordinations.isEmpty();
    if (voteEntries.isEmpty() && committedVotes.isEmpty() && forgottenVotes.isEmpty() && coordinationEntries.isEmpty()
        && forgottenCoordinations.isEmpty() && !legacy) {
      return;
    }
    long step = nextStep++;
    byte[] record;
    if (legacy || loggedBytes >= minCheckpointBytes && loggedBytes >= LIVE_FACTOR * liveBytes) {
      record = encode(List.copyOf(votes.values()), List.of(), List.of(),
          coordinations.values().stream().map(StoredCoordination::whole).toList(), List.of());
      if (step > firstStep) {
        batch.deleteRange(Family.PROTOCOL_STEPS, Longs.toByteArray(firstStep), Longs.toByteArray(step));
      }
      for (byte[] key : legacyVotes) {
        batch.delete(Family.VOTES, key);
      }
      for (byte[] key : legacyCoordinations) {
        batch.delete(Family.COORDINATIONS, key);
      }
      legacyVotes.clear();
      legacyCoordinations.clear();
      firstStep = step;
      loggedBytes = 0;
    } else {
      record = encode(voteEntries, committedVotes, forgottenVotes, coordinationEntries, forgottenCoordinations);
    }
    loggedBytes += record.length;
    batch.put(Family.PROTOCOL_STEPS, Longs.toByteArray(step), record);
  }

  /** The bytes the votes and coordinations in flight take, encoded. */
  long liveBytes() {
    return liveBytes;
  }

  /** {@link #liveBytes}, counted again from what is live (for tests: the running count must not drift). */
  long liveBytesCounted() {
    long n = 0;
    for (ByteString v : votes.values()) {
      n += v.size();
    }
    for (StoredCoordination c : coordinations.values()) {
      n += c.size();
    }
    return n;
  }

  /** The records a start-up folds: from the last checkpoint to the last write. */
  long steps() {
    return nextStep - firstStep;
  }

  /** Whether {@code now} is {@code before} committed, and nothing else changed: then the commit is stored alone. */
  private static boolean onlyCommitted(PendingVote before, PendingVote now) {
    return before != null && !before.committed() && now.committed() && before.proposal() == now.proposal()
        && before.proposed() == now.proposed() && before.reservation() == now.reservation();
  }

  /** Adds a commit to the stored vote: a vote's record followed by one holding only its final stamp is the whole. */
  private void commitVote(VoteCommitRecord commit) throws RocksDBException {
    String txn = commit.getTransactionId();
    ByteString vote = votes.get(txn);
    if (vote == null) {
      throw new RocksDBException("corrupt protocol log: a commit of vote " + txn + ", never cast");
    }
    putVote(vote.concat(VoteRecord.newBuilder().setFinalStamp(commit.getFinalStamp()).build().toByteString()), txn);
  }

  private void putVote(ByteString vote, String txn) {
    ByteString old = votes.put(txn, vote);
    liveBytes += vote.size() - (old == null ? 0 : old.size());
  }

  private boolean forgetVote(String txn) {
    ByteString old = votes.remove(txn);
    if (old != null) {
      liveBytes -= old.size();
    }
    return old != null;
  }

  private boolean forgetCoordination(String txn) {
    StoredCoordination old = coordinations.remove(txn);
    if (old != null) {
      liveBytes -= old.size();
    }
    return old != null;
  }

  /** Folds a stored change into the coordination it names. */
  private void fold(CoordinationStepRecord r) throws RocksDBException {
    String txn = r.getTransactionId();
    StoredCoordination old = coordinations.get(txn);
    if (old == null && !r.hasProposal()) {
      throw new RocksDBException("corrupt protocol log: a change to coordination " + txn + ", never proposed");
    }
    StoredCoordination stored = r.hasProposal() ? new StoredCoordination() : old;
    liveBytes -= old == null ? 0 : old.size();
    stored.fold(r);
    coordinations.put(txn, stored);
    liveBytes += stored.size();
  }

  private static byte[] encode(List<ByteString> votes, List<ByteString> committedVotes, List<String> forgottenVotes,
      List<ByteString> coordinations, List<String> forgottenCoordinations) {
    int size = 0;
    for (ByteString v : votes) {
      size += CodedOutputStream.computeBytesSize(ProtocolStepRecord.VOTES_FIELD_NUMBER, v);
    }
    for (ByteString c : committedVotes) {
      size += CodedOutputStream.computeBytesSize(ProtocolStepRecord.COMMITTED_VOTES_FIELD_NUMBER, c);
    }
    for (String t : forgottenVotes) {
      size += CodedOutputStream.computeStringSize(ProtocolStepRecord.FORGOTTEN_VOTES_FIELD_NUMBER, t);
    }
    for (ByteString c : coordinations) {
      size += CodedOutputStream.computeBytesSize(ProtocolStepRecord.COORDINATIONS_FIELD_NUMBER, c);
    }
    for (String t : forgottenCoordinations) {
      size += CodedOutputStream.computeStringSize(ProtocolStepRecord.FORGOTTEN_COORDINATIONS_FIELD_NUMBER, t);
    }
    // An embedded message and a length-delimited field of its encoded bytes are the same on the wire.
    byte[] out = new byte[size];
    CodedOutputStream stream = CodedOutputStream.newInstance(out);
    try {
      for (ByteString v : votes) {
        stream.writeBytes(ProtocolStepRecord.VOTES_FIELD_NUMBER, v);
      }
      for (ByteString c : committedVotes) {
        stream.writeBytes(ProtocolStepRecord.COMMITTED_VOTES_FIELD_NUMBER, c);
      }
      for (String t : forgottenVotes) {
        stream.writeString(ProtocolStepRecord.FORGOTTEN_VOTES_FIELD_NUMBER, t);
      }
      for (ByteString c : coordinations) {
        stream.writeBytes(ProtocolStepRecord.COORDINATIONS_FIELD_NUMBER, c);
      }
      for (String t : forgottenCoordinations) {
        stream.writeString(ProtocolStepRecord.FORGOTTEN_COORDINATIONS_FIELD_NUMBER, t);
      }
      stream.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding a protocol step into its own exact size", e);
    }
    return out;
  }
}
