package dev.distribank.node.core.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.testing.Cpfs;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What leaves before its step's write ({@link Ready#early()}): a proposal whose number an earlier step reserved, and
 * the answer to a transaction decided and applied here in earlier steps; nothing else. A cross-bank transfer's
 * critical path is then the participant's vote, the coordinator's decision and the participant's application.
 */
class EarlyReadyTest {
  Bank bank;
  OrderCore core;
  Principal ana;
  AccountId a;
  AccountId b;
  final AccountId atBeta = new AccountId("beta", 1001);
  long tags;

  @BeforeEach
  void setUp() {
    bank = new Bank("alpha");
    core = new OrderCore("alpha", Set.of("alpha", "beta"), bank, History.NONE, new SimulatedSigner("alpha"));
    bank.createCustomer("Ana", CustomerKind.INDIVIDUAL, Cpfs.cpf(1), "ana", "hash");
    bank.createCustomer("Bia", CustomerKind.INDIVIDUAL, Cpfs.cpf(2), "bia", "hash");
    ana = bank.principal("ana");
    a = bank.openAccount("ana", AccountKind.INDIVIDUAL).id();
    b = bank.openAccount("bia", AccountKind.INDIVIDUAL).id();
    core.submit(++tags, ana, List.of(Leg.deposit(a, 10_000)), "");
    core.ready();
  }

  private Message.Propose propose(long cents) {
    core.submit(++tags, ana, List.of(Leg.transfer(a, new Destination.ToAccount(atBeta), cents)), "r-" + tags);
    Ready ready = core.ready();
    assertTrue(ready.outbound().isEmpty(), "the proposal does not wait for its own step's write");
    return (Message.Propose) only(ready.early().outbound()).message();
  }

  @Test
  void proposal_numberReservedEarlier_leavesEarly_decisionAndAbortWaitForTheirWrite() {
    Message.Propose p = propose(600);
    core.receive(new Envelope("beta", "alpha", new Message.Ack(p.transactionId(), "beta", new Stamp(1, "beta"),
        null, Map.of())));
    Ready decided = core.ready();
    assertTrue(decided.early().outbound().isEmpty() && decided.early().replies().isEmpty(),
        "a decision leaves only once it is durable");
    assertInstanceOf(Message.Decide.class, only(decided.outbound()).message());
    assertTrue(decided.answers().isEmpty(), "the client waits for beta to apply");

    core.receive(new Envelope("beta", "alpha", new Message.Applied(p.transactionId(), "beta")));
    Ready applied = core.ready();
    assertTrue(applied.replies().isEmpty(), "the answer does not wait for forgetting the transaction");
    var committed = assertInstanceOf(Outcome.Committed.class, only(applied.early().replies()).outcome());
    assertEquals(p.transactionId(), committed.transactionId());
    assertTrue(applied.protocol().coordinations().containsKey(p.transactionId()), "forgotten in the same step");

    Message.Propose refused = propose(100);
    core.receive(new Envelope("beta", "alpha", new Message.Ack(refused.transactionId(), "beta", null,
        dev.distribank.node.core.ledger.Rejection.of(dev.distribank.node.core.ledger.Reason.ACCOUNT_NOT_FOUND,
            "legs[0].to_account", "no").atLeg(0), Map.of())));
    Ready aborted = core.ready();
    assertTrue(aborted.early().replies().isEmpty(), "an abort is answered with its decision's write");
    assertInstanceOf(Outcome.Aborted.class, only(aborted.replies()).outcome());
  }

  @Test
  void firstProposal_afterARestart_waitsForTheReservationOfItsNumber() {
    core.restoreCounters(core.clock(), 5_000);
    core.submit(++tags, ana, List.of(Leg.transfer(a, new Destination.ToAccount(atBeta), 1)), "");
    Ready first = core.ready();
    var p = (Message.Propose) only(first.outbound()).message();
    assertEquals("alpha-5001", p.transactionId(), "numbering resumes after the stored reservation");
    assertTrue(first.early().outbound().isEmpty(), "its number was reserved in its own step");
    assertEquals(5_001 + StepContext.RESERVED_NUMBERS, first.counters().reservedTransactionSeq(),
        "the step stores the new reservation");
    assertEquals("alpha-5002", propose(1).transactionId());
  }

  @Test
  void localTransfer_answeredWithItsOwnWrite_neverEarly() {
    core.submit(++tags, ana, List.of(Leg.transfer(a, new Destination.ToAccount(b), 100)), "r-local");
    Ready ready = core.ready();
    assertTrue(ready.early().outbound().isEmpty() && ready.early().replies().isEmpty());
    assertInstanceOf(Outcome.Committed.class, only(ready.replies()).outcome());
  }

  @Test
  void appliedHereInTheAnsweringStep_answerWaitsForThatWrite() {
    // t1 to beta, undecided, holds the head of alpha's queue; t2 (to beta too) commits first but cannot apply here.
    Message.Propose t1 = propose(100);
    Message.Propose t2 = propose(200);
    core.receive(new Envelope("beta", "alpha", new Message.Ack(t2.transactionId(), "beta", new Stamp(1, "beta"),
        null, Map.of())));
    core.ready();
    core.receive(new Envelope("beta", "alpha", new Message.Applied(t2.transactionId(), "beta")));
    assertTrue(core.ready().answers().isEmpty(), "t2 is not applied at alpha yet");
    // t1 aborts: t2 applies at alpha in this step, so its answer rests on this step's write.
    core.receive(new Envelope("beta", "alpha", new Message.Ack(t1.transactionId(), "beta", null,
        dev.distribank.node.core.ledger.Rejection.of(dev.distribank.node.core.ledger.Reason.ACCOUNT_NOT_FOUND,
            "legs[0].to_account", "no").atLeg(0), Map.of())));
    Ready ready = core.ready();
    assertTrue(ready.early().replies().isEmpty());
    assertEquals(2, ready.replies().size(), "t1 aborted and t2 committed, both with the write");
  }

  private static <T> T only(List<T> list) {
    assertEquals(1, list.size(), () -> "expected one, got " + list);
    return list.get(0);
  }
}
