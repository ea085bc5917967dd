package dev.distribank.node.api;

import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankPairFlows;
import dev.distribank.proto.bank.v1.BankTotals;
import dev.distribank.proto.bank.v1.CounterpartyFlow;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit's bilateral check (issue 8): for every pair of audited banks, what each one's snapshot says it sent to
 * and received from the other up to the cut. Every transfer leg between two banks is counted once by the bank that
 * sends it and once by the bank that receives it, both at the transaction's final timestamp ({@code AuditTrail}), so
 * at a consistent cut honest books agree exactly. A bank that misreports its own books (claims money it never
 * received, hides money it sent) disagrees with the bank it lied about, and that pair is named.
 *
 * <p>A side that is missing (the snapshot names no flow with the other bank), malformed, or reported twice counts as
 * a disagreement: silence is not agreement. Flows a bank reports with banks outside the audit are not checked; no
 * audited bank can confirm them.
 */
final class BilateralCheck {
  private BilateralCheck() {}

  /** One bank's report of its flows with one other bank; {@link #UNREADABLE} when it cannot be taken at its word. */
  private record Side(BigInteger sent, BigInteger received) {
    static final Side UNREADABLE = new Side(null, null);

    boolean readable() {
      return sent != null;
    }
  }

  /** Adds every pair of {@code banks} (sorted by id) to {@code out}, with the verdict and the pairs that disagree. */
  static void check(List<BankTotals> banks, AuditResponse.Builder out) {
    var reports = new HashMap<String, Map<String, Side>>();
    for (BankTotals b : banks) {
      reports.put(b.getBank(), sides(b));
    }
    boolean all = true;
    java.util.Set<String> implicated = null;
    for (int i = 0; i < banks.size(); i++) {
      for (int j = i + 1; j < banks.size(); j++) {
        String a = banks.get(i).getBank();
        String b = banks.get(j).getBank();
        BankPairFlows pair = pair(a, b, reports.get(a).get(b), reports.get(b).get(a));
        out.addPairs(pair);
        if (!pair.getAgreed()) {
          all = false;
          out.addDisagreeingPairs(a + "/" + b);
          if (implicated == null) {
            implicated = new java.util.TreeSet<>(List.of(a, b));
          } else {
            implicated.retainAll(List.of(a, b));
          }
        }
      }
    }
    out.setBilateralAgreed(all);
    if (implicated != null) {
      out.addAllImplicatedBanks(implicated);
    }
  }

  /** What {@code a} says about {@code b} ({@code ab}) beside what {@code b} says about {@code a} ({@code ba}). */
  private static BankPairFlows pair(String a, String b, Side ab, Side ba) {
    var pair = BankPairFlows.newBuilder().setBankA(a).setBankB(b);
    if (ab != null && ab.readable()) {
      pair.setASentToBCents(ab.sent().toString()).setAReceivedFromBCents(ab.received().toString());
    }
    if (ba != null && ba.readable()) {
      pair.setBReceivedFromACents(ba.received().toString()).setBSentToACents(ba.sent().toString());
    }
    boolean agreed = ab != null && ba != null && ab.readable() && ba.readable() && ab.sent().equals(ba.received())
        && ab.received().equals(ba.sent());
    return pair.setAgreed(agreed).build();
  }

  /** A snapshot's flows by counterparty; one named twice, or with an amount that is no integer, is unreadable. */
  private static Map<String, Side> sides(BankTotals b) {
    var out = new HashMap<String, Side>();
    for (CounterpartyFlow f : b.getCounterpartyFlowsList()) {
      Side side = Side.UNREADABLE;
      try {
        side = new Side(new BigInteger(f.getExactSentCents()), new BigInteger(f.getExactReceivedCents()));
      } catch (NumberFormatException e) {
        // Not an amount: the bank's report of this pair cannot agree with anything.
      }
      if (out.putIfAbsent(f.getBank(), side) != null) {
        out.put(f.getBank(), Side.UNREADABLE);
      }
    }
    return out;
  }
}
