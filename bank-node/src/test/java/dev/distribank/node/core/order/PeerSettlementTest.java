package dev.distribank.node.core.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.AccountKind;
import dev.distribank.node.core.ledger.Bank;
import dev.distribank.node.core.ledger.CustomerKind;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.node.core.ledger.Stamp;
import dev.distribank.node.testing.Cpfs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cooperative termination (DESIGN §5), message by message: alpha's customer pays a customer of beta and one of gamma
 * in one transaction, and alpha goes down somewhere between the votes and telling everyone the decision. beta and
 * gamma then settle it between themselves where one of them can, wait where neither can, and refuse what a stranger
 * or a lying participant tells them.
 */
class PeerSettlementTest {
  static final Set<String> MEMBERS = Set.of("alpha", "beta", "gamma", "delta");

  final Map<String, Bank> banks = new TreeMap<>();
  final Map<String, OrderCore> cores = new TreeMap<>();
  final Map<String, SimulatedStore> stores = new TreeMap<>();
  final List<Envelope> wire = new ArrayList<>();
  final List<Ready.PeerFault> faults = new ArrayList<>();
  AccountId ana;
  AccountId bia;
  AccountId gil;
  /** The transaction under test: alpha's customer pays beta's and gamma's. */
  String txn;

  @BeforeEach
  void setUp() {
    int cpf = 1;
    for (String id : MEMBERS) {
      var bank = new Bank(id);
      var store = new SimulatedStore();
      banks.put(id, bank);
      stores.put(id, store);
      cores.put(id, new OrderCore(id, MEMBERS, bank, store, new SimulatedSigner(id)));
      bank.createCustomer("Customer " + id, CustomerKind.INDIVIDUAL, Cpfs.cpf(cpf++), "c" + id, "hash");
    }
    ana = banks.get("alpha").openAccount("calpha", AccountKind.INDIVIDUAL).id();
    bia = banks.get("beta").openAccount("cbeta", AccountKind.INDIVIDUAL).id();
    gil = banks.get("gamma").openAccount("cgamma", AccountKind.INDIVIDUAL).id();
    cores.get("alpha").submit(1, banks.get("alpha").principal("calpha"), List.of(Leg.deposit(ana, 10_000)), "");
    MEMBERS.forEach(this::flush);
    wire.clear();
    cores.get("alpha").submit(2, banks.get("alpha").principal("calpha"), List.of(
        Leg.transfer(ana, new Destination.ToAccount(bia), 100),
        Leg.transfer(ana, new Destination.ToAccount(gil), 200)), "req-1");
    flush("alpha");
    txn = ((Message.Propose) wire.get(0).message()).transactionId();
  }

  /** Takes a bank's effects: writes them to its store, puts its messages on the wire, keeps its faults. */
  void flush(String id) {
    Ready r = cores.get(id).ready();
    stores.get(id).write(r);
    wire.addAll(r.sent());
    faults.addAll(r.faults());
  }

  /** Delivers every message on the wire that {@code which} lets through, and what they cause, until none is left. */
  void deliver(Predicate<Envelope> which) {
    for (boolean moved = true; moved; ) {
      moved = false;
      for (Envelope e : List.copyOf(wire)) {
        if (which.test(e)) {
          wire.remove(e);
          receive(e);
          moved = true;
        }
      }
    }
  }

  void receive(Envelope e) {
    cores.get(e.to()).receive(e);
    flush(e.to());
  }

  static Predicate<Envelope> to(String bank) {
    return e -> e.to().equals(bank);
  }

  static Predicate<Envelope> is(Class<? extends Message> kind) {
    return e -> kind.isInstance(e.message());
  }

  /** beta and gamma both voted YES; alpha decided nothing it told anyone. */
  void bothVoteYes() {
    deliver(is(Message.Propose.class));
    assertEquals(1, cores.get("beta").undecidedVotes());
    assertEquals(1, cores.get("gamma").undecidedVotes());
  }

  /** The health watches of the banks still up see alpha go down. */
  void alphaGoesDown() {
    wire.removeIf(e -> e.to().equals("alpha"));
    for (String id : List.of("beta", "gamma", "delta")) {
      cores.get(id).peerState("alpha", false);
      flush(id);
    }
  }

  long balance(String bank, AccountId account) {
    return banks.get(bank).account(account, "c" + bank).balanceCents();
  }

  @Test
  void coordinatorDownAfterTellingOne_theOtherAdoptsItsCommit() {
    bothVoteYes();
    deliver(to("alpha"));
    deliver(is(Message.Decide.class).and(to("gamma")));
    wire.removeIf(e -> e.message() instanceof Message.Decide);
    assertEquals(200, balance("gamma", gil));

    alphaGoesDown();
    deliver(e -> !e.to().equals("alpha"));

    assertEquals(100, balance("beta", bia), "beta applied the COMMIT gamma passed on, with alpha's signed YES");
    assertEquals(0, cores.get("beta").pendingVotes());
    assertEquals(List.of(), faults);
  }

  @Test
  void peerThatNeverSawTheProposal_refusesIt_soTheInDoubtVoteAborts() {
    Envelope toGamma = wire.stream().filter(to("gamma")).findFirst().orElseThrow();
    wire.remove(toGamma);
    deliver(to("beta"));
    assertEquals(1, cores.get("beta").undecidedVotes());

    alphaGoesDown();
    deliver(e -> !e.to().equals("alpha"));

    assertEquals(0, cores.get("beta").pendingVotes(), "beta aborted on gamma's refusal");
    assertEquals(Boolean.FALSE, stores.get("gamma").finished(txn), "gamma's refusal is durable");
    assertEquals(0, balance("beta", bia));

    receive(toGamma); // the proposal arrives after all: gamma says NO, so alpha can only abort
    var answer = wire.stream().filter(to("alpha")).map(Envelope::message).toList();
    assertEquals(1, answer.size(), answer.toString());
    assertFalse(((Message.Ack) answer.get(0)).yes());

    // alpha comes back and aborts what it never decided: beta agrees, and nothing contradicts.
    receive(new Envelope("alpha", "beta", new Message.Decide(txn, false, null,
        Rejection.of(Reason.TIMED_OUT, "", "coordinator alpha restarted before deciding"))));
    assertTrue(wire.stream().anyMatch(e -> e.message() instanceof Message.Applied && e.from().equals("beta")));
    assertEquals(List.of(), faults);
  }

  @Test
  void everyoneVotedYesAndNobodyKnows_theyWaitForTheCoordinator() {
    bothVoteYes();
    alphaGoesDown();
    deliver(e -> !e.to().equals("alpha"));

    assertEquals(1, cores.get("beta").undecidedVotes(), "two-phase commit's blocking window");
    assertEquals(1, cores.get("gamma").undecidedVotes());
    assertEquals(List.of(), faults);
  }

  @Test
  void whileTheCoordinatorIsUp_anUnseenTransactionIsNotRefused() {
    Envelope toGamma = wire.stream().filter(to("gamma")).findFirst().orElseThrow();
    wire.remove(toGamma);
    receive(new Envelope("beta", "gamma", new Message.Consult(txn, "beta")));
    var known = (Message.Known) wire.remove(wire.size() - 1).message();

    assertTrue(known.inDoubt(), "gamma knows no outcome, and alpha can still be asked");
    assertNull(stores.get("gamma").finished(txn));
    receive(toGamma);
    assertTrue(((Message.Ack) wire.get(wire.size() - 1).message()).yes(), "gamma still votes on it");
  }

  @Test
  void commitClaimWithoutThePayersSignedYes_refused_voteStillInDoubt() {
    bothVoteYes();
    alphaGoesDown();
    receive(new Envelope("gamma", "beta", new Message.Known(txn, "gamma",
        new Message.Decide(txn, true, new Stamp(999, "alpha"), null))));

    assertEquals(1, faults.size(), faults.toString());
    assertTrue(faults.get(0).why().contains("signed YES"), faults.get(0).why());
    assertEquals(1, cores.get("beta").undecidedVotes());
    assertEquals(0, balance("beta", bia), "no money from a claim alone");
  }

  @Test
  void commitClaimBelowTheVotesOwnTimestamp_refused() {
    bothVoteYes();
    alphaGoesDown();
    receive(new Envelope("gamma", "beta", new Message.Known(txn, "gamma",
        new Message.Decide(txn, true, new Stamp(0, "alpha"), null))));

    assertEquals(1, faults.size(), faults.toString());
    assertTrue(faults.get(0).why().contains("below"), faults.get(0).why());
    assertEquals(1, cores.get("beta").undecidedVotes());
  }

  @Test
  void outcomeFromABankOutsideTheTransaction_refused() {
    bothVoteYes();
    alphaGoesDown();
    receive(new Envelope("delta", "beta", new Message.Known(txn, "delta",
        new Message.Decide(txn, false, null, Rejection.of(Reason.TIMED_OUT, "", "forged")))));
    receive(new Envelope("delta", "beta", new Message.Known(txn, "gamma", null)));

    assertEquals(2, faults.size(), faults.toString());
    assertEquals(1, cores.get("beta").undecidedVotes(), "only a participant's word counts");
  }

  @Test
  void answerCarryingAnotherTransactionsDecision_refused() {
    bothVoteYes();
    alphaGoesDown();
    receive(new Envelope("gamma", "beta", new Message.Known(txn, "gamma",
        new Message.Decide("alpha-77", false, null, Rejection.of(Reason.TIMED_OUT, "", "another one")))));

    assertEquals(1, faults.size(), faults.toString());
    assertEquals(1, cores.get("beta").undecidedVotes());
  }

  @Test
  void consultationFromABankOutsideTheTransaction_refused_tellsNothing() {
    bothVoteYes();
    alphaGoesDown();
    wire.clear();
    receive(new Envelope("delta", "gamma", new Message.Consult(txn, "delta")));

    assertEquals(1, faults.size(), faults.toString());
    assertEquals(List.of(), wire, "no answer to a stranger");
    assertEquals(1, cores.get("gamma").undecidedVotes());
  }

  @Test
  void consultationsAboutNonsense_refused_nothingWritten() {
    alphaGoesDown();
    wire.clear();
    for (String txn : List.of("nonsense", "gamma-5", "delta-3", "omega-1", "alpha-", "-1")) {
      receive(new Envelope("delta", "gamma", new Message.Consult(txn, "delta")));
      assertNull(stores.get("gamma").finished(txn), txn);
    }

    assertEquals(6, faults.size(), faults.toString());
    assertEquals(List.of(), wire);
  }

  @Test
  void aParticipantThatVotedNo_settlesItAsAborted_durably() {
    // Bia's bank refuses a debit nobody consented to: beta votes NO, gamma YES; alpha goes down before deciding.
    wire.clear();
    cores.get("alpha").submit(3, banks.get("alpha").principal("calpha"), List.of(
        Leg.transfer(bia, new Destination.ToAccount(gil), 50)), "req-2");
    flush("alpha");
    String settling = ((Message.Propose) wire.get(0).message()).transactionId();
    deliver(is(Message.Propose.class));
    assertEquals(1, cores.get("gamma").undecidedVotes());

    alphaGoesDown();
    deliver(e -> !e.to().equals("alpha"));

    assertEquals(0, cores.get("gamma").pendingVotes(), "gamma aborted on beta's NO");
    assertEquals(Boolean.FALSE, stores.get("beta").finished(settling));
    assertNotNull(stores.get("gamma").finished(settling));
    assertEquals(List.of(), faults);
  }
}
