package dev.distribank.node.core.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds and postings: the money side of a bank's vote and of applying a committed transaction.
 *
 * <p>Why it is safe (DESIGN §4): a YES vote holds each debit against the available balance (balance minus holds
 * already taken), so once voted a debit is covered whatever else commits; applying then turns holds into postings and
 * can never overdraw. A leg may not spend money credited by an earlier leg of the same transaction: each debit is
 * covered by funds the account had before the transaction.
 *
 * <p>Applying never fails (DESIGN §5): every check that could refuse — authority, consent limits, funds, the balance
 * cap — runs in {@link #reserve}, and each is reserved there like funds, so that {@link #apply} only moves what was
 * reserved (the bank's running totals are exact integers, which cannot overflow). An assertion that fires while
 * applying is a broken invariant, and the node stops before writing anything.
 */
public final class Escrow {
  private final Bank bank;

  public Escrow(Bank bank) {
    this.bank = bank;
  }

  /** What one transaction debits from one account, and under which authority. */
  private record Debit(long cents, Consent consent) {}

  /**
   * Checks the legs of {@code legs} that touch this bank and, if all pass, holds their debits and promised credits.
   * Checks run leg by leg, debit before credit, in a fixed precedence per leg (the account exists, the principal may
   * debit it, within the consent's limits, funds, then the credit side); the first failure is thrown (naming its leg)
   * and nothing is held.
   */
  public Reservation reserve(Principal principal, List<Leg> legs) {
    var postings = new ArrayList<Reservation.Posting>();
    var debits = new HashMap<Account, Debit>();
    var credits = new HashMap<Account, Long>();
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      String field = "legs[" + i + "]";
      if (leg.debits() && leg.from().bank().equals(bank.id())) {
        Account from = withLeg(i, () -> bank.account(leg.from(), field + ".from_account"));
        Debit before = debits.get(from);
        Consent consent = before != null ? before.consent()
            : withLeg(i, () -> bank.authority(principal, from, field + ".from_account"));
        long wanted = Math.addExact(before == null ? 0 : before.cents(), leg.amountCents());
        if (consent != null) {
          checkConsentLimits(consent, wanted, field, i);
        }
        if (wanted > from.availableCents()) {
          throw Rejection.of(Reason.INSUFFICIENT_FUNDS, field + ".amount_cents", "leg " + i + ": account "
              + from.id() + " has " + from.availableCents() + " cents available, the transaction needs " + wanted)
              .atLeg(i).with("account", from.id().toString())
              .with("available_cents", Long.toString(from.availableCents()))
              .with("needed_cents", Long.toString(wanted)).toException();
        }
        debits.put(from, new Debit(wanted, consent));
        postings.add(new Reservation.Posting(i, from.id(), -leg.amountCents(),
            leg.credits() ? counterparty(leg.to()) : "withdrawal",
            leg.credits() ? Reservation.Kind.DEBIT : Reservation.Kind.WITHDRAWAL,
            consent == null ? Reservation.NO_CONSENT : consent.id()));
      }
      if (leg.credits() && leg.to().bank().equals(bank.id())) {
        Account to = withLeg(i, () -> bank.resolve(leg.to(), field + ".to_account"));
        long promised = Math.addExact(credits.getOrDefault(to, 0L), leg.amountCents());
        if (!to.canReceive(promised)) {
          throw Rejection.of(Reason.BALANCE_OVERFLOW, field + ".amount_cents", "leg " + i + ": account " + to.id()
              + " cannot hold that much money (at most " + Account.MAX_BALANCE_CENTS + " cents)")
              .atLeg(i).with("account", to.id().toString()).toException();
        }
        credits.put(to, promised);
        postings.add(new Reservation.Posting(i, to.id(), leg.amountCents(),
            leg.debits() ? leg.from().toString() : "deposit",
            leg.debits() ? Reservation.Kind.CREDIT : Reservation.Kind.DEPOSIT, Reservation.NO_CONSENT));
      }
    }
    var reservation = new Reservation(postings);
    hold(reservation);
    return reservation;
  }

  private static void checkConsentLimits(Consent consent, long wanted, String field, int index) {
    if (!consent.allowsInOneTransaction(wanted)) {
      throw Rejection.of(Reason.CONSENT_LIMIT_EXCEEDED, field + ".amount_cents", "leg " + index + ": consent "
          + consent.id() + " lets " + consent.grantee().qualified() + " debit " + consent.account() + " at most "
          + consent.limitPerTransactionCents() + " cents in one transaction; this one needs " + wanted)
          .atLeg(index).with("account", consent.account().toString())
          .with("consent_id", Long.toString(consent.id()))
          .with("limit_per_transaction_cents", Long.toString(consent.limitPerTransactionCents()))
          .with("needed_cents", Long.toString(wanted)).toException();
    }
    if (!consent.allowsInTotal(wanted)) {
      long left = consent.totalLimitCents() - consent.usedCents() - consent.reservedCents();
      throw Rejection.of(Reason.CONSENT_LIMIT_EXCEEDED, field + ".amount_cents", "leg " + index + ": consent "
          + consent.id() + " on " + consent.account() + " has " + Math.max(0, left) + " cents left of its total "
          + consent.totalLimitCents() + "; this transaction needs " + wanted)
          .atLeg(index).with("account", consent.account().toString())
          .with("consent_id", Long.toString(consent.id()))
          .with("total_limit_cents", Long.toString(consent.totalLimitCents()))
          .with("needed_cents", Long.toString(wanted)).toException();
    }
  }

  /** Re-takes the holds of a reservation recovered from the store (or just made): funds and consents. */
  public void hold(Reservation reservation) {
    totals(reservation).forEach((account, t) -> account.hold(t[0], t[1]));
    for (Reservation.Posting p : reservation.postings()) {
      if (p.consentId() != Reservation.NO_CONSENT) {
        bank.consent(p.consentId()).reserve(-p.signedCents());
      }
    }
  }

  /** Gives back what {@link #reserve} held: the transaction aborted. */
  public void release(Reservation reservation) {
    totals(reservation).forEach((account, t) -> account.release(t[0], t[1]));
    for (Reservation.Posting p : reservation.postings()) {
      if (p.consentId() != Reservation.NO_CONSENT) {
        bank.consent(p.consentId()).release(-p.signedCents());
      }
    }
  }

  /**
   * Applies a committed transaction's reservation: holds become postings, each posting a ledger entry stamped with
   * the transaction's final timestamp and naming who asked. {@code legs} are the whole transaction's (the audit trail
   * reads each posting's counterparty bank off its leg). Returns the entries written.
   */
  public List<LedgerEntry> apply(String transactionId, Stamp stamp, Principal initiator, List<Leg> legs,
      Reservation reservation) {
    totals(reservation).forEach((account, t) -> account.release(t[0], t[1]));
    var entries = new ArrayList<LedgerEntry>();
    for (Reservation.Posting p : reservation.postings()) {
      Account a = bank.account(p.account(), "account");
      long sequence = a.post(p.signedCents());
      if (p.consentId() != Reservation.NO_CONSENT) {
        Consent consent = bank.consent(p.consentId());
        consent.use(-p.signedCents());
        bank.recordConsent(consent);
      }
      var entry = new LedgerEntry(a.id(), sequence, transactionId, stamp, p.counterparty(), p.signedCents(),
          a.balanceCents(), initiator.toString(), p.consentId());
      bank.recordPosting(a);
      bank.recordEntry(entry);
      entries.add(entry);
    }
    bank.auditTrail().record(stamp, legs, reservation.postings());
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

  private static <T> T withLeg(int index, java.util.function.Supplier<T> lookup) {
    try {
      return lookup.get();
    } catch (Rejection.Rejected r) {
      throw r.rejection().atLeg(index).toException();
    }
  }
}
