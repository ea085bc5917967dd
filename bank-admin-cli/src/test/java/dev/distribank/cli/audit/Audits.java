package dev.distribank.cli.audit;

import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankPairFlows;
import dev.distribank.proto.bank.v1.BankTotals;
import dev.distribank.proto.bank.v1.CounterpartyFlow;

/** Made-up audits of two banks, for books that add up and books that do not (no honest node can be made to break). */
public final class Audits {
  private Audits() {}

  private static CounterpartyFlow flow(String with, String sent, String received) {
    return CounterpartyFlow.newBuilder().setBank(with).setExactSentCents(sent).setExactReceivedCents(received).build();
  }

  /** Alpha sent beta 2.50 and beta sent alpha 2.50, as each reports it: {@code betaSaysReceived} may lie. */
  public static AuditResponse.Builder audit(long alphaBalance, int negative, boolean balancedFlag,
      String betaSaysReceived) {
    var alpha = BankTotals.newBuilder().setBank("alpha").setAccounts(2).setTotalBalanceCents(alphaBalance)
        .setDepositsCents(10_000).setWithdrawalsCents(1_000).setNegativeAccounts(negative)
        .addCounterpartyFlows(flow("beta", "250", "250")).build();
    var beta = BankTotals.newBuilder().setBank("beta").setAccounts(1).setTotalBalanceCents(500)
        .setDepositsCents(500).addCounterpartyFlows(flow("alpha", "250", betaSaysReceived)).build();
    boolean agreed = betaSaysReceived.equals("250");
    var pair = BankPairFlows.newBuilder().setBankA("alpha").setBankB("beta").setASentToBCents("250")
        .setAReceivedFromBCents("250").setBReceivedFromACents(betaSaysReceived).setBSentToACents("250")
        .setAgreed(agreed);
    var out = AuditResponse.newBuilder().setAtCounter(77).addBanks(alpha).addBanks(beta)
        .setTotalBalanceCents(alphaBalance + 500).setDepositsCents(10_500).setWithdrawalsCents(1_000)
        .setBalanced(balancedFlag).setNoNegativeBalance(negative == 0).addPairs(pair).setBilateralAgreed(agreed);
    return agreed ? out : out.addDisagreeingPairs("alpha/beta");
  }

  /** The audit with honest flows. */
  public static AuditResponse audit(long alphaBalance, int negative, boolean balancedFlag) {
    return audit(alphaBalance, negative, balancedFlag, "250").build();
  }
}
