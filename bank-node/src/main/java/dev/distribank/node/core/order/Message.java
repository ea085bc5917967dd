package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Stamp;
import java.util.List;
import java.util.Map;

/**
 * The ordering protocol's messages (DESIGN §4). Every message is idempotent to receive twice: a receiver answers a
 * repeat the way it answered the first.
 */
public sealed interface Message {

  String transactionId();

  /** Coordinator → each participant: here is a transaction, vote on your legs. */
  record Propose(String transactionId, String coordinator, Principal principal, List<Leg> legs,
      List<String> participants, String requestId) implements Message {
    public Propose {
      legs = List.copyOf(legs);
      participants = List.copyOf(participants);
    }

    /** Whether a leg debits an account at {@code bank}: that bank pays in this transaction. */
    public boolean pays(String bank) {
      return legs.stream().anyMatch(l -> l.debits() && l.from().bank().equals(bank));
    }

    /**
     * Whether a participant other than {@code bank} and the coordinator might consult {@code bank} about this
     * transaction's outcome while the coordinator is away (cooperative termination, DESIGN §5).
     */
    public boolean othersMayConsult(String bank) {
      return participants.stream().anyMatch(b -> !b.equals(bank) && !b.equals(coordinator));
    }

    /** Whether a leg credits an account (or a PIX key) at {@code bank}: that bank receives in this transaction. */
    public boolean receives(String bank) {
      return legs.stream().anyMatch(l -> l.credits() && l.to().bank().equals(bank));
    }
  }

  /**
   * Participant → coordinator: its vote. YES carries the proposed timestamp and the accounts its PIX credits resolved
   * to; NO carries the refusal (with the failing leg in its metadata).
   */
  record Ack(String transactionId, String from, Stamp proposed, Rejection refusal,
      Map<Integer, AccountId> resolvedCredits, VoteSignature signature) implements Message {
    public Ack {
      resolvedCredits = Map.copyOf(resolvedCredits);
    }

    /** An unsigned vote: a NO (nothing to prove), or a YES of a bank alone. */
    public Ack(String transactionId, String from, Stamp proposed, Rejection refusal,
        Map<Integer, AccountId> resolvedCredits) {
      this(transactionId, from, proposed, refusal, resolvedCredits, null);
    }

    public boolean yes() {
      return refusal == null;
    }
  }

  /** Coordinator → each participant: COMMIT at {@code finalStamp}, or ABORT because of {@code refusal}. */
  record Decide(String transactionId, boolean commit, Stamp finalStamp, Rejection refusal,
      Map<String, VoteSignature> votes) implements Message {
    public Decide {
      votes = Map.copyOf(votes);
    }

    /** A decision without the participants' signed votes: every ABORT (an abort needs no proof). */
    public Decide(String transactionId, boolean commit, Stamp finalStamp, Rejection refusal) {
      this(transactionId, commit, finalStamp, refusal, Map.of());
    }
  }

  /** Participant → coordinator: the decision is applied here (durably); the coordinator may forget it. */
  record Applied(String transactionId, String from) implements Message {}

  /**
   * Participant → coordinator: I voted YES long ago and still have no decision. A coordinator that has none durably
   * (it crashed before deciding) answers ABORT: presumed abort.
   */
  record Inquire(String transactionId, String from) implements Message {}

  /**
   * Participant → another participant of the same transaction (cooperative termination, DESIGN §5): I voted YES long
   * ago and my coordinator has not told me the decision; do you know it?
   */
  record Consult(String transactionId, String from) implements Message {}

  /**
   * A participant's answer to a {@link Consult}: the decision as it knows it, or null when it too voted YES and waits
   * (in doubt). A COMMIT carries the final timestamp and the signed YES votes of the banks that pay, as the
   * coordinator's did; an ABORT, why. A participant that had not voted YES makes its refusal durable before it says
   * ABORT, so the coordinator can no longer commit.
   */
  record Known(String transactionId, String from, Decide decision) implements Message {
    public boolean inDoubt() {
      return decision == null;
    }
  }
}
