package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.Escrow;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Reservation;
import dev.distribank.node.core.ledger.Stamp;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bank's participant side of the protocol: votes on proposals by holding funds, and delivers committed transactions
 * strictly in timestamp order (a committed transaction waits while any undecided one here has a smaller proposed
 * timestamp: it might still commit below it).
 */
final class Participant {
  private final StepContext step;
  private final Escrow escrow;
  /** YES votes not yet applied, by transaction id. */
  private final Map<String, PendingVote> pending = new HashMap<>();
  /** The same votes by queue key: proposed timestamp until committed, then final timestamp. */
  private final TreeMap<Stamp, PendingVote> queue = new TreeMap<>();
  /** NO votes awaiting the (necessarily ABORT) decision, so a re-sent proposal gets the same answer. */
  private final Map<String, Message.Ack> refusals = new HashMap<>();
  /** The proposals behind {@link #refusals}, for the operation log. */
  private final Map<String, Message.Propose> refused = new HashMap<>();
  /** COMMITs adopted here that other participants may consult this bank about; older ones in history. */
  private final Map<String, Message.Decide> adopted = new RecentMap<>();
  /** Transactions applied (true) or aborted (false) here: a repeated message about them is answered, not redone. */
  private final Map<String, Boolean> finished = new RecentMap<>();
  private final History history;
  /** Ticks each undecided YES vote has waited for its decision; not stored (restarts count afresh). */
  private final Map<String, Integer> waitingTicks = new HashMap<>();
  private final SpentRequests spentRequests;

  Participant(StepContext step, Escrow escrow, History history) {
    this.step = step;
    this.escrow = escrow;
    this.history = history;
    this.spentRequests = new SpentRequests(step, escrow, history);
  }

  void onPropose(Message.Propose p) {
    String txn = p.transactionId();
    if (!OrderCore.numberedBy(txn, p.coordinator())) {
      step.fault(p.coordinator(), txn, "a proposal under a transaction id another bank numbers");
      return;
    }
    PendingVote voted = pending.get(txn);
    Message.Propose earlier = voted != null ? voted.proposal() : refused.get(txn);
    if (earlier != null && !earlier.equals(p)) {
      step.fault(p.coordinator(), txn, "a second, different proposal under a transaction id already voted on");
      return;
    }
    if (voted != null) {
      step.send(p.coordinator(), yes(voted));
      return;
    }
    if (refusals.containsKey(txn)) {
      step.send(p.coordinator(), refusals.get(txn));
      return;
    }
    Boolean done = finishedAs(txn);
    if (Boolean.FALSE.equals(done)) {
      // Aborted here, perhaps settled with the other participants before this proposal arrived: the coordinator may
      // still be collecting votes, and it must not commit.
      step.send(p.coordinator(), new Message.Ack(txn, step.self(), null, Rejection.of(Reason.TIMED_OUT, "",
          "bank " + step.self() + " already settled transaction " + txn + " as aborted").with("bank", step.self()),
          Map.of()));
      return;
    }
    if (done != null) {
      return; // committed and applied: this is a stale duplicate
    }
    Stamp proposed = step.stamp();
    try {
      checkPrincipal(p);
      Reservation reservation = escrow.reserve(p.principal(), p.legs());
      spentRequests.spend(p, reservation);
      var vote = new PendingVote(p, proposed, reservation, null);
      pending.put(txn, vote);
      queue.put(proposed, vote);
      step.persistVote(txn, vote);
      step.send(p.coordinator(), yes(vote));
    } catch (Rejection.Rejected no) {
      var ack = new Message.Ack(txn, step.self(), null, no.rejection(), Map.of());
      refusals.put(txn, ack);
      refused.put(txn, p);
      step.send(p.coordinator(), ack);
    }
  }

  /**
   * The coordinator authenticated the principal, so it may speak only for its own customers: a proposal from alpha
   * in the name of a customer of beta would make beta treat a stranger as its own holder.
   */
  private static void checkPrincipal(Message.Propose p) {
    if (!p.principal().bank().equals(p.coordinator())) {
      throw Rejection.of(Reason.FOREIGN_PRINCIPAL, "", "bank " + p.coordinator() + " proposed " + p.transactionId()
          + " for " + p.principal().qualified() + ", a customer of another bank; a bank speaks only for its own")
          .with("bank", p.coordinator()).toException();
    }
  }

  /**
   * This bank's YES; signed when the proposal debits an account here, for the coordinator's COMMIT to carry to the
   * other participants as proof that this bank agreed to pay (a bank that only receives has nothing to prove).
   */
  private Message.Ack yes(PendingVote vote) {
    Message.Propose p = vote.proposal();
    boolean pays = p.pays(step.self());
    // Someone else will check it: the coordinator (it may take no part itself) or another participant.
    boolean others = !p.coordinator().equals(step.self())
        || p.participants().stream().anyMatch(b -> !b.equals(step.self()));
    return new Message.Ack(vote.transactionId(), step.self(), vote.proposed(), null,
        vote.reservation().resolvedPixCredits(p.legs()),
        pays && others ? step.signLater(Votes.digest(p, step.self())) : null);
  }

  /**
   * A decision, from {@code coordinator}. One that contradicts this bank's durable state — from a bank that did not
   * propose the transaction, or a COMMIT it never voted YES on — is a peer fault: refused, changing nothing.
   */
  void onDecide(String coordinator, Message.Decide d) {
    String txn = d.transactionId();
    PendingVote vote = pending.get(txn);
    String proposer = vote != null ? vote.proposal().coordinator()
        : refused.containsKey(txn) ? refused.get(txn).coordinator() : null;
    if (proposer != null ? !proposer.equals(coordinator) : !OrderCore.numberedBy(txn, coordinator)) {
      step.fault(coordinator, txn, "a decision from a bank that did not propose the transaction");
      return;
    }
    if (vote == null) {
      Boolean done = finishedAs(txn);
      if (done == null && d.commit()) {
        step.fault(coordinator, txn, refusals.containsKey(txn) ? "COMMIT over this bank's NO vote"
            : "COMMIT of a transaction this bank holds no YES vote for");
        return;
      }
      if (Boolean.FALSE.equals(done) && d.commit()) {
        // Aborted here (by the coordinator's word or settled with the other participants) yet committed: never by
        // honest banks. (An ABORT of one applied here is honest: a coordinator that forgot a transaction every
        // participant applied answers a late inquiry about it ABORT.)
        step.fault(coordinator, txn, "a COMMIT of a transaction this bank aborted already");
      }
      if (done == null) {
        // We voted NO, or never saw the proposal (a restarted coordinator aborting it): nothing is held here.
        refusals.remove(txn);
        Message.Propose p = refused.remove(txn);
        finish(txn, false);
        step.persistOperation(p == null
            ? new Operation(txn, null, false, java.util.List.of(), d.refusal(), "", "")
            : new Operation(txn, null, false, p.legs(), d.refusal(), p.requestId(), p.principal().toString()));
      }
      step.send(coordinator, new Message.Applied(txn, step.self()));
      return;
    }
    if (d.commit() && !vote.committed()) {
      // A COMMIT moves the money of every bank with a debit leg: it must carry each one's signed YES, or the
      // coordinator could credit this bank with money another bank never agreed to pay.
      String unproven = Votes.unprovenDebtor(step.signer(), step.self(), vote.proposal(), d.votes());
      if (unproven != null) {
        step.fault(coordinator, txn, "a COMMIT without bank " + unproven + "'s signed YES vote");
        return;
      }
    }
    if (d.commit()) {
      commit(vote, d);
    } else {
      abort(vote, d.refusal());
      step.send(coordinator, new Message.Applied(txn, step.self()));
    }
  }

  /** Adopts a COMMIT (from the coordinator, or from a participant it told) and applies what became deliverable. */
  void commit(PendingVote vote, Message.Decide d) {
    String txn = vote.transactionId();
    if (!vote.committed()) {
      queue.remove(vote.queueKey());
      vote = vote.commit(d.finalStamp());
      step.observe(d.finalStamp());
      step.persistVote(txn, vote);
      pending.put(txn, vote);
      queue.put(vote.queueKey(), vote);
      if (vote.proposal().othersMayConsult(step.self())) {
        adopted.put(txn, d);
        step.persistSettled(d);
      }
    }
    deliver();
  }

  /** Adopts an ABORT: gives back the holds, and applies what the aborted vote held back. */
  void abort(PendingVote vote, Rejection why) {
    String txn = vote.transactionId();
    queue.remove(vote.queueKey());
    escrow.release(vote.reservation());
    pending.remove(txn);
    finish(txn, false);
    step.persistVote(txn, null);
    step.persistOperation(operation(vote, false, why));
    deliver(); // the aborted vote may have been all that held back committed transactions behind it
  }

  // ---- what cooperative termination ({@link PeerSettlement}) reads and settles here ----

  PendingVote vote(String txn) {
    return pending.get(txn);
  }

  /** The proposal this bank voted NO on, while it waits for the (necessarily ABORT) decision; else null. */
  Message.Propose refusedProposal(String txn) {
    return refused.get(txn);
  }

  /** Settles a transaction this bank voted NO on as aborted, durably; returns its refusal. */
  Rejection settleRefused(String txn) {
    Rejection why = refusals.remove(txn).refusal();
    Message.Propose p = refused.remove(txn);
    finish(txn, false);
    step.persistOperation(new Operation(txn, null, false, p.legs(), why, p.requestId(), p.principal().toString()));
    return why;
  }

  /** Settles a transaction this bank never saw the proposal of as aborted, durably: a later proposal gets NO. */
  void settleUnseen(String txn, Rejection why) {
    finish(txn, false);
    step.persistOperation(new Operation(txn, null, false, java.util.List.of(), why, "", ""));
  }

  /** The COMMIT adopted here for {@code txn} with its proof, when others may consult this bank; else null. */
  Message.Decide adopted(String txn) {
    return adopted.containsKey(txn) ? adopted.get(txn) : history.settled(txn);
  }

  /** Applies every committed transaction at the head of the queue, in timestamp order. */
  private void deliver() {
    while (!queue.isEmpty() && queue.firstEntry().getValue().committed()) {
      PendingVote head = queue.pollFirstEntry().getValue();
      String txn = head.transactionId();
      escrow.apply(txn, head.finalStamp(), head.proposal().principal(), head.proposal().legs(),
          head.reservation());
      pending.remove(txn);
      finish(txn, true);
      step.persistVote(txn, null);
      step.persistOperation(operation(head, true, null));
      step.send(head.proposal().coordinator(), new Message.Applied(txn, step.self()));
    }
  }

  private static Operation operation(PendingVote vote, boolean committed, Rejection refusal) {
    Message.Propose p = vote.proposal();
    return new Operation(p.transactionId(), committed ? vote.finalStamp() : null, committed, p.legs(), refusal,
        p.requestId(), p.principal().toString());
  }

  /** Whether {@code txn} was applied (true) or aborted (false) here, or null if it never finished here. */
  Boolean finishedAs(String txn) {
    Boolean done = finished.get(txn);
    return done != null ? done : history.finished(txn);
  }

  private void finish(String txn, boolean committed) {
    finished.put(txn, committed);
  }

  // ---- recovery ----

  void restore(PendingVote vote) {
    escrow.hold(vote.reservation());
    pending.put(vote.transactionId(), vote);
    queue.put(vote.queueKey(), vote);
  }

  /** After recovery: applies what became deliverable, and asks about every vote still undecided, now. */
  void resume() {
    deliver();
    for (PendingVote vote : pending.values()) {
      if (!vote.committed()) {
        askAbout(vote);
      }
    }
  }

  /** The health watch saw {@code coordinator} go down: ask the other participants of its votes here now. */
  void coordinatorDown(String coordinator) {
    for (PendingVote vote : pending.values()) {
      if (!vote.committed() && vote.proposal().coordinator().equals(coordinator)) {
        consultPeers(vote);
      }
    }
  }

  /** Asks the coordinator of an undecided YES vote for its decision, and the other participants what they know. */
  private void askAbout(PendingVote vote) {
    step.send(vote.proposal().coordinator(), new Message.Inquire(vote.transactionId(), step.self()));
    consultPeers(vote);
  }

  /**
   * Asks every other participant of an undecided YES vote, but its coordinator, whether it knows the outcome; not when
   * this bank coordinates it (its own coordinator side decides).
   */
  private void consultPeers(PendingVote vote) {
    Message.Propose p = vote.proposal();
    if (p.coordinator().equals(step.self())) {
      return;
    }
    for (String bank : p.participants()) {
      if (!bank.equals(step.self()) && !bank.equals(p.coordinator())) {
        step.send(bank, new Message.Consult(vote.transactionId(), step.self()));
      }
    }
  }

  /** A link to {@code coordinator} came (back) up: ask it about every vote of ours it has not decided yet. */
  void inquireOf(String coordinator) {
    for (PendingVote vote : pending.values()) {
      if (!vote.committed() && vote.proposal().coordinator().equals(coordinator)) {
        step.send(coordinator, new Message.Inquire(vote.transactionId(), step.self()));
      }
    }
  }

  int undecidedCount() {
    return (int) pending.values().stream().filter(v -> !v.committed()).count();
  }

  /**
   * Asks the coordinator, and the other participants, about every vote undecided for the inquiry time, then at every
   * re-send interval.
   */
  void tick() {
    int inquireTicks = step.config().inquireTicks();
    int resendTicks = step.config().resendTicks();
    for (PendingVote vote : pending.values()) {
      if (vote.committed()) {
        continue;
      }
      int waited = waitingTicks.merge(vote.transactionId(), 1, Integer::sum);
      if (waited >= inquireTicks && (waited - inquireTicks) % resendTicks == 0) {
        askAbout(vote);
      }
    }
    waitingTicks.keySet().retainAll(pending.keySet());
  }

  /** The smallest counter in the delivery queue, or Long.MAX_VALUE when nothing waits. */
  long lowestQueuedCounter() {
    return queue.isEmpty() ? Long.MAX_VALUE : queue.firstKey().counter();
  }

  int pendingCount() {
    return pending.size();
  }

  int oldestUndecidedTicks() {
    int oldest = 0;
    for (PendingVote vote : pending.values()) {
      if (!vote.committed()) {
        oldest = Math.max(oldest, waitingTicks.getOrDefault(vote.transactionId(), 0));
      }
    }
    return oldest;
  }

  /** A committed head is applied at once, so a head that waits is undecided: its ticks waited. */
  int headWaitTicks() {
    return queue.isEmpty() ? 0 : waitingTicks.getOrDefault(queue.firstEntry().getValue().transactionId(), 0);
  }

  Iterable<PendingVote> pendingVotes() {
    return pending.values();
  }
}
