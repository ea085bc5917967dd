package dev.distribank.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankPairFlows;
import dev.distribank.proto.bank.v1.BankTotals;
import dev.distribank.proto.bank.v1.CounterpartyFlow;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The audit's sums and its bilateral check, on snapshots as banks would send them: honest ones, and ones from a bank
 * that lies about its own books. The books: 1,000.00 deposited at alpha; alpha sent 300 to beta, beta 100 to gamma,
 * gamma 50 to alpha.
 */
class AuditorTest {
  private static BankTotals.Builder bank(String id, long balance, long deposits) {
    return BankTotals.newBuilder().setBank(id).setAccounts(1).setExactTotalBalanceCents(Long.toString(balance))
        .setExactDepositsCents(Long.toString(deposits)).setExactWithdrawalsCents("0");
  }

  private static CounterpartyFlow flow(String with, String sent, String received) {
    return CounterpartyFlow.newBuilder().setBank(with).setExactSentCents(sent).setExactReceivedCents(received).build();
  }

  private static BankTotals.Builder alpha() {
    return bank("alpha", 750, 1_000).addCounterpartyFlows(flow("beta", "300", "0"))
        .addCounterpartyFlows(flow("gamma", "0", "50"));
  }

  private static BankTotals.Builder beta() {
    return bank("beta", 200, 0).addCounterpartyFlows(flow("alpha", "0", "300"))
        .addCounterpartyFlows(flow("gamma", "100", "0"));
  }

  private static BankTotals.Builder gamma() {
    return bank("gamma", 50, 0).addCounterpartyFlows(flow("alpha", "50", "0"))
        .addCounterpartyFlows(flow("beta", "0", "100"));
  }

  private static AuditResponse sum(BankTotals.Builder... banks) {
    var list = new ArrayList<BankTotals>();
    for (BankTotals.Builder b : banks) {
      list.add(b.build());
    }
    return Auditor.sum(42, list);
  }

  private static BankPairFlows pair(AuditResponse audit, String a, String b) {
    return audit.getPairsList().stream().filter(p -> p.getBankA().equals(a) && p.getBankB().equals(b)).findFirst()
        .orElseThrow(() -> new AssertionError("no pair " + a + "/" + b + " in " + audit));
  }

  @Test
  void honestBanks_everyPairAgrees_withWhatEachSideRecorded() {
    AuditResponse audit = sum(gamma(), alpha(), beta());

    assertTrue(audit.getBalanced(), audit::toString);
    assertTrue(audit.getBilateralAgreed(), audit::toString);
    assertEquals(List.of(), audit.getDisagreeingPairsList());
    assertEquals(List.of("alpha/beta", "alpha/gamma", "beta/gamma"),
        audit.getPairsList().stream().map(p -> p.getBankA() + "/" + p.getBankB()).toList(), "every pair, in order");
    assertEquals(BankPairFlows.newBuilder().setBankA("alpha").setBankB("beta").setASentToBCents("300")
        .setAReceivedFromBCents("0").setBReceivedFromACents("300").setBSentToACents("0").setAgreed(true).build(),
        pair(audit, "alpha", "beta"));
    assertEquals("50", pair(audit, "alpha", "gamma").getAReceivedFromBCents());
    assertEquals("50", pair(audit, "alpha", "gamma").getBSentToACents());
  }

  @Test
  void bankClaimsMoneyItNeverReceived_itsPairWithTheSupposedSenderNamed() {
    // gamma shows 500 more than it holds, "received from beta", who never sent it.
    AuditResponse audit = sum(alpha(), beta(), bank("gamma", 550, 0).addCounterpartyFlows(flow("alpha", "50", "0"))
        .addCounterpartyFlows(flow("beta", "0", "600")));

    assertFalse(audit.getBalanced(), "the money it made up also breaks I1");
    assertFalse(audit.getBilateralAgreed());
    assertEquals(List.of("beta/gamma"), audit.getDisagreeingPairsList(), "the bilateral check names who");
    BankPairFlows lie = pair(audit, "beta", "gamma");
    assertEquals("100", lie.getASentToBCents());
    assertEquals("600", lie.getBReceivedFromACents());
    assertFalse(lie.getAgreed());
    assertTrue(pair(audit, "alpha", "gamma").getAgreed() && pair(audit, "alpha", "beta").getAgreed());
  }

  @Test
  void bankUnderReportsWhatItSent_balancedButItsPairNamed() {
    // alpha says it sent beta 100, not 300: its totals still add up, so only the bilateral check can tell.
    AuditResponse audit = sum(bank("alpha", 750, 1_000).addCounterpartyFlows(flow("beta", "100", "0"))
        .addCounterpartyFlows(flow("gamma", "0", "50")), beta(), gamma());

    assertTrue(audit.getBalanced(), audit::toString);
    assertFalse(audit.getBilateralAgreed());
    assertEquals(List.of("alpha/beta"), audit.getDisagreeingPairsList());
    assertEquals("100", pair(audit, "alpha", "beta").getASentToBCents());
    assertEquals("300", pair(audit, "alpha", "beta").getBReceivedFromACents());
  }

  @Test
  void snapshotMissingACounterparty_thatPairDisagrees_itsSideEmpty() {
    AuditResponse audit = sum(alpha(), bank("beta", 200, 0).addCounterpartyFlows(flow("alpha", "0", "300")),
        gamma());

    assertEquals(List.of("beta/gamma"), audit.getDisagreeingPairsList());
    BankPairFlows silent = pair(audit, "beta", "gamma");
    assertEquals("", silent.getASentToBCents());
    assertEquals("", silent.getAReceivedFromBCents());
    assertEquals("0", silent.getBSentToACents());
    assertEquals("100", silent.getBReceivedFromACents());
  }

  @Test
  void bankHidesAPaymentItMade_pairDisagreesTheOtherWay() {
    // gamma says it sent alpha nothing; alpha says it received 50 from gamma.
    AuditResponse audit = sum(alpha(), beta(), bank("gamma", 50, 0).addCounterpartyFlows(flow("alpha", "0", "0"))
        .addCounterpartyFlows(flow("beta", "0", "100")));

    assertEquals(List.of("alpha/gamma"), audit.getDisagreeingPairsList());
  }

  @Test
  void malformedOrRepeatedCounterparty_readAsNoReport_pairDisagrees() {
    AuditResponse malformed = sum(alpha(), beta(), bank("gamma", 50, 0)
        .addCounterpartyFlows(flow("alpha", "5e1", "0")).addCounterpartyFlows(flow("beta", "0", "100")));
    AuditResponse repeated = sum(alpha(), beta().addCounterpartyFlows(flow("gamma", "100", "0")), gamma());

    assertEquals(List.of("alpha/gamma"), malformed.getDisagreeingPairsList());
    assertEquals("", pair(malformed, "alpha", "gamma").getBSentToACents(), "a bank's garbage is not echoed");
    assertEquals(List.of("beta/gamma"), repeated.getDisagreeingPairsList(), "which of two reports would count?");
  }

  @Test
  void oneBank_noPairs_agreed() {
    AuditResponse audit = sum(bank("alpha", 1_000, 1_000));

    assertTrue(audit.getBilateralAgreed());
    assertEquals(0, audit.getPairsCount());
  }

  @Test
  void anotherBankForgotTheCut_auditCutForgottenNamingIt_otherRefusalsBankUnavailableWithTheirReason() {
    var forgot = Errors.toStatus(Rejection.of(Reason.AUDIT_CUT_FORGOTTEN, "", "bank beta restarted after the cut"));
    var overloaded = Errors.toStatus(Rejection.of(Reason.OVERLOADED, "", "bank beta has 20000 requests waiting"));
    var silent = Status.DEADLINE_EXCEEDED.withDescription("CallOptions deadline exceeded after 9.99s")
        .asRuntimeException();

    var cut = Auditor.unanswered("beta", new CompletionException(forgot));
    var busy = Auditor.unanswered("beta", overloaded);
    var down = Auditor.unanswered("beta", silent);

    assertEquals(Reason.AUDIT_CUT_FORGOTTEN, cut.reason());
    assertEquals(Map.of("bank", "beta"), cut.metadata());
    assertEquals("bank beta did not answer the audit: RESOURCE_EXHAUSTED OVERLOADED", busy.message());
    assertEquals(Reason.BANK_UNAVAILABLE, down.reason());
    assertEquals("bank beta did not answer the audit: DEADLINE_EXCEEDED", down.message(), "no transport diagnostics");
  }
}
