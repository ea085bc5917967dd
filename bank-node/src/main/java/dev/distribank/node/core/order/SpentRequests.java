package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Escrow;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Reservation;
import java.util.Map;

/** The request ids a participant's YES votes spent on the accounts they debit (DESIGN §3), for its vote checks. */
final class SpentRequests {
  private final StepContext step;
  private final Escrow escrow;
  private final History history;
  /** Recent {@code account_number/request_id} → transaction of YES votes debiting here; older ones in history. */
  private final Map<String, String> votedRequests = new RecentMap<>();

  SpentRequests(StepContext step, Escrow escrow, History history) {
    this.step = step;
    this.escrow = escrow;
    this.history = history;
  }

  /**
   * A request id is idempotent consortium-wide for the accounts it debits (DESIGN §3): once this bank voted YES on a
   * transaction debiting one of its accounts under a request id, it refuses any other transaction that debits that
   * account under the same id, through whichever coordinator and whoever signed it, naming the first. So a retry sent
   * to another bank can never debit twice. Checked after the vote's other checks (so a caller without authority
   * learns nothing about the account's request ids): if the id is spent, the holds just taken are given back and the
   * vote is NO; otherwise it is recorded as spent, in the same durable write as the YES vote.
   */
  void spend(Message.Propose p, Reservation reservation) {
    if (p.requestId().isEmpty()) {
      return;
    }
    var keys = new java.util.TreeMap<String, AccountId>(); // account_number/request_id -> the debited account
    for (Reservation.Posting posting : reservation.postings()) {
      if (posting.signedCents() < 0) {
        keys.put(posting.account().number() + "/" + p.requestId(), posting.account());
      }
    }
    keys.forEach((key, account) -> {
      String first = votedRequests.containsKey(key) ? votedRequests.get(key) : history.votedRequest(key);
      if (first != null && !first.equals(p.transactionId())) {
        escrow.release(reservation);
        throw Rejection.of(Reason.REQUEST_ID_REUSED, "request_id", "request_id " + p.requestId()
            + " was already used for transaction " + first + ", which debits " + account + "; a retry must go to"
            + " the bank first called, and a new transaction needs a new id")
            .with("first_transaction_id", first).with("account", account.toString()).toException();
      }
    });
    keys.keySet().forEach(key -> {
      votedRequests.put(key, p.transactionId());
      step.persistVotedRequest(key, p.transactionId());
    });
  }
}
