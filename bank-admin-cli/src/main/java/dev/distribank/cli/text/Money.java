package dev.distribank.cli.text;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An amount of BRL as the CLI reads and prints it: decimal reais on the terminal ("12.34"), {@code long} centavos on
 * the wire. No floating point is involved anywhere: the text is parsed digit by digit.
 *
 * <p>An amount a user types must be plain digits with an optional dot and one or two decimals: {@code 12}, {@code 1.5}
 * and {@code 12.34} are accepted; signs, exponents, commas, spaces, {@code 1.} and {@code .5} are not, because a
 * banking tool should not guess what a half-written number meant. Leading zeros are harmless and accepted.
 *
 * @param cents the amount in centavos; any value, so that debits and balances print too
 */
public record Money(long cents) {
  /** The largest amount one leg may move: R$ 10,000,000,000,000.00. */
  public static final long MAX_AMOUNT_CENTS = 1_000_000_000_000_000L;

  private static final long MAX_AMOUNT_REAIS = MAX_AMOUNT_CENTS / 100;
  private static final String EXPECTED = "expected reais with up to two decimals after a dot, e.g. 12.34";

  /**
   * Parses an amount to move: {@code [0-9]+(\.[0-9]{1,2})?}, greater than zero and at most {@link #MAX_AMOUNT_CENTS}.
   *
   * @throws IllegalArgumentException with a message saying what is wrong with {@code text}
   */
  public static Money parseAmount(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("the amount is empty; " + EXPECTED);
    }
    String shown = abbreviate(text);
    if (text.charAt(0) == '-' || text.charAt(0) == '+') {
      throw new IllegalArgumentException("'" + shown + "' has a sign; amounts are positive reais, " + EXPECTED);
    }
    int dot = text.indexOf('.');
    String whole = dot < 0 ? text : text.substring(0, dot);
    String fraction = dot < 0 ? "" : text.substring(dot + 1);
    if (text.indexOf(',') >= 0 && dot < 0) {
      throw new IllegalArgumentException("'" + shown + "' uses a comma; write the decimal point as a dot, e.g. 12.34");
    }
    if (whole.isEmpty() || !allDigits(whole) || (dot >= 0 && (fraction.isEmpty() || !allDigits(fraction)))) {
      throw new IllegalArgumentException("'" + shown + "' is not an amount; " + EXPECTED);
    }
    if (fraction.length() > 2) {
      throw new IllegalArgumentException("'" + shown + "' has more than two decimals; the smallest unit is 0.01");
    }
    long reais = 0;
    for (int i = 0; i < whole.length(); i++) {
      reais = reais * 10 + (whole.charAt(i) - '0');
      // Stop before the next step could overflow a long: any value past the maximum is refused anyway.
      if (reais > MAX_AMOUNT_REAIS) {
        throw tooLarge(shown);
      }
    }
    long centsPart = fraction.isEmpty() ? 0 : Long.parseLong(fraction.length() == 1 ? fraction + "0" : fraction);
    long cents = reais * 100 + centsPart;
    if (cents > MAX_AMOUNT_CENTS) {
      throw tooLarge(shown);
    }
    if (cents == 0) {
      throw new IllegalArgumentException("'" + shown + "' is zero; an amount must be at least 0.01");
    }
    return new Money(cents);
  }

  /** The amount as reais with exactly two decimals: "12.34", "0.05", "-12.34". */
  @Override
  public String toString() {
    return format(cents);
  }

  /** An exact amount of cents, which may pass what a long holds (a bank's running totals), as reais. */
  public static String format(java.math.BigInteger cents) {
    java.math.BigInteger[] parts = cents.abs().divideAndRemainder(java.math.BigInteger.valueOf(100));
    int centavos = parts[1].intValue();
    return (cents.signum() < 0 ? "-" : "") + parts[0] + "." + (centavos < 10 ? "0" : "") + centavos;
  }

  /** Formats centavos as reais with exactly two decimals; correct for every long, {@code Long.MIN_VALUE} included. */
  public static String format(long cents) {
    // Divide before taking the absolute value: -Long.MIN_VALUE does not exist, but its quotient's does.
    long reais = Math.abs(cents / 100);
    long centavos = Math.abs(cents % 100);
    return (cents < 0 ? "-" : "") + reais + "." + (centavos < 10 ? "0" : "") + centavos;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // Not Character.isDigit: it accepts other scripts' digits, which no bank statement should contain.
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException tooLarge(String shown) {
    return new IllegalArgumentException(
        "'" + shown + "' is too large; the most one operation can move is " + format(MAX_AMOUNT_CENTS));
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  /** Lets picocli read {@code --amount} options as {@link Money}, refusing bad amounts as usage errors (exit 2). */
  public static final class Converter implements ITypeConverter<Money> {
    @Override
    public Money convert(String value) {
      try {
        return parseAmount(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
