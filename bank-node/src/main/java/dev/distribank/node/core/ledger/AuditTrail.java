package dev.distribank.node.core.ledger;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a bank needs to report its totals as of a past global timestamp: the running totals, and the most recent
 * applications (newest last) to subtract when the cut falls before them. Applications happen in timestamp order, so
 * "after the cut" is always a suffix of this list.
 *
 * <p>The running totals only grow — money deposited and withdrawn again adds to both — so no fixed-width integer can
 * hold them for good, and a cap on them would let anyone stop a bank's deposits by depositing and withdrawing until
 * it is reached. They are exact integers instead ({@link BigInteger}), as is the sum of a bank's balances: recording
 * an application and answering an audit can never overflow, so neither can stop the bank.
 *
 * <p>For the bilateral audit it also keeps, per other bank, the money it sent there and received from there
 * ({@link Flow}). The rule, leg by leg: a transfer leg that debits an account at this bank and credits one at bank B
 * adds its amount to what this bank <em>sent to B</em>; one that credits an account here from an account at B adds
 * to what it <em>received from B</em>. Deposits, withdrawals and transfers within this bank are no bank's flow, and a
 * leg between two other banks is not this bank's. A transaction with many legs counts each one on its own, not
 * netted: every transfer leg between two banks has exactly one bank that sends it and one that receives it, both apply
 * it at the transaction's final timestamp, so at any audit cut what honest A says it sent to B is exactly what B says
 * it received from A, whatever the shape of the transactions. Gross flows also show what netting would hide: a lie
 * on both sides that cancels out.
 */
public final class AuditTrail {
  /** Enough for any audit that completes while fewer than this many transactions apply here. */
  static final int CAPACITY = 200_000;

  /** What this bank recorded sending to one other bank and receiving from it, exact: they only grow. */
  public record Flow(BigInteger sentCents, BigInteger receivedCents) {
    public static final Flow NONE = new Flow(BigInteger.ZERO, BigInteger.ZERO);

    Flow plus(Movement m) {
      return new Flow(sentCents.add(BigInteger.valueOf(m.sentCents())),
          receivedCents.add(BigInteger.valueOf(m.receivedCents())));
    }

    Flow minus(Movement m) {
      return new Flow(sentCents.subtract(BigInteger.valueOf(m.sentCents())),
          receivedCents.subtract(BigInteger.valueOf(m.receivedCents())));
    }
  }

  /** One transaction's money between this bank and one other; at most 64 legs of 10^15 cents each fit a long. */
  private record Movement(String bank, long sentCents, long receivedCents) {}

  private record Applied(Stamp stamp, List<Reservation.Posting> postings, List<Movement> movements) {}

  private final ArrayDeque<Applied> recent = new ArrayDeque<>();
  private final SortedMap<String, Flow> flows = new TreeMap<>();
  private BigInteger depositsCents = BigInteger.ZERO;
  private BigInteger withdrawalsCents = BigInteger.ZERO;
  private long oldestForgottenCounter = -1;

  public BigInteger depositsCents() {
    return depositsCents;
  }

  public BigInteger withdrawalsCents() {
    return withdrawalsCents;
  }

  /** Per other bank this one ever moved money with, the running flows (for the store). */
  public SortedMap<String, Flow> flows() {
    return Collections.unmodifiableSortedMap(flows);
  }

  /**
   * Recovery: the totals as stored. What was applied before the restart is not in {@link #recent} any more, so a cut
   * below the restored clock (every such application is at or below it) cannot be answered: say so.
   */
  public void restore(BigInteger deposits, BigInteger withdrawals, Map<String, Flow> storedFlows,
      long restoredClock) {
    depositsCents = deposits;
    withdrawalsCents = withdrawals;
    flows.clear();
    flows.putAll(storedFlows);
    oldestForgottenCounter = restoredClock;
  }

  /** Whether {@link #asOf} can answer for this cut. */
  public boolean remembers(long atCounter) {
    return oldestForgottenCounter <= atCounter;
  }

  /**
   * Adds an applied transaction's deposits, withdrawals and flows with other banks to the totals, and remembers it
   * for audits. {@code legs} are the whole transaction's: each posting names its leg, whose other end is the
   * counterparty bank.
   */
  void record(Stamp stamp, List<Leg> legs, List<Reservation.Posting> postings) {
    for (Reservation.Posting p : postings) {
      if (p.kind() == Reservation.Kind.DEPOSIT) {
        depositsCents = depositsCents.add(BigInteger.valueOf(p.signedCents()));
      } else if (p.kind() == Reservation.Kind.WITHDRAWAL) {
        withdrawalsCents = withdrawalsCents.subtract(BigInteger.valueOf(p.signedCents()));
      }
    }
    List<Movement> movements = movements(legs, postings);
    for (Movement m : movements) {
      flows.put(m.bank(), flows.getOrDefault(m.bank(), Flow.NONE).plus(m));
    }
    recent.addLast(new Applied(stamp, postings, movements));
    if (recent.size() > CAPACITY) {
      oldestForgottenCounter = recent.removeFirst().stamp().counter();
    }
  }

  /** Per other bank, what this transaction's postings sent there and received from there (the rule above). */
  private static List<Movement> movements(List<Leg> legs, List<Reservation.Posting> postings) {
    Map<String, long[]> byBank = null;
    for (Reservation.Posting p : postings) {
      boolean sent = p.kind() == Reservation.Kind.DEBIT;
      if (!sent && p.kind() != Reservation.Kind.CREDIT) {
        continue;
      }
      Leg leg = legs.get(p.leg());
      String other = sent ? leg.to().bank() : leg.from().bank();
      if (other.equals(p.account().bank())) {
        continue;
      }
      if (byBank == null) {
        byBank = new TreeMap<>();
      }
      long[] m = byBank.computeIfAbsent(other, b -> new long[2]);
      if (sent) {
        m[0] = Math.addExact(m[0], -p.signedCents());
      } else {
        m[1] = Math.addExact(m[1], p.signedCents());
      }
    }
    if (byBank == null) {
      return List.of();
    }
    return byBank.entrySet().stream().map(e -> new Movement(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
  }

  /**
   * A bank's totals as of a cut, exact; {@code flows} has an entry for every other member, zero when nothing moved,
   * so that a bank missing from it is a bank left out.
   */
  public record Snapshot(String bank, BigInteger totalBalanceCents, BigInteger depositsCents,
      BigInteger withdrawalsCents, int accounts, int negativeAccounts, SortedMap<String, Flow> flows) {
    public Snapshot {
      flows = Collections.unmodifiableSortedMap(new TreeMap<>(flows));
    }
  }

  /**
   * Totals as of {@code atCounter}: every application with a final counter up to it counted, none after. The caller
   * makes sure nothing with a counter up to the cut is still undecided here. Every bank of {@code members} but this
   * one gets a flow, zero if this bank never moved money with it.
   */
  public Snapshot asOf(long atCounter, Bank bank, Set<String> members) {
    if (!remembers(atCounter)) {
      throw new IllegalStateException("the audit cut " + atCounter + " is older than this bank remembers");
    }
    // Per account, what applied after the cut: the balance's change since then, which the balance cap bounds.
    var undo = new HashMap<AccountId, Long>();
    BigInteger deposits = depositsCents;
    BigInteger withdrawals = withdrawalsCents;
    var flowsAtCut = new TreeMap<String, Flow>();
    members.forEach(b -> flowsAtCut.put(b, Flow.NONE));
    flowsAtCut.putAll(flows);
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
      for (Movement m : a.movements()) {
        flowsAtCut.put(m.bank(), flowsAtCut.get(m.bank()).minus(m));
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
    flowsAtCut.remove(bank.id());
    return new Snapshot(bank.id(), total, deposits, withdrawals, accounts, negative, flowsAtCut);
  }
}
