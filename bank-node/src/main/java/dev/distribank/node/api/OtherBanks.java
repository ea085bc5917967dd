package dev.distribank.node.api;

import dev.distribank.proto.bank.v1.BankTotals;
import java.util.concurrent.CompletableFuture;

/**
 * The other banks of the consortium, as an audit asks them: their clocks, and their totals as of a cut, in the form
 * they send them (a bank's report is checked, not trusted: {@link Auditor}, {@link BilateralCheck}). Each future
 * fails if the bank does not answer within {@code timeoutMillis}.
 */
public interface OtherBanks {
  CompletableFuture<Long> clock(String bank, long timeoutMillis);

  CompletableFuture<BankTotals> snapshot(String bank, long atCounter, long timeoutMillis);
}
