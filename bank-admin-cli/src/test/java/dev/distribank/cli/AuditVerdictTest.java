package dev.distribank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankTotals;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit's verdicts and text, for books that add up and for books that do not (no node can be made to break). */
class AuditVerdictTest {
  private static AuditResponse audit(long alphaBalance, int negative, boolean balancedFlag) {
    var alpha = BankTotals.newBuilder().setBank("alpha").setAccounts(2).setTotalBalanceCents(alphaBalance)
        .setDepositsCents(10_000).setWithdrawalsCents(1_000).setNegativeAccounts(negative).build();
    var beta = BankTotals.newBuilder().setBank("beta").setAccounts(1).setTotalBalanceCents(500)
        .setDepositsCents(500).build();
    return AuditResponse.newBuilder().setAtCounter(77).addBanks(alpha).addBanks(beta)
        .setTotalBalanceCents(alphaBalance + 500).setDepositsCents(10_500).setWithdrawalsCents(1_000)
        .setBalanced(balancedFlag).setNoNegativeBalance(negative == 0).build();
  }

  private static List<String> text(AuditResponse a) {
    StringWriter out = new StringWriter();
    AuditCommand.print(new PrintWriter(out, true), a, AuditCommand.Verdict.of(a));
    return out.toString().lines().toList();
  }

  @Test
  void balanced_bothOk() {
    AuditResponse a = audit(9_000, 0, true);
    assertTrue(AuditCommand.Verdict.of(a).holds());
    List<String> lines = text(a);
    assertEquals("BANK   ACCOUNTS  BALANCE TOTAL  DEPOSITS  WITHDRAWALS  NEGATIVE ACCOUNTS", lines.get(0));
    assertEquals("alpha         2          90.00    100.00        10.00                  0", lines.get(1));
    assertEquals("beta          1           5.00      5.00         0.00                  0", lines.get(2));
    assertEquals("total         3          95.00    105.00        10.00                  0", lines.get(3));
    assertEquals("at counter 77", lines.get(4));
    assertEquals("I1 conservation: OK (total 95.00 = deposits 105.00 - withdrawals 10.00)", lines.get(5));
    assertEquals("I2 no negative balance: OK", lines.get(6));
  }

  @Test
  void moneyCreated_conservationBroken() {
    AuditResponse a = audit(9_001, 0, false);
    assertFalse(AuditCommand.Verdict.of(a).holds());
    assertEquals("I1 conservation: BROKEN (total 95.01 != deposits 105.00 - withdrawals 10.00)", text(a).get(5));
  }

  @Test
  void flagSaysBalancedButNumbersDoNot_stillBroken() {
    AuditResponse a = audit(9_001, 0, true);
    assertFalse(AuditCommand.Verdict.of(a).conservation());
  }

  @Test
  void negativeAccount_i2Broken() {
    AuditResponse a = audit(9_000, 1, true);
    AuditCommand.Verdict v = AuditCommand.Verdict.of(a);
    assertTrue(v.conservation());
    assertFalse(v.noNegativeBalance());
    assertEquals("I2 no negative balance: BROKEN", text(a).get(6));
  }
}
