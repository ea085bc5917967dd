package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A bank's coordinator side: takes a client's transaction, multicasts the proposal to its participants (only the banks
 * it touches), decides from their votes, and answers the client once every participant has applied the decision.
 */
final class Coordinator {
  private final StepContext step;
  private final Map<String, Coordination> active = new HashMap<>();
  /** Decided requests: retries are answered from here. */
  private final Map<String, RequestRecord> requests = new RecentMap<>();
  private final History history;
  /** Requests still being decided: a retry waits for the same transaction. */
  private final Map<String, String> inFlight = new HashMap<>();

  Coordinator(StepContext step, History history) {
    this.step = step;
    this.history = history;
  }

  /**
   * A client's transaction. A request id seen before is answered by the first applicable rung, in this precedence:
   * <ol>
   *   <li>used for another transaction (other principal or legs): REQUEST_ID_REUSED;
   *   <li>its transaction is still being decided: the retry waits for that same decision;
   *   <li>committed, and its first client is still waiting for every participant to apply it: the retry waits with
   *       it, so it too reads its own writes;
   *   <li>decided: the first outcome, replayed.
   * </ol>
   * A new request is refused if a leg names a bank outside the consortium (BANK_NOT_FOUND) or one that is down
   * (BANK_UNAVAILABLE); otherwise it is proposed to the banks it touches.
   */
  void submit(long tag, Principal principal, List<Leg> legs, String requestId) {
    if (!requestId.isEmpty() && answeredAsRetry(tag, principal, legs, requestId)) {
      return;
    }
    var participants = new TreeSet<String>();
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      for (String bank : legBanks(leg)) {
        if (!step.isMember(bank)) {
          // Named by the leg's field that holds the bank: its debit side first, as every check of a leg goes.
          String field = leg.debits() && leg.from().bank().equals(bank) ? "from_account" : "to_account";
          step.reply(tag, new Outcome.Aborted(null, Rejection.of(Reason.BANK_NOT_FOUND,
              "legs[" + i + "]." + field, "leg " + i + " names bank '" + bank + "', which is not in the consortium")
              .atLeg(i).with("bank", bank)));
          return;
        }
        participants.add(bank);
      }
    }
    for (String bank : participants) {
      if (step.isDown(bank)) {
        step.reply(tag, new Outcome.Aborted(null, Rejection.of(Reason.BANK_UNAVAILABLE, "",
            "bank " + bank + " is down (it fails its health checks); transactions touching it are refused until it "
                + "is back").with("bank", bank)));
        return;
      }
    }
    propose(tag, new Message.Propose(step.nextTransactionId(), step.self(), principal, legs,
        List.copyOf(participants), requestId));
  }

  /** The ladder of {@link #submit} for a request id seen before; false when it is new. */
  private boolean answeredAsRetry(long tag, Principal principal, List<Leg> legs, String requestId) {
    RequestRecord done = requests.containsKey(requestId) ? requests.get(requestId) : history.request(requestId);
    Coordination deciding = inFlight.containsKey(requestId) ? active.get(inFlight.get(requestId)) : null;
    if (done == null && deciding == null) {
      return false;
    }
    RequestFingerprint first = done != null ? done.fingerprint() : fingerprint(deciding.proposal());
    Function<String, String> legacyTaxIdOf =
        login -> principal.bank().equals(step.self()) ? step.taxIdOf(login) : null;
    if (!first.matches(principal, legs, legacyTaxIdOf)) {
      step.reply(tag, new Outcome.Aborted(null, Rejection.of(Reason.REQUEST_ID_REUSED, "request_id",
          "request_id " + requestId + " was already used for a different transaction")));
      return true;
    }
    if (deciding != null) {
      deciding.addRetry(tag);
      return true;
    }
    Coordination applying = active.get(done.outcome().transactionId());
    if (done.outcome() instanceof Outcome.Committed && applying != null && !applying.waitingClients().isEmpty()) {
      applying.addRetry(tag);
      return true;
    }
    step.reply(tag, replay(done.outcome()));
    return true;
  }

  /**
   * Sends the proposal to its participants, early (before this step is durable) when its number was reserved by an
   * earlier step: presumed abort needs nothing durable before Propose, since a coordinator that restarts without a
   * decision answers every inquiry ABORT and never reuses the number.
   */
  private void propose(long tag, Message.Propose proposal) {
    var c = new Coordination(proposal);
    c.waitingClients().add(tag);
    active.put(proposal.transactionId(), c);
    // Stored undecided, so a restart can abort it at once rather than leave participants holding funds until they
    // ask; written in this step's batch, which the proposal does not wait for.
    step.persistCoordination(proposal.transactionId(), c);
    if (!proposal.requestId().isEmpty()) {
      inFlight.put(proposal.requestId(), proposal.transactionId());
    }
    boolean early = step.lastNumberReservedEarlier();
    for (String bank : proposal.participants()) {
      if (early) {
        step.sendEarly(bank, proposal);
      } else {
        step.send(bank, proposal);
      }
    }
  }

  private static List<String> legBanks(Leg leg) {
    var banks = new ArrayList<String>(2);
    if (leg.debits()) {
      banks.add(leg.from().bank());
    }
    if (leg.credits()) {
      banks.add(leg.to().bank());
    }
    return banks;
  }

  void onAck(Message.Ack ack) {
    Coordination c = active.get(ack.transactionId());
    if (c != null && !c.proposal().participants().contains(ack.from())) {
      step.fault(ack.from(), ack.transactionId(), "a vote from a bank that is not a participant");
      return;
    }
    if (c == null || c.decision() != null) {
      return; // a late or repeated vote: the decision stands and was sent
    }
    if (ack.yes() && c.proposal().pays(ack.from()) && !ack.from().equals(step.self())
        && !VoteBatch.verify(step.signer(), ack.from(), Votes.digest(c.proposal(), ack.from()), ack.signature())) {
      // Its money moves: without its valid signature the other participants would refuse the COMMIT.
      step.fault(ack.from(), ack.transactionId(), "a YES vote without a valid signature");
      return;
    }
    c.acks().put(ack.from(), ack);
    if (c.allVoted()) {
      decide(c);
    }
  }

  /**
   * Re-sends, after the re-send interval and then twice as long each time (up to 16 intervals), the proposal to
   * participants that have not voted and the decision to those that have not applied (links may lose messages;
   * receiving twice is harmless; a link that comes back re-sends at once), and aborts a transaction still
   * undecided after {@code abortTicks}: a participant that does not vote cannot hold the others' funds forever.
   */
  void tick() {
    int resendTicks = step.config().resendTicks();
    int abortTicks = step.config().abortTicks();
    int answerTicks = step.config().answerTicks();
    for (Coordination c : List.copyOf(active.values())) {
      if (c.decision() != null && c.decision().commit() && !c.waitingClients().isEmpty()
          && c.decidedTicks() >= answerTicks) {
        // Committed is final: a participant slow to confirm will apply it when it can (DESIGN §4.3).
        answerDecided(c);
      }
      if (c.decision() == null && c.undecidedTicks() >= abortTicks) {
        var silent = new TreeSet<>(c.proposal().participants());
        silent.removeAll(c.acks().keySet());
        c.abort(Rejection.of(Reason.TIMED_OUT, "", "bank(s) " + silent + " did not vote in time; nothing was applied")
            .with("banks", String.join(",", silent)));
        record(c);
        continue;
      }
      if (!c.tickResend(resendTicks)) {
        continue;
      }
      c.proposal().participants().forEach(bank -> resendUnanswered(c, bank));
    }
  }

  /**
   * The health watch saw {@code bank} go down: every undecided transaction still waiting for its vote is aborted now,
   * rather than after the vote time-out, so it stops blocking the delivery queues of the banks that are up.
   */
  void onPeerDown(String bank) {
    for (Coordination c : List.copyOf(active.values())) {
      if (c.decision() == null && c.proposal().participants().contains(bank) && !c.acks().containsKey(bank)) {
        c.abort(Rejection.of(Reason.BANK_UNAVAILABLE, "", "bank " + bank
            + " went down before voting; nothing was applied").with("bank", bank));
        record(c);
      }
    }
  }

  private void decide(Coordination c) {
    c.decide();
    record(c);
  }

  /** Makes a decision durable, answers an abort at once, and sends the decision to every participant. */
  private void record(Coordination c) {
    c.changedHereIn(step.stepNumber());
    Message.Decide d = c.decision();
    String requestId = c.proposal().requestId();
    Outcome outcome = outcome(c);
    if (!requestId.isEmpty()) {
      inFlight.remove(requestId);
      var record = new RequestRecord(requestId, fingerprint(c.proposal()), outcome);
      requests.put(requestId, record);
      step.persistRequest(record);
    }
    step.persistCoordination(c.transactionId(), c);
    if (!d.commit()) {
      // Nothing was applied anywhere and nothing will be: the client need not wait for the releases.
      answer(c, outcome);
    }
    for (String bank : c.proposal().participants()) {
      step.send(bank, decisionFor(c, bank));
    }
  }

  /**
   * The decision as {@code bank} gets it: with the signed votes if it receives in the transaction (it checks that
   * each bank paying in it agreed) or another participant may consult it while this bank is away (it passes the
   * proof on), without them if it only pays and nobody will ask (it needs no proof, and checking costs).
   */
  private static Message.Decide decisionFor(Coordination c, String bank) {
    Message.Decide d = c.decision();
    return c.proposal().receives(bank) || c.proposal().othersMayConsult(bank) || d.votes().isEmpty() ? d
        : new Message.Decide(d.transactionId(), d.commit(), d.finalStamp(), d.refusal());
  }

  /**
   * A participant asks about a transaction it voted on. Decided: re-send the decision. Still collecting votes: the
   * decision will come. Unknown: it was never decided durably here (this bank crashed before deciding, and a
   * decided transaction is forgotten only after every participant applied it), so the answer is ABORT.
   */
  void onInquire(Message.Inquire q) {
    Coordination c = active.get(q.transactionId());
    if (c != null && !c.proposal().participants().contains(q.from())) {
      step.fault(q.from(), q.transactionId(), "an inquiry from a bank that is not a participant");
      return;
    }
    if (c == null && !OrderCore.numberedBy(q.transactionId(), step.self())) {
      step.fault(q.from(), q.transactionId(), "an inquiry about a transaction this bank never numbered");
      return;
    }
    if (c == null) {
      step.send(q.from(), new Message.Decide(q.transactionId(), false, null, Rejection.of(Reason.TIMED_OUT, "",
          "coordinator " + step.self() + " restarted before deciding; nothing was applied").with("bank",
          step.self())));
    } else if (c.decision() != null) {
      step.send(q.from(), decisionFor(c, q.from()));
    }
  }

  void onApplied(Message.Applied applied) {
    Coordination c = active.get(applied.transactionId());
    if (c == null || c.decision() == null) {
      return;
    }
    if (!c.proposal().participants().contains(applied.from())) {
      step.fault(applied.from(), applied.transactionId(), "an Applied from a bank that is not a participant");
      return;
    }
    c.applied().add(applied.from());
    if (applied.from().equals(step.self())) {
      c.changedHereIn(step.stepNumber());
    }
    if (!c.allApplied()) {
      step.persistCoordination(c.transactionId(), c);
      return;
    }
    active.remove(c.transactionId());
    // Forgetting is off the answer's path: the answer rests on the decision, durable in an earlier step.
    step.persistCoordination(c.transactionId(), null);
    if (c.decision().commit()) {
      answerDecided(c);
    }
  }

  private void answer(Coordination c, Outcome outcome) {
    answer(c, outcome, false);
  }

  /**
   * Answers a committed transaction's clients: early when its decision (with the request record) and this bank's own
   * application of it were written by earlier steps, so the answer need not wait for this step's write.
   */
  private void answerDecided(Coordination c) {
    answer(c, outcome(c), c.settledHereBefore(step.stepNumber()));
  }

  private void answer(Coordination c, Outcome outcome, boolean early) {
    for (long tag : c.waitingClients()) {
      Outcome o = c.isRetry(tag) ? replay(outcome) : outcome;
      if (early) {
        step.replyEarly(tag, o);
      } else {
        step.reply(tag, o);
      }
    }
    c.waitingClients().clear();
  }

  private static Outcome outcome(Coordination c) {
    Message.Decide d = c.decision();
    if (!d.commit()) {
      return new Outcome.Aborted(c.transactionId(), d.refusal());
    }
    var legs = new ArrayList<>(c.proposal().legs());
    for (Message.Ack ack : c.acks().values()) {
      ack.resolvedCredits().forEach((index, account) -> legs.set(index, resolved(legs.get(index), account)));
    }
    return new Outcome.Committed(c.transactionId(), d.finalStamp(), legs, c.proposal().requestId(), false);
  }

  private static Leg resolved(Leg leg, AccountId account) {
    return new Leg(leg.kind(), leg.from(), new Destination.ToAccount(account), leg.amountCents());
  }

  private static Outcome replay(Outcome first) {
    return first instanceof Outcome.Committed c ? c.replay() : first;
  }

  // ---- recovery ----

  /**
   * Recovery: a stored coordination without a decision was cut short by the crash. Nothing was decided durably, so
   * no participant can have applied it: abort it now (presumed abort) and tell the participants.
   */
  void restore(Coordination c) {
    active.put(c.transactionId(), c);
    if (c.decision() == null) {
      c.abort(Rejection.of(Reason.TIMED_OUT, "", "coordinator " + step.self()
          + " restarted before deciding; nothing was applied").with("bank", step.self()));
      record(c);
    }
  }

  /** A link to {@code bank} came (back) up: re-send it what it has not answered, now rather than at the next re-send. */
  void resendTo(String bank) {
    for (Coordination c : active.values()) {
      if (c.proposal().participants().contains(bank)) {
        resendUnanswered(c, bank);
      }
    }
  }

  /** Recovery: re-sends every stored decision (and proposal) that some participant has not answered. */
  void resendDecisions() {
    for (Coordination c : active.values()) {
      c.proposal().participants().forEach(bank -> resendUnanswered(c, bank));
    }
  }

  /** The proposal to a bank that has not voted, or the decision to one that has not confirmed applying it. */
  private void resendUnanswered(Coordination c, String bank) {
    if (c.decision() == null && !c.acks().containsKey(bank)) {
      step.send(bank, c.proposal());
    } else if (c.decision() != null && !c.applied().contains(bank)) {
      step.send(bank, decisionFor(c, bank));
    }
  }

  private static RequestFingerprint fingerprint(Message.Propose p) {
    return RequestFingerprint.of(p.principal(), p.legs());
  }

  int activeCount() {
    return active.size();
  }
}
