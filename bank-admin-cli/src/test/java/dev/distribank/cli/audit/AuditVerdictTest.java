package dev.distribank.cli.audit;

import static dev.distribank.cli.audit.Audits.audit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankPairFlows;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The audit's verdicts and text, for books that add up and for books that do not, and for a bank whose flows with
 * another do not match that bank's (no honest node can be made to break).
 */
class AuditVerdictTest {
  private static List<String> text(AuditResponse a) {
    StringWriter out = new StringWriter();
    AuditCommand.print(new PrintWriter(out, true), a, AuditVerdict.of(a));
    return out.toString().lines().toList();
  }

  @Test
  void balanced_bothOk() {
    AuditResponse a = audit(9_000, 0, true);
    assertTrue(AuditVerdict.of(a).holds());
    List<String> lines = text(a);
    assertEquals("BANK   ACCOUNTS  BALANCE TOTAL  DEPOSITS  WITHDRAWALS  NEGATIVE ACCOUNTS", lines.get(0));
    assertEquals("alpha         2          90.00    100.00        10.00                  0", lines.get(1));
    assertEquals("beta          1           5.00      5.00         0.00                  0", lines.get(2));
    assertEquals("total         3          95.00    105.00        10.00                  0", lines.get(3));
    assertEquals("at counter 77", lines.get(4));
    assertEquals("I1 conservation: OK (total 95.00 = deposits 105.00 - withdrawals 10.00)", lines.get(5));
    assertEquals("I2 no negative balance: OK", lines.get(6));
    assertEquals("PAIR A/B    A SENT TO B  B RECEIVED FROM A  B SENT TO A  A RECEIVED FROM B  AGREE", lines.get(7));
    assertEquals("alpha/beta         2.50               2.50         2.50               2.50  yes", lines.get(8));
    assertEquals("bilateral flows: OK (1 pair agrees)", lines.get(9));
    assertEquals(10, lines.size());
  }

  @Test
  void bankClaimsMoreThanWasSent_bilateralBroken_pairNamed() {
    AuditResponse a = audit(9_000, 0, true, "99999").build();

    AuditVerdict v = AuditVerdict.of(a);
    assertTrue(v.conservation() && v.noNegativeBalance(), "its totals may add up; its flows do not");
    assertFalse(v.holds());
    assertEquals(List.of("alpha/beta"), v.disagreeingPairs());
    List<String> lines = text(a);
    assertEquals("alpha/beta         2.50             999.99         2.50               2.50  NO", lines.get(8));
    assertEquals("bilateral flows: BROKEN (disagree: alpha/beta)", lines.get(9));
  }

  @Test
  void nodeSaysPairsAgreeButTheBanksOwnReportsDoNot_stillBroken() {
    // The node asked compared wrongly (or lies): the banks' own reports still show the disagreement.
    AuditResponse a = audit(9_000, 0, true, "1").clearDisagreeingPairs().setBilateralAgreed(true)
        .setPairs(0, BankPairFlows.newBuilder().setBankA("alpha").setBankB("beta").setAgreed(true)).build();

    AuditVerdict v = AuditVerdict.of(a);
    assertFalse(v.bilateral());
    assertEquals(List.of("alpha/beta"), v.disagreeingPairs());
  }

  @Test
  void bankLeavesItsCounterpartyOut_bilateralBroken() {
    AuditResponse honest = audit(9_000, 0, true);
    AuditResponse a = honest.toBuilder().setBanks(1, honest.getBanks(1).toBuilder().clearCounterpartyFlows())
        .build();

    assertEquals(List.of("alpha/beta"), AuditVerdict.of(a).disagreeingPairs());
  }

  @Test
  void bilateralFlagOffButNoPairNamed_brokenAndSaysSo() {
    AuditResponse a = audit(9_000, 0, true).toBuilder().setBilateralAgreed(false).build();

    AuditVerdict v = AuditVerdict.of(a);
    assertFalse(v.holds());
    assertEquals("bilateral flows: BROKEN (the audit has no bilateral verdict)", v.bilateralLine(a));
  }

  @Test
  void moneyCreated_conservationBroken() {
    AuditResponse a = audit(9_001, 0, false);
    assertFalse(AuditVerdict.of(a).holds());
    assertEquals("I1 conservation: BROKEN (total 95.01 != deposits 105.00 - withdrawals 10.00)", text(a).get(5));
  }

  @Test
  void flagSaysBalancedButNumbersDoNot_stillBroken() {
    AuditResponse a = audit(9_001, 0, true);
    assertFalse(AuditVerdict.of(a).conservation());
  }

  @Test
  void negativeAccount_i2Broken() {
    AuditResponse a = audit(9_000, 1, true);
    AuditVerdict v = AuditVerdict.of(a);
    assertTrue(v.conservation());
    assertFalse(v.noNegativeBalance());
    assertEquals("I2 no negative balance: BROKEN", text(a).get(6));
  }
}
