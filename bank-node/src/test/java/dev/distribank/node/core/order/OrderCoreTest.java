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
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.testing.Cpfs;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ordering core's single-participant path, and holds while another bank's vote is outstanding. */
class OrderCoreTest {
  Bank bank;
  OrderCore core;
  Principal ana;
  AccountId a;
  AccountId b;
  long tags;

  @BeforeEach
  void setUp() {
    bank = new Bank("alpha");
    core = new OrderCore("alpha", Set.of("alpha", "beta"), bank, History.NONE,
        new SimulatedSigner("alpha"));
    bank.createCustomer("Ana", CustomerKind.INDIVIDUAL, Cpfs.cpf(1), "ana", "hash");
    bank.createCustomer("Bia", CustomerKind.INDIVIDUAL, Cpfs.cpf(2), "bia", "hash");
    ana = bank.principal("ana");
    a = bank.openAccount("ana", AccountKind.INDIVIDUAL).id();
    b = bank.openAccount("bia", AccountKind.INDIVIDUAL).id();
  }

  /** What the last {@link #run} produced. */
  private Ready last;

  Outcome run(List<Leg> legs, String requestId) {
    long tag = ++tags;
    core.submit(tag, ana, legs, requestId);
    var effects = core.ready();
    last = effects;
    assertEquals(1, effects.answers().size(), "a local transaction is answered in the same step");
    assertEquals(tag, effects.answers().get(0).tag());
    return effects.answers().get(0).outcome();
  }

  Leg transfer(AccountId from, AccountId to, long cents) {
    return Leg.transfer(from, new Destination.ToAccount(to), cents);
  }

  @Test
  void localTransactions_committedInIncreasingTimestampOrder() {
    var first = assertInstanceOf(Outcome.Committed.class, run(List.of(Leg.deposit(a, 1_000)), ""));
    var second = assertInstanceOf(Outcome.Committed.class, run(List.of(transfer(a, b, 250)), ""));

    assertTrue(first.stamp().compareTo(second.stamp()) < 0);
    assertEquals(750, bank.account(a, "a").balanceCents());
    assertEquals(250, bank.account(b, "b").balanceCents());
    assertEquals(0, core.pendingVotes());
    assertEquals(0, core.activeCoordinations());
  }

  @Test
  void multiLeg_lastLegOverdraws_nothingApplied_failingLegNamed() {
    run(List.of(Leg.deposit(a, 1_000)), "");

    var aborted = assertInstanceOf(Outcome.Aborted.class,
        run(List.of(transfer(a, b, 400), transfer(a, b, 400), transfer(a, b, 400)), ""));

    assertEquals(Reason.INSUFFICIENT_FUNDS, aborted.refusal().reason());
    assertEquals(2, aborted.refusal().failedLeg());
    assertEquals(1_000, bank.account(a, "a").balanceCents());
    assertEquals(1_000, bank.account(a, "a").availableCents());
    assertTrue(last.ledger().entries().isEmpty(), "no ledger entry for an aborted transaction");
  }

  @Test
  void sameRequestId_replaysFirstOutcome_differentLegsRefused() {
    run(List.of(Leg.deposit(a, 1_000)), "");
    var first = assertInstanceOf(Outcome.Committed.class, run(List.of(transfer(a, b, 100)), "r-1"));

    var again = assertInstanceOf(Outcome.Committed.class, run(List.of(transfer(a, b, 100)), "r-1"));
    var reused = assertInstanceOf(Outcome.Aborted.class, run(List.of(transfer(a, b, 999)), "r-1"));

    assertEquals(first.transactionId(), again.transactionId());
    assertTrue(again.replayed());
    assertEquals(Reason.REQUEST_ID_REUSED, reused.refusal().reason());
    assertEquals(900, bank.account(a, "a").balanceCents());
  }

  @Test
  void crossBank_holdTakenWhileBetaVotes_releasedOnAbort() {
    run(List.of(Leg.deposit(a, 1_000)), "");
    core.submit(++tags, ana, List.of(transfer(a, new AccountId("beta", 1001), 600)), "");
    var effects = core.ready();
    assertTrue(effects.answers().isEmpty(), "the client waits for beta's vote");
    var propose = assertInstanceOf(Message.Propose.class, effects.sent().get(0).message());
    assertEquals(400, bank.account(a, "a").availableCents(), "600 held for the transfer");
    assertEquals(1_000, bank.account(a, "a").balanceCents());

    var refusal = dev.distribank.node.core.ledger.Rejection.of(Reason.ACCOUNT_NOT_FOUND, "legs[0].to_account", "no")
        .atLeg(0);
    core.receive(new Envelope("beta", "alpha",
        new Message.Ack(propose.transactionId(), "beta", null, refusal, java.util.Map.of())));
    effects = core.ready();

    var aborted = assertInstanceOf(Outcome.Aborted.class, effects.answers().get(0).outcome());
    assertEquals(Reason.ACCOUNT_NOT_FOUND, aborted.refusal().reason());
    assertEquals(1_000, bank.account(a, "a").availableCents(), "the hold is released");
  }

  @Test
  void committedBehindUndecided_waitsThenAppliesInTimestampOrder() {
    run(List.of(Leg.deposit(a, 1_000)), "");
    // t1: alpha -> beta, proposed here first; it waits for beta's vote.
    core.submit(++tags, ana, List.of(transfer(a, new AccountId("beta", 1001), 100)), "");
    var t1 = (Message.Propose) core.ready().sent().get(0).message();
    // t2: a local transfer, proposed later: it commits at once, but must not apply before t1 is decided.
    core.submit(++tags, ana, List.of(transfer(a, b, 50)), "");
    assertTrue(core.ready().answers().isEmpty(), "t2 waits behind the undecided t1");
    assertEquals(0, bank.account(b, "b").balanceCents());

    core.receive(new Envelope("beta", "alpha", new Message.Ack(t1.transactionId(), "beta",
        new dev.distribank.node.core.ledger.Stamp(1, "beta"), null, java.util.Map.of())));
    var effects = core.ready();
    // alpha's own proposal for t1 was higher than beta's, so t1's final stamp is alpha's; t2 applies after it.
    var decide = effects.sent().stream().map(Envelope::message).filter(Message.Decide.class::isInstance)
        .map(Message.Decide.class::cast).findFirst().orElseThrow();
    assertTrue(decide.commit());
    assertEquals(1, effects.answers().size(), "t2 is answered once t1 no longer blocks it");
    assertEquals(50, bank.account(b, "b").balanceCents());
    assertEquals(850, bank.account(a, "a").balanceCents());
    var entries = effects.ledger().entries();
    assertEquals(t1.transactionId(), entries.get(entries.size() - 3).transactionId(), "t1 applied before t2");
  }

  @Test
  void retryOfARequestStoredWithTheOldTaxIdFingerprint_replays() {
    List<Leg> legs = List.of(Leg.deposit(a, 1_000));
    var first = new Outcome.Committed("alpha-7", new dev.distribank.node.core.ledger.Stamp(7, "alpha"), legs, "req-old",
        false);
    var stored = new RequestRecord("req-old", RequestFingerprint.legacy(Cpfs.cpf(1) + "|" + legs), first);
    core = new OrderCore("alpha", Set.of("alpha", "beta"), bank, new History() {
      @Override
      public Boolean finished(String transactionId) {
        return null;
      }

      @Override
      public RequestRecord request(String requestId) {
        return requestId.equals("req-old") ? stored : null;
      }

      @Override
      public String votedRequest(String key) {
        return null;
      }
    });

    var replay = assertInstanceOf(Outcome.Committed.class, run(legs, "req-old"));
    assertTrue(replay.replayed());
    assertEquals("alpha-7", replay.transactionId());
    assertEquals(0, bank.account(a, "a").balanceCents(), "not applied again");
  }
}
