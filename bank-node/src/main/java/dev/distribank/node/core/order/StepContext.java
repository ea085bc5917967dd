package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.AuditTrail;
import dev.distribank.node.core.ledger.Changes;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Stamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What the protocol's two halves, {@link Participant} and {@link Coordinator}, may do in a step, and all they may
 * ask: send a message, persist a change, reply to a client, report a peer fault, stamp and observe Lamport time,
 * number a transaction; who this bank is, which banks are members and which are down, the signer and the timing.
 * It gathers what the steps produce until {@link OrderCore#ready()} hands it out.
 */
final class StepContext {
  private final String self;
  private final Set<String> members;
  private final Set<String> down = new TreeSet<>();
  private final VoteSigner signer;
  private final OrderConfig config;
  private final Function<String, String> taxIdOf;
  private final ArrayDeque<Envelope> toSelf = new ArrayDeque<>();
  private ProtocolChanges changes = new ProtocolChanges();
  private List<Envelope> outbound = new ArrayList<>();
  private List<Ready.Reply> replies = new ArrayList<>();
  private List<Envelope> earlyOutbound = new ArrayList<>();
  private List<Ready.Reply> earlyReplies = new ArrayList<>();
  private List<Ready.SnapshotReply> snapshots = new ArrayList<>();
  private List<Ready.PeerFault> faults = new ArrayList<>();
  /** This step's YES votes to sign, all at once, when its output is handed out. */
  private List<VoteSignature> unsigned = new ArrayList<>();
  private long clock;
  private long lastTransactionSeq;
  /** Transaction numbers up to this one are reserved: the store holds this, so a restart never reuses one. */
  private long reservedSeq;
  /** {@link #reservedSeq} as handed out before this step: durable once every earlier step's write is. */
  private long reservedBefore;
  /** How many times {@link #take} handed out a step's output: the number of the step now running. */
  private long stepNumber;

  /**
   * Transaction numbers are reserved this many at a time, and the reservation is extended when half is used: so a
   * proposal almost never waits for its number to be durable, and a restart skips at most this many numbers.
   */
  static final long RESERVED_NUMBERS = 1_000;

  StepContext(String self, Set<String> members, VoteSigner signer, OrderConfig config,
      Function<String, String> taxIdOf) {
    this.self = self;
    this.members = Set.copyOf(members);
    this.signer = signer;
    this.config = config;
    this.taxIdOf = taxIdOf;
  }

  String self() {
    return self;
  }

  boolean isMember(String bank) {
    return members.contains(bank);
  }

  Set<String> members() {
    return members;
  }

  boolean isDown(String bank) {
    return down.contains(bank);
  }

  Set<String> down() {
    return down;
  }

  VoteSigner signer() {
    return signer;
  }

  OrderConfig config() {
    return config;
  }

  /** A local customer's tax id, or null: only for reading request fingerprints stored by the oldest versions. */
  String taxIdOf(String login) {
    return taxIdOf.apply(login);
  }

  // ---- what a step produces ----

  /** Sends {@code message} to {@code to}; to this bank itself, it is handled within the same step. */
  void send(String to, Message message) {
    var envelope = new Envelope(self, to, message);
    if (to.equals(self)) {
      toSelf.add(envelope);
    } else {
      outbound.add(envelope);
    }
  }

  /** The next message this bank sent itself, or null. */
  Envelope nextToSelf() {
    return toSelf.poll();
  }

  /** This bank's signature on the vote digest {@code digest}, made with the step's others at {@link #take}. */
  VoteSignature signLater(byte[] digest) {
    VoteSignature pending = VoteSignature.pending(digest);
    unsigned.add(pending);
    return pending;
  }

  /**
   * Sends {@code message} to another bank as soon as every earlier step's write is durable, without waiting for this
   * step's: only for a message that nothing of this step explains (a proposal: presumed abort needs nothing durable
   * before it, DESIGN §6). To this bank itself it is handled within the same step, as {@link #send}.
   */
  void sendEarly(String to, Message message) {
    if (to.equals(self)) {
      send(to, message);
    } else {
      earlyOutbound.add(new Envelope(self, to, message));
    }
  }

  void reply(long tag, Outcome outcome) {
    replies.add(new Ready.Reply(tag, outcome));
  }

  /** {@link #reply}, given once every earlier step's write is durable: for an answer that only they explain. */
  void replyEarly(long tag, Outcome outcome) {
    earlyReplies.add(new Ready.Reply(tag, outcome));
  }

  /** A peer's message contradicts what this bank knows: it changed nothing; report it, with the sender. */
  void fault(String from, String transactionId, String why) {
    faults.add(new Ready.PeerFault(from, transactionId, why));
  }

  void snapshot(long tag, AuditTrail.Snapshot snapshot) {
    snapshots.add(new Ready.SnapshotReply(tag, snapshot, null));
  }

  void snapshotRefused(long tag, String why) {
    snapshots.add(new Ready.SnapshotReply(tag, null, Rejection.of(Reason.AUDIT_CUT_FORGOTTEN, "", why)));
  }

  void persistVote(String transactionId, PendingVote vote) {
    changes.vote(transactionId, vote);
  }

  void persistCoordination(String transactionId, Coordination coordination) {
    changes.coordination(transactionId, coordination);
  }

  void persistRequest(RequestRecord request) {
    changes.request(request);
  }

  void persistOperation(Operation operation) {
    changes.operation(operation);
  }

  void persistVotedRequest(String key, String transactionId) {
    changes.votedRequest(key, transactionId);
  }

  /** An in-doubt vote settled with another participant's word: reported, for the log and the metrics. */
  void settledByPeer(String transactionId, String peer, boolean committed) {
    changes.settledByPeer(new ProtocolChanges.SettledByPeer(transactionId, peer, committed));
  }

  /** A COMMIT this bank adopted, kept for the other participants that may consult it (cooperative termination). */
  void persistSettled(Message.Decide commit) {
    changes.settled(commit);
  }

  // ---- Lamport time and transaction numbers ----

  /** Ticks the Lamport clock for a new proposal. */
  Stamp stamp() {
    clock++;
    return new Stamp(clock, self);
  }

  /** Lamport receive rule: the clock never falls behind a timestamp this bank has seen. */
  void observe(Stamp stamp) {
    clock = Math.max(clock, stamp.counter());
  }

  String nextTransactionId() {
    lastTransactionSeq++;
    if (lastTransactionSeq > reservedSeq - RESERVED_NUMBERS / 2) {
      reservedSeq = lastTransactionSeq + RESERVED_NUMBERS;
    }
    return self + "-" + lastTransactionSeq;
  }

  /**
   * Whether the number last given out was reserved by an earlier step, so that it is durable before anything of
   * this step leaves early: a proposal under it may then go out before this step's write.
   */
  boolean lastNumberReservedEarlier() {
    return lastTransactionSeq <= reservedBefore;
  }

  long stepNumber() {
    return stepNumber;
  }

  long clock() {
    return clock;
  }

  long lastTransactionSeq() {
    return lastTransactionSeq;
  }

  /**
   * Recovery: {@code storedTransactionSeq} is the last reserved number (a crash may have lost the record of any
   * numbers used under it), so numbering resumes after it.
   */
  void restoreCounters(long storedClock, long storedTransactionSeq) {
    clock = storedClock;
    lastTransactionSeq = storedTransactionSeq;
    reservedSeq = storedTransactionSeq;
    reservedBefore = storedTransactionSeq;
  }

  /** Hands out what the steps produced since the last call, with the ledger's changes and the counters. */
  Ready take(Changes ledger, AuditTrail trail) {
    if (!unsigned.isEmpty()) {
      List<byte[]> digests = unsigned.stream().map(VoteSignature::pendingDigest).toList();
      List<VoteSignature> made = config.batchVoteSignatures() ? VoteBatch.sign(signer, digests)
          : digests.stream().map(d -> VoteBatch.sign(signer, List.of(d)).get(0)).toList();
      for (int i = 0; i < made.size(); i++) {
        unsigned.get(i).resolve(made.get(i));
      }
      unsigned = new ArrayList<>();
    }
    var ready = new Ready(ledger, changes, new Ready.Counters(clock, reservedSeq, trail.depositsCents(),
        trail.withdrawalsCents(), new java.util.TreeMap<>(trail.flows())), outbound, replies, snapshots, faults,
        new Ready.Early(earlyOutbound, earlyReplies));
    changes = new ProtocolChanges();
    outbound = new ArrayList<>();
    replies = new ArrayList<>();
    earlyOutbound = new ArrayList<>();
    earlyReplies = new ArrayList<>();
    reservedBefore = reservedSeq;
    stepNumber++;
    snapshots = new ArrayList<>();
    faults = new ArrayList<>();
    return ready;
  }
}
