package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Stamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A transaction this bank coordinates: the votes in so far, the decision once made, and who has applied it. Stored
 * durably from the moment it is decided until every participant has applied (presumed abort before that).
 */
public final class Coordination {
  private final Message.Propose proposal;
  private final Map<String, Message.Ack> acks = new LinkedHashMap<>();
  private final TreeSet<String> applied = new TreeSet<>();
  private final List<Long> waitingClients = new ArrayList<>();
  /** Those of {@link #waitingClients} that are retries of the request (their answer says replayed). */
  private final java.util.Set<Long> retries = new java.util.HashSet<>();
  private Message.Decide decision;
  /** Ticks since the last (re)send of this coordination's pending messages; not stored. */
  private int quietTicks;
  /** Ticks since the proposal went out, while undecided; not stored. */
  private int undecidedTicks;
  /** Ticks since the decision, while some participant has not confirmed applying it; not stored. */
  private int decidedTicks;
  /**
   * The last step that decided it or applied this bank's part of it; -1 when restored (both happened before the
   * restart). Not stored.
   */
  private long lastLocalStep = -1;
  /** Re-sends since the proposal, or since the decision: each waits twice as long as the one before (capped). */
  private int resends;
  /** The longest wait between re-sends, in re-send intervals: 16 (16 s by default). */
  private static final int MAX_BACKOFF_SHIFT = 4;

  Coordination(Message.Propose proposal) {
    this.proposal = proposal;
  }

  /** A decided coordination as recovered from the store. */
  public static Coordination restored(Message.Propose proposal, Map<String, Message.Ack> acks,
      Message.Decide decision, Iterable<String> applied) {
    var c = new Coordination(proposal);
    c.acks.putAll(acks);
    c.decision = decision;
    applied.forEach(c.applied::add);
    return c;
  }

  public Message.Propose proposal() {
    return proposal;
  }

  public String transactionId() {
    return proposal.transactionId();
  }

  public Map<String, Message.Ack> acks() {
    return acks;
  }

  public Message.Decide decision() {
    return decision;
  }

  public TreeSet<String> applied() {
    return applied;
  }

  List<Long> waitingClients() {
    return waitingClients;
  }

  /** A retry of this transaction's request waits for the same answer, marked replayed. */
  void addRetry(long tag) {
    waitingClients.add(tag);
    retries.add(tag);
  }

  boolean isRetry(long tag) {
    return retries.contains(tag);
  }

  boolean allVoted() {
    return acks.keySet().containsAll(proposal.participants());
  }

  boolean allApplied() {
    return applied.containsAll(proposal.participants());
  }

  /** Counts one tick; true when it is time to re-send what is unanswered. */
  boolean tickResend(int resendTicks) {
    if (decision == null) {
      undecidedTicks++;
    } else {
      decidedTicks++;
    }
    // Backing off: a participant slow to answer is usually busy, not deaf (a lost link re-sends at once when it comes
    // back), and re-sending everything every interval to a busy bank makes it busier.
    if (++quietTicks < resendTicks << Math.min(resends, MAX_BACKOFF_SHIFT)) {
      return false;
    }
    quietTicks = 0;
    resends++;
    return true;
  }

  /** It was decided, or this bank applied its own part of it, in step {@code stepNumber}. */
  void changedHereIn(long stepNumber) {
    lastLocalStep = stepNumber;
  }

  /**
   * Whether it was decided and this bank's own part applied (so both written) in steps before {@code stepNumber}:
   * then an answer rests on nothing the current step writes.
   */
  boolean settledHereBefore(long stepNumber) {
    return decision != null && lastLocalStep < stepNumber;
  }

  int undecidedTicks() {
    return undecidedTicks;
  }

  int decidedTicks() {
    return decidedTicks;
  }

  /** ABORT without waiting for the missing votes: a participant did not answer in time. */
  Message.Decide abort(Rejection why) {
    decision = new Message.Decide(transactionId(), false, null, why);
    resends = 0;
    quietTicks = 0;
    return decision;
  }

  /**
   * COMMIT at the largest proposed timestamp, carrying every participant's signed YES, if every vote is YES; else
   * ABORT with the lowest failing leg's NO.
   */
  Message.Decide decide() {
    Stamp fin = null;
    Rejection firstNo = null;
    int firstNoLeg = Integer.MAX_VALUE;
    for (Message.Ack ack : acks.values()) {
      if (ack.yes()) {
        fin = fin == null ? ack.proposed() : Stamp.max(fin, ack.proposed());
      } else {
        int leg = Math.max(0, ack.refusal().failedLeg());
        if (leg < firstNoLeg) {
          firstNoLeg = leg;
          firstNo = ack.refusal();
        }
      }
    }
    var votes = new java.util.TreeMap<String, VoteSignature>();
    acks.values().stream().filter(a -> a.signature() != null).forEach(a -> votes.put(a.from(), a.signature()));
    resends = 0;
    quietTicks = 0;
    decision = firstNo == null
        ? new Message.Decide(transactionId(), true, fin, null, votes)
        : new Message.Decide(transactionId(), false, null, firstNo);
    return decision;
  }
}
