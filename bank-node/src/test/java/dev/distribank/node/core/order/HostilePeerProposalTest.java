package dev.distribank.node.core.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.testing.Cpfs;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A participant trusts a proposal's principal only as far as DESIGN §3 allows: a coordinator vouches for its own
 * customers and no one else's, a proposal counts only from the coordinator it names, and a customer of another bank
 * needs a consent whatever tax id or login it registered.
 */
class HostilePeerProposalTest {
  Bank beta;
  OrderCore core;
  AccountId bia;

  @BeforeEach
  void setUp() {
    beta = new Bank("beta");
    core = new OrderCore("beta", Set.of("alpha", "beta", "gamma"), beta, History.NONE,
        new SimulatedSigner("beta"));
    beta.createCustomer("Bia", CustomerKind.INDIVIDUAL, Cpfs.cpf(2), "bia", "hash");
    bia = beta.openAccount("bia", AccountKind.INDIVIDUAL).id();
    core.submit(1, beta.principal("bia"), List.of(Leg.deposit(bia, 10_000)), "");
    core.ready();
  }

  /** Delivers a proposal from {@code from} and returns beta's vote. */
  Message.Ack vote(String from, Message.Propose p) {
    core.receive(new Envelope(from, "beta", p));
    var sent = core.ready().sent();
    assertEquals(1, sent.size(), "one answer: " + sent);
    return (Message.Ack) sent.get(0).message();
  }

  static Message.Propose debitOfBia(String txn, String coordinator, Principal principal, AccountId to) {
    return new Message.Propose(txn, coordinator, principal, List.of(Leg.transfer(new AccountId("beta", 1001),
        new Destination.ToAccount(to), 5_000)), List.of(coordinator, "beta"), "");
  }

  @Test
  void coordinatorSpeaksForAnotherBanksCustomer_voteNo() {
    var ack = vote("alpha", debitOfBia("alpha-1", "alpha", new Principal("beta", "bia"), new AccountId("alpha", 1)));

    assertFalse(ack.yes());
    assertEquals(Reason.FOREIGN_PRINCIPAL, ack.refusal().reason());
    assertEquals(10_000, beta.account(bia, "bia").availableCents(), "nothing held");
  }

  @Test
  void proposalFromABankOtherThanItsCoordinator_ignored() {
    core.receive(new Envelope("gamma", "beta", debitOfBia("alpha-2", "alpha", new Principal("alpha", "mallory"),
        new AccountId("gamma", 1))));

    assertTrue(core.ready().sent().isEmpty(), "no vote for a forged proposal");
    assertEquals(0, core.pendingVotes());
  }

  @Test
  void sameLoginAtAnotherBank_isNotTheHolder_needsAConsent() {
    var ack = vote("alpha", debitOfBia("alpha-3", "alpha", new Principal("alpha", "bia"), new AccountId("alpha", 1)));

    assertEquals(Reason.CONSENT_REQUIRED, ack.refusal().reason());

    beta.grantConsent(beta.principal("bia"), bia, new Principal("alpha", "bia"), 0, 0, 0);
    var withConsent = vote("alpha", debitOfBia("alpha-4", "alpha", new Principal("alpha", "bia"),
        new AccountId("alpha", 1)));
    assertTrue(withConsent.yes());
    assertEquals(5_000, beta.account(bia, "bia").availableCents(), "held under the consent");
  }

  @Test
  void commitForATransactionNeverVotedOn_refusedAsAFault_bankGoesOn() {
    core.receive(new Envelope("alpha", "beta", new Message.Decide("alpha-9", true,
        new dev.distribank.node.core.ledger.Stamp(50, "alpha"), null)));
    var effects = core.ready();

    assertEquals(1, effects.faults().size(), effects.faults().toString());
    assertEquals("alpha", effects.faults().get(0).from());
    assertTrue(effects.sent().isEmpty(), "no Applied for what was not applied");
    assertEquals(10_000, beta.account(bia, "bia").balanceCents());
    // The bank still votes on honest proposals afterwards.
    beta.grantConsent(beta.principal("bia"), bia, new Principal("alpha", "bia"), 0, 0, 0);
    assertTrue(vote("alpha", debitOfBia("alpha-10", "alpha", new Principal("alpha", "bia"),
        new AccountId("alpha", 1))).yes());
  }

  @Test
  void decisionFromABankThatDidNotPropose_orAVoteInAnotherBanksName_refused() {
    beta.grantConsent(beta.principal("bia"), bia, new Principal("alpha", "bia"), 0, 0, 0);
    vote("alpha", debitOfBia("alpha-11", "alpha", new Principal("alpha", "bia"), new AccountId("alpha", 1)));

    core.receive(new Envelope("gamma", "beta", new Message.Decide("alpha-11", false, null,
        dev.distribank.node.core.ledger.Rejection.of(Reason.TIMED_OUT, "", "forged"))));
    core.receive(new Envelope("gamma", "beta", new Message.Applied("beta-1", "alpha")));
    var effects = core.ready();

    assertEquals(2, effects.faults().size(), effects.faults().toString());
    assertEquals(1, core.pendingVotes(), "the YES vote still stands: only alpha may decide it");
    assertEquals(5_000, beta.account(bia, "bia").availableCents());
  }

  @Test
  void proposalUnderAnotherBanksTransactionId_refusedAsAFault_noVote() {
    beta.grantConsent(beta.principal("bia"), bia, new Principal("gamma", "bia"), 0, 0, 0);
    // gamma numbers its proposal as if alpha had: it could pre-empt alpha's own transaction "alpha-20".
    core.receive(new Envelope("gamma", "beta", debitOfBia("alpha-20", "gamma", new Principal("gamma", "bia"),
        new AccountId("gamma", 1))));
    var effects = core.ready();

    assertEquals(1, effects.faults().size(), effects.faults().toString());
    assertTrue(effects.sent().isEmpty());
    assertEquals(0, core.pendingVotes());
    assertEquals(10_000, beta.account(bia, "bia").availableCents());
  }

  @Test
  void secondDifferentProposalUnderAVotedId_refusedAsAFault_firstVoteStands() {
    beta.grantConsent(beta.principal("bia"), bia, new Principal("alpha", "bia"), 0, 0, 0);
    var first = debitOfBia("alpha-21", "alpha", new Principal("alpha", "bia"), new AccountId("alpha", 1));
    assertTrue(vote("alpha", first).yes());
    assertTrue(vote("alpha", first).yes(), "the same proposal again: the same vote (a re-send)");

    var bigger = new Message.Propose("alpha-21", "alpha", new Principal("alpha", "bia"), List.of(Leg.transfer(
        new AccountId("beta", 1001), new Destination.ToAccount(new AccountId("alpha", 1)), 9_000)),
        List.of("alpha", "beta"), "");
    core.receive(new Envelope("alpha", "beta", bigger));
    var effects = core.ready();

    assertEquals(1, effects.faults().size(), effects.faults().toString());
    assertTrue(effects.sent().isEmpty(), "no vote for the contradicting proposal");
    assertEquals(5_000, beta.account(bia, "bia").availableCents(), "only the first proposal is held");
  }

  @Test
  void inquiryFromABankNotInTheTransaction_refusedAsAFault_noDecisionLeaks() {
    // beta coordinates a transaction between its own accounts and alpha's; gamma asks how it ended.
    var to = new AccountId("alpha", 1);
    core.submit(2, beta.principal("bia"), List.of(Leg.transfer(bia, new Destination.ToAccount(to), 100)), "");
    var proposal = core.ready().sent().stream().map(Envelope::message)
        .filter(Message.Propose.class::isInstance).map(Message.Propose.class::cast).findFirst().orElseThrow();

    core.receive(new Envelope("gamma", "beta", new Message.Inquire(proposal.transactionId(), "gamma")));
    core.receive(new Envelope("gamma", "beta", new Message.Inquire("alpha-99", "gamma")));
    var effects = core.ready();

    assertEquals(2, effects.faults().size(), effects.faults().toString());
    assertTrue(effects.sent().isEmpty(), "gamma learns nothing");
  }
}
