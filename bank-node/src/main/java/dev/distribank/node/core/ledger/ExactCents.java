package dev.distribank.node.core.ledger;

import java.math.BigInteger;

/**
 * Running totals (a bank's deposits and withdrawals, the sum of its balances) in their wire and storage forms: exact
 * decimal strings, beside int64 fields that hold the same value only while it fits. Totals only grow, so they may
 * outgrow an int64; older nodes and stores wrote the int64 alone.
 */
public final class ExactCents {
  private ExactCents() {}

  /** The value for an int64 field that carries it only while it fits: 0 when it does not (the exact field has it). */
  public static long fitting(BigInteger cents) {
    return cents.bitLength() < Long.SIZE ? cents.longValue() : 0;
  }

  /**
   * The total a record or message carries: its exact decimal, or its int64 when the decimal is empty (written by an
   * older version).
   *
   * @throws NumberFormatException when the decimal is not an integer; callers say whose data was corrupt
   */
  public static BigInteger read(String decimal, long legacy) {
    return decimal.isEmpty() ? BigInteger.valueOf(legacy) : new BigInteger(decimal);
  }
}
