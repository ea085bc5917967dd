package dev.distribank.cli;

import dev.distribank.cli.text.Money;
import dev.distribank.cli.text.Table;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankTotals;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bank-admin audit}: the consortium's books at one global instant, and whether they add up.
 *
 * <p>The node asked picks a cut (a global timestamp counter) and collects every bank's totals as of that cut; since
 * every bank applies transactions in the same timestamp order, the sums are exact even while transfers run. Each
 * bank also reports what it sent to and received from every other bank, and every pair's two accounts must match
 * (the bilateral check: a bank that lies about its own books is named with the bank it lied about). The command
 * exits 0 only if both invariants hold and every pair agrees, so a script or a load run can fail on a broken ledger.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Audit the whole consortium at one global timestamp and check its invariants.",
        "Prints every bank's accounts, balances, deposits, withdrawals and negative accounts as of the cut, the"
            + " totals, and two verdicts: I1 conservation (total balance = deposits - withdrawals) and I2 no negative"
            + " balance. Then, for every pair of banks, what each says it sent to and received from the other, and"
            + " the pairs whose accounts disagree. Exits 0 only when both invariants hold and every pair agrees, 1"
            + " otherwise. Sends the node's admin token."})
public final class AuditCommand implements Callable<Integer> {
  @Mixin
  private GlobalOptions global;

  @Override
  public Integer call() {
    AuditResponse response = global.call(bank -> bank.admin().audit(AuditRequest.getDefaultInstance()));
    Verdict verdict = Verdict.of(response);
    global.print(response, out -> print(out, response, verdict));
    return verdict.holds() ? 0 : 1;
  }

  /**
   * The verdicts of an audit, each checked on the numbers as well as taken from the bank's flags, so that a bank
   * that summed or flagged wrongly cannot make a broken ledger read OK. {@code disagreeingPairs} are the pairs of
   * banks ("alpha/beta") whose records of the money between them do not match.
   */
  public record Verdict(boolean conservation, boolean noNegativeBalance, boolean bilateral, List<String> disagreeingPairs) {
    public static Verdict of(AuditResponse a) {
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
      return new Verdict(conserved, a.getNoNegativeBalance() && negative == 0,
          a.getBilateralAgreed() && disagreeing.isEmpty(), disagreeing);
    }

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
      var common = new java.util.TreeSet<>(List.of(disagreeingPairs.get(0).split("/")));
      disagreeingPairs.forEach(p -> common.retainAll(List.of(p.split("/"))));
      return disagreeingPairs.size() > 1 && common.size() == 1 ? "; every one involves " + common.first() : "";
    }
  }

  // Running totals may outgrow an int64: read the exact decimal fields, or the int64 ones from an older node.

  public static BigInteger balance(BankTotals b) {
    return exact(b.getExactTotalBalanceCents(), b.getTotalBalanceCents());
  }

  public static BigInteger deposits(BankTotals b) {
    return exact(b.getExactDepositsCents(), b.getDepositsCents());
  }

  public static BigInteger withdrawals(BankTotals b) {
    return exact(b.getExactWithdrawalsCents(), b.getWithdrawalsCents());
  }

  public static BigInteger balance(AuditResponse a) {
    return exact(a.getExactTotalBalanceCents(), a.getTotalBalanceCents());
  }

  public static BigInteger deposits(AuditResponse a) {
    return exact(a.getExactDepositsCents(), a.getDepositsCents());
  }

  public static BigInteger withdrawals(AuditResponse a) {
    return exact(a.getExactWithdrawalsCents(), a.getWithdrawalsCents());
  }

  /** A malformed decimal from a bank reads as a total that cannot balance: the verdict then says BROKEN. */
  private static BigInteger exact(String decimal, long value) {
    if (decimal.isEmpty()) {
      return BigInteger.valueOf(value);
    }
    try {
      return new BigInteger(decimal);
    } catch (NumberFormatException e) {
      return BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE);
    }
  }

  /** The per-bank table with a totals row, the cut, the two invariants, then the pairs and their verdict. */
  public static void print(PrintWriter out, AuditResponse a, Verdict verdict) {
    Table table = new Table().left("BANK").right("ACCOUNTS").right("BALANCE TOTAL").right("DEPOSITS")
        .right("WITHDRAWALS").right("NEGATIVE ACCOUNTS");
    long accounts = 0;
    long negative = 0;
    for (BankTotals b : a.getBanksList()) {
      table.row(b.getBank(), Long.toString(b.getAccounts()), Money.format(balance(b)),
          Money.format(deposits(b)), Money.format(withdrawals(b)), Long.toString(b.getNegativeAccounts()));
      accounts += b.getAccounts();
      negative += b.getNegativeAccounts();
    }
    table.row("total", Long.toString(accounts), Money.format(balance(a)), Money.format(deposits(a)),
        Money.format(withdrawals(a)), Long.toString(negative));
    table.print(out);
    out.println("at counter " + a.getAtCounter());
    out.println(verdict.conservationLine(a));
    out.println(verdict.negativeLine());
    BilateralFlows.print(out, a);
    out.println(verdict.bilateralLine(a));
  }
}
