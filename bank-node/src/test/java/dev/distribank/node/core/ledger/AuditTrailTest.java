package dev.distribank.node.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.distribank.node.testing.Cpfs;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bank's flows with every other bank, for the bilateral audit: counted leg by leg when a committed transaction
 * applies, at its final timestamp, so that a snapshot as of a cut counts exactly the transactions up to it, and the
 * banks on the two ends of every leg record the same amount.
 */
class AuditTrailTest {
  static final Set<String> MEMBERS = Set.of("alpha", "beta", "gamma", "delta");
  /** Asks for every transaction; holds ana's accounts at alpha, and has her consent at the other banks. */
  final Principal ana = new Principal("alpha", "ana");
  final Map<String, Bank> banks = new TreeMap<>();

  @BeforeEach
  void setUp() {
    for (String id : MEMBERS) {
      var bank = new Bank(id);
      bank.createCustomer("Ana", CustomerKind.INDIVIDUAL, Cpfs.cpf(1), "ana", "hash");
      AccountId first = bank.openAccount("ana", AccountKind.INDIVIDUAL).id();
      bank.openAccount("ana", AccountKind.INDIVIDUAL);
      if (!id.equals("alpha")) {
        bank.grantConsent(bank.principal("ana"), first, ana, 0, 0, 0);
      }
      banks.put(id, bank);
    }
    banks.get("beta").addPixKey(banks.get("beta").principal("ana"), account("beta", 1002), PixKeyType.EMAIL,
        "ana@example.com", null);
    for (String id : List.of("alpha", "beta", "gamma")) {
      apply(1, List.of(Leg.deposit(account(id, 1001), 10_000)));
    }
  }

  static AccountId account(String bank, long number) {
    return new AccountId(bank, number);
  }

  static Leg transfer(String from, String to, long cents) {
    return Leg.transfer(account(from, 1001), new Destination.ToAccount(account(to, 1001)), cents);
  }

  /** Votes and applies one committed transaction at every bank its legs touch, as the protocol would. */
  void apply(long counter, List<Leg> legs) {
    var stamp = new Stamp(counter, "alpha");
    for (Bank bank : banks.values()) {
      boolean touched = legs.stream().anyMatch(l -> (l.debits() && l.from().bank().equals(bank.id()))
          || (l.credits() && l.to().bank().equals(bank.id())));
      if (touched) {
        var escrow = new Escrow(bank);
        escrow.apply("alpha-" + counter, stamp, ana, legs, escrow.reserve(ana, legs));
      }
    }
  }

  AuditTrail.Snapshot snapshot(String bank, long cut) {
    return banks.get(bank).auditTrail().asOf(cut, banks.get(bank), MEMBERS);
  }

  static AuditTrail.Flow flow(long sent, long received) {
    return new AuditTrail.Flow(BigInteger.valueOf(sent), BigInteger.valueOf(received));
  }

  @Test
  void multiLegTransaction_eachLegCountedOnItsOwn_betweenItsTwoBanksOnly() {
    apply(2, List.of(
        transfer("alpha", "beta", 100),
        transfer("beta", "alpha", 30),
        transfer("alpha", "gamma", 50),
        transfer("beta", "gamma", 7),
        transfer("alpha", "beta", 20),
        Leg.transfer(account("alpha", 1001), new Destination.ToAccount(account("alpha", 1002)), 5),
        Leg.transfer(account("gamma", 1001), new Destination.ToPixKey("beta", "ana@example.com"), 3),
        Leg.deposit(account("gamma", 1002), 1)));

    assertEquals(Map.of("beta", flow(120, 30), "gamma", flow(50, 0), "delta", flow(0, 0)),
        snapshot("alpha", 2).flows(), "not netted: two legs to beta add up, the one back is received");
    assertEquals(Map.of("alpha", flow(30, 120), "gamma", flow(7, 3), "delta", flow(0, 0)),
        snapshot("beta", 2).flows(), "a credit to a PIX key is received from the debtor's bank");
    assertEquals(Map.of("alpha", flow(0, 50), "beta", flow(3, 7), "delta", flow(0, 0)),
        snapshot("gamma", 2).flows());
    assertEquals(Map.of("alpha", flow(0, 0), "beta", flow(0, 0), "gamma", flow(0, 0)),
        snapshot("delta", 2).flows(), "a bank that took no part reports every other bank, with nothing moved");
  }

  @Test
  void cutBeforeATransaction_itsFlowsUndone() {
    apply(2, List.of(transfer("alpha", "beta", 100)));
    apply(5, List.of(transfer("beta", "alpha", 40), transfer("alpha", "gamma", 9)));

    assertEquals(flow(0, 0), snapshot("alpha", 1).flows().get("beta"), "deposits are no bank's flow");
    assertEquals(flow(100, 0), snapshot("alpha", 4).flows().get("beta"));
    assertEquals(flow(0, 0), snapshot("alpha", 4).flows().get("gamma"));
    assertEquals(flow(100, 40), snapshot("alpha", 5).flows().get("beta"));
    assertEquals(flow(40, 100), snapshot("beta", 5).flows().get("alpha"));
    assertEquals(flow(9, 0), snapshot("alpha", 5).flows().get("gamma"));
    assertEquals(Map.of("beta", flow(100, 40), "gamma", flow(9, 0)), banks.get("alpha").auditTrail().flows(),
        "the running flows name only banks money moved with");
  }

  @Test
  void restored_flowsAsStored_cutBeforeTheRestartRefused() {
    apply(2, List.of(transfer("alpha", "beta", 100)));
    var restarted = new AuditTrail();

    restarted.restore(BigInteger.TEN, BigInteger.ONE, banks.get("alpha").auditTrail().flows(), 7);

    assertEquals(Map.of("beta", flow(100, 0)), restarted.flows());
    assertEquals(flow(100, 0), restarted.asOf(7, banks.get("alpha"), MEMBERS).flows().get("beta"));
    assertEquals(false, restarted.remembers(6));
  }
}
