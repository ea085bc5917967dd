package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;

/**
 * Cooperative termination (DESIGN §5), the answering side: a participant whose YES vote has waited too long for its
 * coordinator asks the other participants ({@link Message.Consult}); each answers what it knows
 * ({@link Message.Known}). If one has the decision, the others adopt it; if one had not voted YES, it refuses now,
 * for good, so the outcome can only be ABORT; only when every participant voted YES and none knows the decision do
 * they all wait for the coordinator. Every answer is checked like the coordinator's own: a COMMIT needs the signed
 * YES of each bank it debits, and nothing comes from a bank outside the transaction.
 */
final class PeerSettlement {
  private final StepContext step;
  private final Participant participant;

  PeerSettlement(StepContext step, Participant participant) {
    this.step = step;
    this.participant = participant;
  }

  /**
   * Another participant asks what this bank knows of a transaction. Voted YES: the COMMIT with its proof, or "no
   * outcome known" while undecided. Voted NO, or never saw the proposal while its coordinator is down: the refusal
   * is made durable, so the coordinator can never commit it, and the answer is ABORT. Finished: how it ended.
   */
  void onConsult(Message.Consult q) {
    String txn = q.transactionId();
    PendingVote vote = participant.vote(txn);
    Message.Propose p = vote != null ? vote.proposal() : participant.refusedProposal(txn);
    if (p != null && (!p.participants().contains(q.from()) || q.from().equals(step.self()))) {
      step.fault(q.from(), txn, "a consultation from a bank that is not a participant");
      return;
    }
    if (vote != null) {
      step.send(q.from(), new Message.Known(txn, step.self(), vote.committed() ? adoptedCommit(vote) : null));
      return;
    }
    if (p != null) {
      Rejection why = participant.settleRefused(txn);
      step.send(q.from(), new Message.Known(txn, step.self(), new Message.Decide(txn, false, null, why)));
      return;
    }
    Boolean done = participant.finishedAs(txn);
    if (Boolean.TRUE.equals(done)) {
      Message.Decide d = participant.adopted(txn);
      if (d == null) {
        step.fault(q.from(), txn, "a consultation about a transaction nobody but its coordinator shared with us");
      } else {
        step.send(q.from(), new Message.Known(txn, step.self(), d));
      }
      return;
    }
    if (done != null) {
      step.send(q.from(), new Message.Known(txn, step.self(), new Message.Decide(txn, false, null,
          Rejection.of(Reason.TIMED_OUT, "", "transaction " + txn + " was aborted at bank " + step.self())
              .with("bank", step.self()))));
      return;
    }
    refuseUnseen(q);
  }

  /**
   * A consultation about a proposal this bank never received. While its coordinator is up the proposal may still
   * come, and the coordinator will answer the one asking; while it is down, this bank refuses the transaction for
   * good (durably: a proposal arriving later gets NO), so it can only abort, and says so.
   */
  private void refuseUnseen(Message.Consult q) {
    String txn = q.transactionId();
    String coordinator = OrderCore.numberer(txn);
    if (coordinator == null || !step.isMember(coordinator) || coordinator.equals(q.from())
        || coordinator.equals(step.self())) {
      step.fault(q.from(), txn, "a consultation about a transaction no other member numbered");
      return;
    }
    if (!step.isDown(coordinator)) {
      step.send(q.from(), new Message.Known(txn, step.self(), null));
      return;
    }
    Rejection why = Rejection.of(Reason.TIMED_OUT, "", "bank " + step.self() + " had not voted on transaction " + txn
        + " when bank " + q.from() + " asked, with its coordinator " + coordinator + " down: it refused it, so it"
        + " was aborted; nothing was applied").with("bank", step.self());
    participant.settleUnseen(txn, why);
    step.send(q.from(), new Message.Known(txn, step.self(), new Message.Decide(txn, false, null, why)));
  }

  /** The COMMIT a committed vote was adopted with, with its proof when kept; bare when nobody could need it. */
  private Message.Decide adoptedCommit(PendingVote vote) {
    Message.Decide d = participant.adopted(vote.transactionId());
    return d != null ? d : new Message.Decide(vote.transactionId(), true, vote.finalStamp(), null);
  }

  /**
   * What another participant knows of a transaction this bank is in doubt about. An outcome is checked as the
   * coordinator's decision would be — a COMMIT must carry the signed YES of every bank it debits (when this bank
   * receives), at a final timestamp no lower than this bank's own proposed one — then adopted.
   */
  void onKnown(Message.Known k) {
    String txn = k.transactionId();
    PendingVote vote = participant.vote(txn);
    if (vote == null || vote.committed()) {
      return; // decided already: a late or repeated answer
    }
    Message.Propose p = vote.proposal();
    if (!p.participants().contains(k.from()) || k.from().equals(step.self())) {
      step.fault(k.from(), txn, "an answer about a transaction from a bank that is not one of its participants");
      return;
    }
    Message.Decide d = k.decision();
    if (d == null) {
      return; // it does not know either
    }
    if (!d.transactionId().equals(txn)) {
      step.fault(k.from(), txn, "an answer that carries the decision of transaction " + d.transactionId());
      return;
    }
    if (!d.commit()) {
      step.settledByPeer(txn, k.from(), false);
      participant.abort(vote, d.refusal() != null ? d.refusal() : Rejection.of(Reason.TIMED_OUT, "",
          "aborted, as bank " + k.from() + " told").with("bank", k.from()));
      return;
    }
    if (d.finalStamp() == null || d.finalStamp().compareTo(vote.proposed()) < 0) {
      step.fault(k.from(), txn, "a COMMIT below this bank's own proposed timestamp " + vote.proposed());
      return;
    }
    String unproven = Votes.unprovenDebtor(step.signer(), step.self(), p, d.votes());
    if (unproven != null) {
      step.fault(k.from(), txn, "a COMMIT without bank " + unproven + "'s signed YES vote");
      return;
    }
    step.settledByPeer(txn, k.from(), true);
    participant.commit(vote, d);
  }
}
