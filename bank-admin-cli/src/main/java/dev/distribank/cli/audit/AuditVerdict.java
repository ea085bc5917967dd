package dev.distribank.cli.audit;

import static dev.distribank.cli.audit.AuditTotals.balance;
import static dev.distribank.cli.audit.AuditTotals.deposits;
import static dev.distribank.cli.audit.AuditTotals.withdrawals;

import dev.distribank.cli.text.Money;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankTotals;
import java.math.BigInteger;
import java.util.List;
import java.util.TreeSet;

/**
 * The verdicts of an audit, each checked on the numbers as well as taken from the bank's flags, so that a bank
 * that summed or flagged wrongly cannot make a broken ledger read OK. {@code disagreeingPairs} are the pairs of
 * banks ("alpha/beta") whose records of the money between them do not match.
 */
public record AuditVerdict(boolean conservation, boolean noNegativeBalance, boolean bilateral,
    List<String> disagreeingPairs) {
  /** The verdicts on {@code a}. */
  public static AuditVerdict of(AuditResponse a) {
    BigInteger total = BigInteger.ZERO;
    BigInteger deposits = BigInteger.ZERO;
    BigInteger withdrawals = BigInteger.ZERO;
    long negative = 0;
    for (BankTotals b : a.getBanksList()) {
      total = total.add(balance(b));
      deposits = deposits.add(deposits(b));
      withdrawals = withdrawals.add(withdrawals(b));
      negative += b.getNegativeAccounts();
    }
    boolean sumsAgree = total.equals(balance(a)) && deposits.equals(deposits(a))
        && withdrawals.equals(withdrawals(a));
    boolean conserved = a.getBalanced() && sumsAgree && balance(a).equals(deposits(a).subtract(withdrawals(a)));
    List<String> disagreeing = BilateralFlows.disagreeing(a);
    return new AuditVerdict(conserved, a.getNoNegativeBalance() && negative == 0,
        a.getBilateralAgreed() && disagreeing.isEmpty(), disagreeing);
  }

  /** Both invariants hold and every pair of banks agrees. */
  public boolean holds() {
    return conservation && noNegativeBalance && bilateral;
  }

  /** "I1 conservation: OK (total X = deposits Y - withdrawals Z)"; BROKEN with "!=" when it does not hold. */
  String conservationLine(AuditResponse a) {
    return "I1 conservation: " + (conservation ? "OK" : "BROKEN") + " (total "
        + Money.format(balance(a)) + (conservation ? " = " : " != ") + "deposits "
        + Money.format(deposits(a)) + " - withdrawals " + Money.format(withdrawals(a)) + ")";
  }

  String negativeLine() {
    return "I2 no negative balance: " + (noNegativeBalance ? "OK" : "BROKEN");
  }

  /** "bilateral flows: OK (6 pairs agree)"; BROKEN naming the pairs that disagree. */
  String bilateralLine(AuditResponse a) {
    if (bilateral) {
      return "bilateral flows: OK (" + a.getPairsCount() + (a.getPairsCount() == 1 ? " pair agrees)"
          : " pairs agree)");
    }
    return "bilateral flows: BROKEN (" + (disagreeingPairs.isEmpty() ? "the audit has no bilateral verdict"
        : "disagree: " + String.join(", ", disagreeingPairs) + implicated()) + ")";
  }

  /** "; every one involves gamma" when one bank is part of every disagreeing pair (and there are several). */
  private String implicated() {
    var common = new TreeSet<>(List.of(disagreeingPairs.get(0).split("/")));
    disagreeingPairs.forEach(p -> common.retainAll(List.of(p.split("/"))));
    return disagreeingPairs.size() > 1 && common.size() == 1 ? "; every one involves " + common.first() : "";
  }
}

