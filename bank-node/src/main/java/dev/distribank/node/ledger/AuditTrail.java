package dev.distribank.node.ledger;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;

/**
 * What a bank needs to report its totals as of a past global timestamp: the running totals, and the most recent
 * applications (newest last) to subtract when the cut falls before them. Applications happen in timestamp order, so
 * "after the cut" is always a suffix of this list.
 *
 * <p>The running totals only grow — money deposited and withdrawn again adds to both — so no fixed-width integer can
 * hold them for good, and a cap on them would let anyone stop a bank's deposits by depositing and withdrawing until
 * it is reached. They are exact integers instead ({@link BigInteger}), as is the sum of a bank's balances: recording
 * an application and answering an audit can never overflow, so neither can stop the bank.
 */
public final class AuditTrail {
  /** Enough for any audit that completes while fewer than this many transactions apply here. */
  static final int CAPACITY = 200_000;

  private record Applied(Stamp stamp, List<Reservation.Posting> postings) {}

  private final ArrayDeque<Applied> recent = new ArrayDeque<>();
  private BigInteger depositsCents = BigInteger.ZERO;
  private BigInteger withdrawalsCents = BigInteger.ZERO;
  private long oldestForgottenCounter = -1;

  public BigInteger depositsCents() {
    return depositsCents;
  }

  public BigInteger withdrawalsCents() {
    return withdrawalsCents;
  }

  /**
   * Recovery: the totals as stored. What was applied before the restart is not in {@link #recent} any more, so a cut
   * below the restored clock (every such application is at or below it) cannot be answered: say so.
   */
  public void restore(BigInteger deposits, BigInteger withdrawals, long restoredClock) {
    depositsCents = deposits;
    withdrawalsCents = withdrawals;
    oldestForgottenCounter = restoredClock;
  }

  /** Whether {@link #asOf} can answer for this cut. */
  public boolean remembers(long atCounter) {
    return oldestForgottenCounter <= atCounter;
  }

  /** Adds an applied transaction's deposits and withdrawals to the totals, and remembers it for audits. */
  void record(Stamp stamp, List<Reservation.Posting> postings) {
    for (Reservation.Posting p : postings) {
      if (p.kind() == Reservation.Kind.DEPOSIT) {
        depositsCents = depositsCents.add(BigInteger.valueOf(p.signedCents()));
      } else if (p.kind() == Reservation.Kind.WITHDRAWAL) {
        withdrawalsCents = withdrawalsCents.subtract(BigInteger.valueOf(p.signedCents()));
      }
    }
    recent.addLast(new Applied(stamp, postings));
    if (recent.size() > CAPACITY) {
      oldestForgottenCounter = recent.removeFirst().stamp().counter();
    }
  }

  /** A bank's totals as of a cut, exact. */
  public record Snapshot(String bank, BigInteger totalBalanceCents, BigInteger depositsCents,
      BigInteger withdrawalsCents, int accounts, int negativeAccounts) {}

  /**
   * Totals as of {@code atCounter}: every application with a final counter up to it counted, none after. The caller
   * makes sure nothing with a counter up to the cut is still undecided here.
   */
  public Snapshot asOf(long atCounter, Bank bank) {
    if (!remembers(atCounter)) {
      throw new IllegalStateException("the audit cut " + atCounter + " is older than this bank remembers");
    }
    // Per account, what applied after the cut: the balance's change since then, which the balance cap bounds.
    var undo = new HashMap<AccountId, Long>();
    BigInteger deposits = depositsCents;
    BigInteger withdrawals = withdrawalsCents;
    for (Iterator<Applied> it = recent.descendingIterator(); it.hasNext(); ) {
      Applied a = it.next();
      if (a.stamp().counter() <= atCounter) {
        break;
      }
      for (Reservation.Posting p : a.postings()) {
        undo.merge(p.account(), p.signedCents(), Long::sum);
        if (p.kind() == Reservation.Kind.DEPOSIT) {
          deposits = deposits.subtract(BigInteger.valueOf(p.signedCents()));
        } else if (p.kind() == Reservation.Kind.WITHDRAWAL) {
          withdrawals = withdrawals.add(BigInteger.valueOf(p.signedCents()));
        }
      }
    }
    BigInteger total = BigInteger.ZERO;
    int accounts = 0;
    int negative = 0;
    for (Account account : bank.accounts()) {
      long balance = account.balanceCents() - undo.getOrDefault(account.id(), 0L);
      total = total.add(BigInteger.valueOf(balance));
      accounts++;
      if (balance < 0) {
        negative++;
      }
    }
    return new Snapshot(bank.id(), total, deposits, withdrawals, accounts, negative);
  }
}
