package dev.distribank.cli.audit;

import dev.distribank.proto.bank.v1.AuditResponse;
import dev.distribank.proto.bank.v1.BankTotals;
import java.math.BigInteger;

/**
 * An audit's amounts, exact: running totals may outgrow an int64, so each is read from its exact decimal field, or
 * from the int64 one when an older node left the decimal empty.
 */
public final class AuditTotals {
  private AuditTotals() {}

  /** What the bank's accounts hold together at the cut. */
  public static BigInteger balance(BankTotals b) {
    return exact(b.getExactTotalBalanceCents(), b.getTotalBalanceCents());
  }

  /** What entered the bank by deposits, up to the cut. */
  public static BigInteger deposits(BankTotals b) {
    return exact(b.getExactDepositsCents(), b.getDepositsCents());
  }

  /** What left the bank by withdrawals, up to the cut. */
  public static BigInteger withdrawals(BankTotals b) {
    return exact(b.getExactWithdrawalsCents(), b.getWithdrawalsCents());
  }

  /** What every audited bank's accounts hold together at the cut, as the node asked summed it. */
  public static BigInteger balance(AuditResponse a) {
    return exact(a.getExactTotalBalanceCents(), a.getTotalBalanceCents());
  }

  /** Every audited bank's deposits, as the node asked summed them. */
  public static BigInteger deposits(AuditResponse a) {
    return exact(a.getExactDepositsCents(), a.getDepositsCents());
  }

  /** Every audited bank's withdrawals, as the node asked summed them. */
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
}
