package dev.distribank.node.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds and postings: the money side of a bank's vote and of applying a committed transaction.
 *
 * <p>Why it is safe (DESIGN §4): a YES vote holds each debit against the available balance (balance minus holds
 * already taken), so once voted a debit is covered whatever else commits; applying then turns holds into postings
 * and can never overdraw. A leg may not spend money credited by an earlier leg of the same transaction: each debit
 * is covered by funds the account had before the transaction.
 */
public final class Escrow {
  private final Bank bank;

  public Escrow(Bank bank) {
    this.bank = bank;
  }

  /**
   * Checks the legs of {@code legs} that touch this bank and, if all pass, holds their debits and promised credits.
   * Checks run leg by leg, debit before credit; the first failure is thrown (naming its leg) and nothing is held.
   */
  public Reservation reserve(Principal principal, List<Leg> legs) {
    var postings = new ArrayList<Reservation.Posting>();
    var debits = new HashMap<Account, Long>();
    var credits = new HashMap<Account, Long>();
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      String field = "legs[" + i + "]";
      String index = Integer.toString(i);
      if (leg.debits() && leg.from().bank().equals(bank.id())) {
        Account from = withLeg(index, () -> bank.accountOf(principal, leg.from(), field + ".from_account"));
        long wanted = Math.addExact(debits.getOrDefault(from, 0L), leg.amountCents());
        if (wanted > from.availableCents()) {
          throw Rejection.of(Reason.INSUFFICIENT_FUNDS, field + ".amount_cents", "leg " + i + ": account "
              + from.id() + " has " + from.availableCents() + " cents available, the transaction needs " + wanted)
              .with("leg", index).with("account", from.id().toString())
              .with("available_cents", Long.toString(from.availableCents()))
              .with("needed_cents", Long.toString(wanted)).toException();
        }
        debits.put(from, wanted);
        postings.add(new Reservation.Posting(i, from.id(), -leg.amountCents(),
            leg.credits() ? counterparty(leg.to()) : "withdrawal"));
      }
      if (leg.credits() && leg.to().bank().equals(bank.id())) {
        Account to = withLeg(index, () -> bank.resolve(leg.to(), field + ".to_account"));
        long promised = Math.addExact(credits.getOrDefault(to, 0L), leg.amountCents());
        if (!to.canReceive(promised)) {
          throw Rejection.of(Reason.BALANCE_OVERFLOW, field + ".amount_cents", "leg " + i + ": account " + to.id()
              + " cannot hold that much money").with("leg", index).toException();
        }
        credits.put(to, promised);
        postings.add(new Reservation.Posting(i, to.id(), leg.amountCents(),
            leg.debits() ? leg.from().toString() : "deposit"));
      }
    }
    var reservation = new Reservation(postings);
    hold(reservation);
    return reservation;
  }

  /** Re-takes the holds of a reservation recovered from the store. */
  public void hold(Reservation reservation) {
    totals(reservation).forEach((account, t) -> account.hold(t[0], t[1]));
  }

  /** Gives back what {@link #reserve} held: the transaction aborted. */
  public void release(Reservation reservation) {
    totals(reservation).forEach((account, t) -> account.release(t[0], t[1]));
  }

  /**
   * Applies a committed transaction's reservation: holds become postings, each posting a ledger entry stamped with
   * the transaction's final timestamp. Returns the entries written.
   */
  public List<LedgerEntry> apply(String transactionId, Stamp stamp, Reservation reservation) {
    release(reservation);
    var entries = new ArrayList<LedgerEntry>();
    for (Reservation.Posting p : reservation.postings()) {
      Account a = bank.account(p.account(), "account");
      long sequence = a.post(p.signedCents());
      var entry = new LedgerEntry(a.id(), sequence, transactionId, stamp, p.counterparty(), p.signedCents(),
          a.balanceCents());
      bank.recordPosting(a);
      bank.recordEntry(entry);
      entries.add(entry);
    }
    bank.auditTrail().record(stamp, reservation.postings());
    return entries;
  }

  /** How a debit's statement names where the money went: the account, even when it was sent to a local key. */
  private String counterparty(Destination to) {
    if (to instanceof Destination.ToPixKey(String keyBank, String key) && keyBank.equals(bank.id())) {
      PixKey k = bank.lookUpPixKey(key);
      return k == null ? to.toString() : k.account().toString();
    }
    return to.toString();
  }

  /** Per account: {held debits, promised credits}. */
  private Map<Account, long[]> totals(Reservation reservation) {
    var out = new HashMap<Account, long[]>();
    for (Reservation.Posting p : reservation.postings()) {
      long[] t = out.computeIfAbsent(bank.account(p.account(), "account"), a -> new long[2]);
      if (p.signedCents() < 0) {
        t[0] = Math.addExact(t[0], -p.signedCents());
      } else {
        t[1] = Math.addExact(t[1], p.signedCents());
      }
    }
    return out;
  }

  private static Account withLeg(String index, java.util.function.Supplier<Account> lookup) {
    try {
      return lookup.get();
    } catch (Rejection.Rejected r) {
      throw r.rejection().with("leg", index).toException();
    }
  }
}
