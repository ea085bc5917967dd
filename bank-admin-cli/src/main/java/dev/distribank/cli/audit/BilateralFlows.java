package dev.distribank.cli.audit;

import dev.distribank.cli.text.Money;
import dev.distribank.cli.text.Table;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankPairFlows;
import dev.distribank.proto.bank.v1.BankTotals;
import dev.distribank.proto.bank.v1.CounterpartyFlow;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The audit's bilateral check as the CLI reads it: for every pair of banks, what each says it sent to and received
 * from the other at the cut. The pairs that disagree are those the node names, those it marks as not agreed, and
 * those the CLI finds itself in the banks' own reports, so that a node that compared or flagged wrongly cannot make
 * a bank's lie read OK.
 */
final class BilateralFlows {
  private BilateralFlows() {}

  /** The pairs that disagree, as "alpha/beta" (the lower id first), in order. */
  static List<String> disagreeing(AuditResponse a) {
    var out = new TreeSet<String>(a.getDisagreeingPairsList());
    for (BankPairFlows p : a.getPairsList()) {
      if (!p.getAgreed()) {
        out.add(p.getBankA() + "/" + p.getBankB());
      }
    }
    out.addAll(recheck(a.getBanksList()));
    return List.copyOf(out);
  }

  /**
   * Every pair of the audited banks, from the banks' snapshots: a pair agrees when both sides reported the other, once,
   * with integer amounts, and what each sent is what the other received.
   */
  private static SortedSet<String> recheck(List<BankTotals> banks) {
    var reports = new HashMap<String, Map<String, BigInteger[]>>();
    for (BankTotals b : banks) {
      Map<String, BigInteger[]> sides = new HashMap<>();
      for (CounterpartyFlow f : b.getCounterpartyFlowsList()) {
        BigInteger[] side = {amount(f.getExactSentCents()), amount(f.getExactReceivedCents())};
        sides.put(f.getBank(), sides.containsKey(f.getBank()) ? new BigInteger[2] : side);
      }
      reports.put(b.getBank(), sides);
    }
    var ids = new TreeSet<>(reports.keySet()).stream().toList();
    var out = new TreeSet<String>();
    for (int i = 0; i < ids.size(); i++) {
      for (int j = i + 1; j < ids.size(); j++) {
        BigInteger[] ab = reports.get(ids.get(i)).get(ids.get(j));
        BigInteger[] ba = reports.get(ids.get(j)).get(ids.get(i));
        boolean agreed = ab != null && ba != null && ab[0] != null && ab[1] != null && ab[0].equals(ba[1])
            && ab[1].equals(ba[0]);
        if (!agreed) {
          out.add(ids.get(i) + "/" + ids.get(j));
        }
      }
    }
    return out;
  }

  /** An exact amount, or null when it is missing or not an integer. */
  private static BigInteger amount(String decimal) {
    try {
      return new BigInteger(decimal);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The pairs as the node reported them, one row each: both sides' account of each direction, and the verdict. */
  static void print(PrintWriter out, AuditResponse a) {
    if (a.getPairsCount() == 0) {
      return;
    }
    Table table = new Table().left("PAIR A/B").right("A SENT TO B").right("B RECEIVED FROM A").right("B SENT TO A")
        .right("A RECEIVED FROM B").left("AGREE");
    for (BankPairFlows p : a.getPairsList()) {
      table.row(p.getBankA() + "/" + p.getBankB(), cents(p.getASentToBCents()), cents(p.getBReceivedFromACents()),
          cents(p.getBSentToACents()), cents(p.getAReceivedFromBCents()), p.getAgreed() ? "yes" : "NO");
    }
    table.print(out);
  }

  /** An amount as the table shows it: "missing" when the bank did not report it. */
  private static String cents(String decimal) {
    if (decimal.isEmpty()) {
      return "missing";
    }
    BigInteger cents = amount(decimal);
    return cents == null ? "invalid" : Money.format(cents);
  }
}
