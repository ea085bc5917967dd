package dev.distribank.node.ledger;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a bank needs to report its totals as of a past global timestamp: the running totals, and the most recent
 * applications (newest last) to subtract when the cut falls before them. Applications happen in timestamp order, so
 * "after the cut" is always a suffix of this list.
 */
public final class AuditTrail {
  /** Enough for any audit that completes while fewer than this many transactions apply here. */
  static final int CAPACITY = 200_000;

  /**
   * A cap on each running total (R$ 1 quadrillion), checked at vote time against what is applied plus what YES votes
   * have promised, so that applying can never overflow; and low enough that a consortium of up to 92 banks sums its
   * totals and balances in a {@code long} exactly.
   */
  public static final long MAX_TOTAL_CENTS = 100_000_000_000_000_000L;

  private record Applied(Stamp stamp, List<Reservation.Posting> postings) {}

  private final ArrayDeque<Applied> recent = new ArrayDeque<>();
  private long depositsCents;
  private long withdrawalsCents;
  /** Deposits and withdrawals of YES votes not yet applied: counted against the caps like holds against funds. */
  private long promisedDepositsCents;
  private long promisedWithdrawalsCents;
  private long oldestForgottenCounter = -1;

  public long depositsCents() {
    return depositsCents;
  }

  public long withdrawalsCents() {
    return withdrawalsCents;
  }

  /**
   * Recovery: the totals as stored. What was applied before the restart is not in {@link #recent} any more, so a cut
   * below the restored clock (every such application is at or below it) cannot be answered: say so.
   */
  public void restore(long deposits, long withdrawals, long restoredClock) {
    depositsCents = deposits;
    withdrawalsCents = withdrawals;
    oldestForgottenCounter = restoredClock;
  }

  /** Whether {@link #asOf} can answer for this cut. */
  public boolean remembers(long atCounter) {
    return oldestForgottenCounter <= atCounter;
  }

  /** Whether a vote may promise {@code cents} more of deposits (or withdrawals) without passing the cap. */
  boolean canPromise(Reservation.Kind kind, long cents) {
    return kind == Reservation.Kind.DEPOSIT ? MAX_TOTAL_CENTS - depositsCents - promisedDepositsCents >= cents
        : MAX_TOTAL_CENTS - withdrawalsCents - promisedWithdrawalsCents >= cents;
  }

  /** A YES vote promises these postings' deposits and withdrawals (or recovery re-takes the vote). */
  void promise(List<Reservation.Posting> postings) {
    for (Reservation.Posting p : postings) {
      if (p.kind() == Reservation.Kind.DEPOSIT) {
        promisedDepositsCents = Math.addExact(promisedDepositsCents, p.signedCents());
      } else if (p.kind() == Reservation.Kind.WITHDRAWAL) {
        promisedWithdrawalsCents = Math.subtractExact(promisedWithdrawalsCents, p.signedCents());
      }
    }
  }

  void unpromise(List<Reservation.Posting> postings) {
    for (Reservation.Posting p : postings) {
      if (p.kind() == Reservation.Kind.DEPOSIT) {
        promisedDepositsCents = Math.subtractExact(promisedDepositsCents, p.signedCents());
      } else if (p.kind() == Reservation.Kind.WITHDRAWAL) {
        promisedWithdrawalsCents = Math.addExact(promisedWithdrawalsCents, p.signedCents());
      }
    }
  }

  /** Applies promised postings: they leave the promises and join the totals (both bounded by the cap). */
  void record(Stamp stamp, List<Reservation.Posting> postings) {
    unpromise(postings);
    for (Reservation.Posting p : postings) {
      if (p.kind() == Reservation.Kind.DEPOSIT) {
        depositsCents = Math.addExact(depositsCents, p.signedCents());
      } else if (p.kind() == Reservation.Kind.WITHDRAWAL) {
        withdrawalsCents = Math.subtractExact(withdrawalsCents, p.signedCents());
      }
    }
    recent.addLast(new Applied(stamp, postings));
    if (recent.size() > CAPACITY) {
      oldestForgottenCounter = recent.removeFirst().stamp().counter();
    }
  }

  /** A bank's totals as of a cut. */
  public record Snapshot(String bank, long totalBalanceCents, long depositsCents, long withdrawalsCents,
      int accounts, int negativeAccounts) {}

  /**
   * Totals as of {@code atCounter}: every application with a final counter up to it counted, none after. The caller
   * makes sure nothing with a counter up to the cut is still undecided here.
   */
  public Snapshot asOf(long atCounter, Bank bank) {
    if (!remembers(atCounter)) {
      throw new IllegalStateException("the audit cut " + atCounter + " is older than this bank remembers");
    }
    var undo = new HashMap<AccountId, Long>();
    long deposits = depositsCents;
    long withdrawals = withdrawalsCents;
    for (Iterator<Applied> it = recent.descendingIterator(); it.hasNext(); ) {
      Applied a = it.next();
      if (a.stamp().counter() <= atCounter) {
        break;
      }
      for (Reservation.Posting p : a.postings()) {
        undo.merge(p.account(), p.signedCents(), Math::addExact);
        if (p.kind() == Reservation.Kind.DEPOSIT) {
          deposits -= p.signedCents();
        } else if (p.kind() == Reservation.Kind.WITHDRAWAL) {
          withdrawals += p.signedCents();
        }
      }
    }
    long total = 0;
    int accounts = 0;
    int negative = 0;
    for (Account account : bank.accounts()) {
      long balance = account.balanceCents() - undo.getOrDefault(account.id(), 0L);
      total = Math.addExact(total, balance);
      accounts++;
      if (balance < 0) {
        negative++;
      }
    }
    return new Snapshot(bank.id(), total, deposits, withdrawals, accounts, negative);
  }

}
