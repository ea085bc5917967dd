package dev.distribank.cli.audit;

import static dev.distribank.cli.audit.AuditTotals.balance;
import static dev.distribank.cli.audit.AuditTotals.deposits;
import static dev.distribank.cli.audit.AuditTotals.withdrawals;

import dev.distribank.cli.GlobalOptions;
import dev.distribank.cli.text.Money;
import dev.distribank.cli.text.Table;
import dev.distribank.proto.bank.v1.AuditRequest;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankTotals;
import java.io.PrintWriter;
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
    AuditVerdict verdict = AuditVerdict.of(response);
    global.print(response, out -> print(out, response, verdict));
    return verdict.holds() ? 0 : 1;
  }

  /**
   * The per-bank table with a totals row, the cut, the two invariants, then the pairs and their verdict: the audit as
   * this command prints it, and as a load run's text report shows it.
   */
  public static void print(PrintWriter out, AuditResponse a, AuditVerdict verdict) {
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
