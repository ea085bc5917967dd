package dev.distribank.node.core.order;

import static com.google.common.base.Preconditions.checkArgument;

import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.Escrow;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Stamp;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;

/**
 * One bank's ordering protocol as a state machine (DESIGN §4): client transactions and peer messages go in;
 * messages to send, state to persist and client answers come out as {@link Effects}. No I/O, no threads, no clock.
 *
 * <p>Messages to this bank itself (it is always a participant of what it coordinates when it owns an account in it)
 * are handled at once, in-process, so a single-bank transaction runs propose → vote → decide → apply in one call.
 */
public final class OrderCore {
  private final String self;
  private final Set<String> members;
  private final Participant participant;
  private final Coordinator coordinator;
  private final Bank bank;
  private final VoteSigner signer;
  /** Banks the health watch reports down: new transactions touching them are refused at once. */
  private final Set<String> down = new java.util.TreeSet<>();
  /** Audit snapshots waiting for every transaction up to their cut to be decided and applied: {tag, cut}. */
  private final List<long[]> snapshotWaiters = new java.util.ArrayList<>();
  private final ArrayDeque<Envelope> toSelf = new ArrayDeque<>();
  private Effects effects = new Effects();
  private long clock;
  private long lastTransactionSeq;

  /** A bank alone: it signs no votes and commits on no other bank's word. */
  public OrderCore(String self, Set<String> members, Bank bank) {
    this(self, members, bank, History.NONE, VoteSigner.ALONE);
  }

  /** A bank alone whose core looks up finished transactions and decided requests in {@code history}. */
  public OrderCore(String self, Set<String> members, Bank bank, History history) {
    this(self, members, bank, history, VoteSigner.ALONE);
  }

  /**
   * A bank's core that looks up finished transactions and decided requests in {@code history} and signs its YES
   * votes, and checks other banks', with {@code signer}.
   */
  public OrderCore(String self, Set<String> members, Bank bank, History history, VoteSigner signer) {
    checkArgument(members.contains(self), "%s is not among the members %s", self, members);
    this.self = self;
    this.members = Set.copyOf(members);
    this.bank = bank;
    this.signer = signer;
    this.participant = new Participant(this, new Escrow(bank), history);
    this.coordinator = new Coordinator(this, history);
  }

  public String self() {
    return self;
  }

  VoteSigner signer() {
    return signer;
  }

  /**
   * The first bank other than this one whose money {@code p} moves and whose signed YES on {@code p} is not among
   * {@code votes}, or null when every such bank's is there and valid. Only a bank that receives in {@code p} needs the
   * proof: one that only pays agreed to pay by its own vote, and the banks it pays check for themselves.
   */
  String unprovenDebtor(Message.Propose p, java.util.Map<String, VoteSignature> votes) {
    if (!p.receives(self)) {
      return null;
    }
    for (Leg leg : p.legs()) {
      if (!leg.debits() || leg.from().bank().equals(self)) {
        continue;
      }
      String debtor = leg.from().bank();
      VoteSignature vote = votes.get(debtor);
      if (vote == null || !signer.verify(debtor, Votes.digest(p, debtor), vote)) {
        return debtor;
      }
    }
    return null;
  }

  public long clock() {
    return clock;
  }

  public long lastTransactionSeq() {
    return lastTransactionSeq;
  }

  /** A client's transaction, validated for shape; the answer comes back as a reply tagged {@code tag}. */
  public void submit(long tag, Principal principal, List<Leg> legs, String requestId) {
    coordinator.submit(tag, principal, legs, requestId);
    pump();
  }

  /** A message from another bank. */
  public void receive(Envelope envelope) {
    checkArgument(envelope.to().equals(self), "message for %s delivered to %s", envelope.to(), self);
    dispatch(envelope);
    pump();
  }

  /** How many ticks between re-sends of unanswered messages. */
  public static final int RESEND_TICKS = 5;
  /** How many ticks a coordinator waits for votes before it aborts. */
  public static final int ABORT_TICKS = 50;
  /** How many ticks a client waits, after COMMIT, for a slow participant to confirm before it is answered. */
  public static final int ANSWER_TICKS = 10;
  /** How many ticks a participant waits for a decision before it asks the coordinator. */
  public static final int INQUIRE_TICKS = 75;

  /** Time passes: one tick (the node ticks every 200 ms). Drives re-sends and vote time-outs. */
  public void tick() {
    coordinator.tick(RESEND_TICKS, ABORT_TICKS, ANSWER_TICKS);
    participant.tick(INQUIRE_TICKS, RESEND_TICKS);
    pump();
  }

  /**
   * An audit's cut at {@code atCounter}: raise the clock past it (so every later proposal here lands after the cut),
   * then answer this bank's totals as of the cut once nothing up to it is still undecided or unapplied here.
   */
  public void snapshot(long tag, long atCounter) {
    observe(new Stamp(atCounter, ""));
    snapshotWaiters.add(new long[] {tag, atCounter});
    pump();
  }

  /** Everything produced since the last call; the caller persists, then sends and answers. */
  public Effects takeEffects() {
    Effects out = effects;
    effects = new Effects();
    return out;
  }

  // ---- for Participant and Coordinator ----

  Effects effects() {
    return effects;
  }

  public boolean isMember(String bank) {
    return members.contains(bank);
  }

  /** A local customer's tax id, or null: only for reading request fingerprints stored by older versions. */
  String taxIdOf(String login) {
    var customer = bank.findCustomer(login);
    return customer == null ? null : customer.taxId();
  }

  boolean isDown(String bank) {
    return down.contains(bank);
  }

  /**
   * The stream to {@code bank} is (again) up: re-send what it has not acknowledged, as coordinator and as participant,
   * instead of waiting for the next periodic re-send.
   */
  public void linkUp(String bank) {
    coordinator.resendTo(bank);
    participant.inquireOf(bank);
    pump();
  }

  /** The health watch saw {@code bank} go up or down. */
  public void peerState(String bank, boolean up) {
    if (up) {
      down.remove(bank);
    } else if (!bank.equals(self)) {
      down.add(bank);
      coordinator.onPeerDown(bank);
      pump();
    }
  }

  void send(String to, Message message) {
    var envelope = new Envelope(self, to, message);
    if (to.equals(self)) {
      toSelf.add(envelope);
    } else {
      effects.send(envelope);
    }
  }

  /** Ticks the Lamport clock for a new proposal. */
  Stamp nextStamp() {
    clock++;
    effects.changes().countersChanged();
    return new Stamp(clock, self);
  }

  /** Lamport receive rule: the clock never falls behind a timestamp this bank has seen. */
  void observe(Stamp stamp) {
    if (stamp.counter() > clock) {
      clock = stamp.counter();
      effects.changes().countersChanged();
    }
  }

  String nextTransactionId() {
    lastTransactionSeq++;
    effects.changes().countersChanged();
    return self + "-" + lastTransactionSeq;
  }

  private void pump() {
    Envelope next;
    while ((next = toSelf.poll()) != null) {
      dispatch(next);
    }
    if (!snapshotWaiters.isEmpty()) {
      long lowest = participant.lowestQueuedCounter();
      for (var it = snapshotWaiters.iterator(); it.hasNext(); ) {
        long[] waiter = it.next();
        if (lowest > waiter[1]) {
          if (bank.auditTrail().remembers(waiter[1])) {
            effects.snapshot(waiter[0], bank.auditTrail().asOf(waiter[1], bank, members));
          } else {
            effects.snapshotRefused(waiter[0], "bank " + self + " restarted after the audit's cut " + waiter[1]
                + "; audit again");
          }
          it.remove();
        }
      }
    }
  }

  /**
   * Hands a message to the side it is for, once it is known to speak for its sender: a proposal only from the
   * coordinator it names, a vote, confirmation or inquiry only in the name of the bank that sent it. Anything else is
   * a peer fault: refused, reported, and it changes nothing (it never stops this bank).
   */
  private void dispatch(Envelope e) {
    String claimed = switch (e.message()) {
      case Message.Propose p -> p.coordinator();
      case Message.Ack a -> a.from();
      case Message.Applied a -> a.from();
      case Message.Inquire q -> q.from();
      case Message.Decide d -> e.from();
    };
    if (!claimed.equals(e.from())) {
      fault(e.from(), e.message().transactionId(), "the message speaks for bank " + claimed);
      return;
    }
    switch (e.message()) {
      case Message.Propose p -> participant.onPropose(p);
      case Message.Ack a -> coordinator.onAck(a);
      case Message.Decide d -> participant.onDecide(e.from(), d);
      case Message.Applied a -> coordinator.onApplied(a);
      case Message.Inquire q -> coordinator.onInquire(q);
    }
  }

  /**
   * Whether {@code transactionId} is one bank {@code coordinator} numbered: {@code <coordinator>-<sequence>}. A bank
   * may propose and decide only its own, so it cannot pre-empt or answer for another's.
   */
  static boolean numberedBy(String transactionId, String coordinator) {
    int dash = transactionId.lastIndexOf('-');
    return dash > 0 && transactionId.substring(0, dash).equals(coordinator) && dash + 1 < transactionId.length()
        && dash + 20 >= transactionId.length()
        && transactionId.substring(dash + 1).chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** A peer's message contradicts what this bank knows: refuse it, change nothing, report it (with the sender). */
  void fault(String from, String transactionId, String why) {
    effects.fault(new Effects.PeerFault(from, transactionId, why));
  }

  // ---- recovery: rebuild from the store, then resume ----

  public void restoreCounters(long storedClock, long storedTransactionSeq) {
    clock = storedClock;
    lastTransactionSeq = storedTransactionSeq;
  }

  public void restore(PendingVote vote) {
    participant.restore(vote);
    observe(vote.queueKey());
  }

  /** Seeds the memory of a finished transaction (for a store that keeps no {@link History} of its own). */
  public void restoreFinished(String transactionId, boolean committed) {
    participant.restoreFinished(transactionId, committed);
  }

  /** Seeds the memory of a decided request (for a store that keeps no {@link History} of its own). */
  public void restore(RequestRecord request) {
    coordinator.restore(request);
  }

  public void restore(Coordination coordination) {
    coordinator.restore(coordination);
  }

  /** After restoring: applies what became deliverable and re-sends undelivered decisions. */
  public void resume() {
    participant.resume();
    coordinator.resendDecisions();
    pump();
  }

  /** YES votes still waiting for their decision: transactions in doubt here. */
  public int undecidedVotes() {
    return participant.undecidedCount();
  }

  public int pendingVotes() {
    return participant.pendingCount();
  }

  public int activeCoordinations() {
    return coordinator.activeCount();
  }
}
