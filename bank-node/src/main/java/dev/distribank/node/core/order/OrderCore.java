package dev.distribank.node.core.order;

import static com.google.common.base.Preconditions.checkArgument;

import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.Escrow;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Stamp;
import java.util.List;
import java.util.Set;

/**
 * One bank's ordering protocol as a state machine (DESIGN §4): client transactions and peer messages go in;
 * messages to send, state to persist and client answers come out as a {@link Ready}. No I/O, no threads, no clock.
 *
 * <p>Messages to this bank itself (it is always a participant of what it coordinates when it owns an account in it)
 * are handled at once, in-process, so a single-bank transaction runs propose → vote → decide → apply in one call.
 */
public final class OrderCore {
  private final StepContext step;
  private final Participant participant;
  private final Coordinator coordinator;
  private final PeerSettlement settlement;
  private final Bank bank;
  /** Audit snapshots waiting for every transaction up to their cut to be decided and applied: {tag, cut}. */
  private final List<long[]> snapshotWaiters = new java.util.ArrayList<>();

  /** A bank alone: it signs no votes and commits on no other bank's word. */
  public OrderCore(String self, Set<String> members, Bank bank) {
    this(self, members, bank, History.NONE, VoteSigner.ALONE, OrderConfig.DEFAULT);
  }

  /** A bank alone whose core looks up finished transactions and decided requests in {@code history}. */
  public OrderCore(String self, Set<String> members, Bank bank, History history) {
    this(self, members, bank, history, VoteSigner.ALONE, OrderConfig.DEFAULT);
  }

  /** {@link #OrderCore(String, Set, Bank, History, VoteSigner, OrderConfig)} with the default timing. */
  public OrderCore(String self, Set<String> members, Bank bank, History history, VoteSigner signer) {
    this(self, members, bank, history, signer, OrderConfig.DEFAULT);
  }

  /**
   * A bank's core that looks up finished transactions and decided requests in {@code history}, signs its YES votes
   * and checks other banks' with {@code signer}, and times re-sends and time-outs by {@code config}.
   */
  public OrderCore(String self, Set<String> members, Bank bank, History history, VoteSigner signer,
      OrderConfig config) {
    checkArgument(members.contains(self), "%s is not among the members %s", self, members);
    this.bank = bank;
    this.step = new StepContext(self, members, signer, config, login -> {
      var customer = bank.findCustomer(login);
      return customer == null ? null : customer.taxId();
    });
    this.participant = new Participant(step, new Escrow(bank), history);
    this.coordinator = new Coordinator(step, history);
    this.settlement = new PeerSettlement(step, participant);
  }

  public String self() {
    return step.self();
  }

  public long clock() {
    return step.clock();
  }

  public long lastTransactionSeq() {
    return step.lastTransactionSeq();
  }

  /** Whether {@code bank} is a member of the consortium. */
  public boolean isMember(String bank) {
    return step.isMember(bank);
  }

  /** A client's transaction, validated for shape; the answer comes back as a reply tagged {@code tag}. */
  public void submit(long tag, Principal principal, List<Leg> legs, String requestId) {
    coordinator.submit(tag, principal, legs, requestId);
    pump();
  }

  /** A message from another bank. */
  public void receive(Envelope envelope) {
    checkArgument(envelope.to().equals(self()), "message for %s delivered to %s", envelope.to(), self());
    dispatch(envelope);
    pump();
  }

  /** Time passes: one tick ({@link OrderConfig#tickMillis}). Drives re-sends and vote time-outs. */
  public void tick() {
    coordinator.tick();
    participant.tick();
    pump();
  }

  /**
   * An audit's cut at {@code atCounter}: raise the clock past it (so every later proposal here lands after the cut),
   * then answer this bank's totals as of the cut once nothing up to it is still undecided or unapplied here.
   */
  public void snapshot(long tag, long atCounter) {
    step.observe(new Stamp(atCounter, ""));
    snapshotWaiters.add(new long[] {tag, atCounter});
    pump();
  }

  /**
   * Everything produced since the last call — the ledger's changes too — for the caller to persist in one write,
   * then send and answer.
   */
  public Ready ready() {
    return step.take(bank.takeChanges(), bank.auditTrail());
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
      step.down().remove(bank);
    } else if (!bank.equals(self())) {
      step.down().add(bank);
      coordinator.onPeerDown(bank);
      participant.coordinatorDown(bank);
      pump();
    }
  }

  private void pump() {
    Envelope next;
    while ((next = step.nextToSelf()) != null) {
      dispatch(next);
    }
    if (!snapshotWaiters.isEmpty()) {
      long lowest = participant.lowestQueuedCounter();
      for (var it = snapshotWaiters.iterator(); it.hasNext(); ) {
        long[] waiter = it.next();
        if (lowest > waiter[1]) {
          if (bank.auditTrail().remembers(waiter[1])) {
            step.snapshot(waiter[0], bank.auditTrail().asOf(waiter[1], bank, step.members()));
          } else {
            step.snapshotRefused(waiter[0], "bank " + self() + " restarted after the audit's cut " + waiter[1]
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
      case Message.Consult q -> q.from();
      case Message.Known k -> k.from();
      case Message.Decide d -> e.from();
    };
    if (!claimed.equals(e.from())) {
      step.fault(e.from(), e.message().transactionId(), "the message speaks for bank " + claimed);
      return;
    }
    switch (e.message()) {
      case Message.Propose p -> participant.onPropose(p);
      case Message.Ack a -> coordinator.onAck(a);
      case Message.Decide d -> participant.onDecide(e.from(), d);
      case Message.Applied a -> coordinator.onApplied(a);
      case Message.Inquire q -> coordinator.onInquire(q);
      case Message.Consult q -> settlement.onConsult(q);
      case Message.Known k -> settlement.onKnown(k);
    }
  }

  /**
   * Whether {@code transactionId} is one bank {@code coordinator} numbered: {@code <coordinator>-<sequence>}. A bank
   * may propose and decide only its own, so it cannot pre-empt or answer for another's.
   */
  static boolean numberedBy(String transactionId, String coordinator) {
    return coordinator.equals(numberer(transactionId));
  }

  /** The bank that numbered {@code transactionId} ({@code <coordinator>-<sequence>}), or null if it is not such an id. */
  static String numberer(String transactionId) {
    int dash = transactionId.lastIndexOf('-');
    boolean numbered = dash > 0 && dash + 1 < transactionId.length() && dash + 20 >= transactionId.length()
        && transactionId.substring(dash + 1).chars().allMatch(c -> c >= '0' && c <= '9');
    return numbered ? transactionId.substring(0, dash) : null;
  }

  // ---- recovery: rebuild from the store, then resume ----

  public void restoreCounters(long storedClock, long storedTransactionSeq) {
    step.restoreCounters(storedClock, storedTransactionSeq);
  }

  public void restore(PendingVote vote) {
    participant.restore(vote);
    step.observe(vote.queueKey());
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

  /** The proposals of the YES votes still waiting for their decision here: the transactions in doubt here. */
  public java.util.List<Message.Propose> undecidedProposals() {
    var out = new java.util.ArrayList<Message.Propose>();
    participant.pendingVotes().forEach(v -> {
      if (!v.committed()) {
        out.add(v.proposal());
      }
    });
    return out;
  }

  public int pendingVotes() {
    return participant.pendingCount();
  }

  /** Ticks the oldest YES vote still waiting for its decision here has waited; 0 when none waits (a gauge). */
  public int oldestUndecidedTicks() {
    return participant.oldestUndecidedTicks();
  }

  /** Ticks the head of the delivery queue has waited for its decision; 0 when the queue is empty (a gauge). */
  public int deliveryHeadTicks() {
    return participant.headWaitTicks();
  }

  public int activeCoordinations() {
    return coordinator.activeCount();
  }
}
