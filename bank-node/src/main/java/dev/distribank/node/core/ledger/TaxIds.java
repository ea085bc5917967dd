package dev.distribank.node.core.ledger;

import java.util.function.Predicate;

/**
 * Brazilian taxpayer numbers: CPF (a person, 11 digits) and CNPJ (a company, 14 digits), each ending in two mod-11
 * check digits.
 *
 * <p>Input may be typed the way people write these numbers ({@code 529.982.247-25}, {@code 11.222.333/0001-81}):
 * dots, dashes, slashes and spaces are dropped; any other character is refused, so that {@code 5299822472S} is an
 * error rather than a silently different number. The checks run in a fixed order (missing, bad character, length,
 * one repeated digit, check digits) so a given bad input always gets the same answer.
 *
 * <p>Only numeric CNPJs are accepted. The Receita Federal's alphanumeric CNPJ (issued from July 2026) would need its
 * own check-digit rule over character codes; a bank that must accept it extends {@link #cnpj} then.
 */
public final class TaxIds {
  static final int CPF_LENGTH = 11;
  static final int CNPJ_LENGTH = 14;

  /** Weights of the CNPJ's first check digit over its first 12 digits; the second uses 6 followed by these. */
  private static final int[] CNPJ_WEIGHTS = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};

  private TaxIds() {}

  /** The CPF's 11 digits, or a refusal with {@link Reason#INVALID_CPF} naming {@code field}. */
  public static String cpf(String raw, String field) {
    return digitsOf(raw, field, Reason.INVALID_CPF, "CPF", CPF_LENGTH, "529.982.247-25", TaxIds::cpfChecksMatch);
  }

  /** The CNPJ's 14 digits, or a refusal with {@link Reason#INVALID_CNPJ} naming {@code field}. */
  public static String cnpj(String raw, String field) {
    return digitsOf(raw, field, Reason.INVALID_CNPJ, "CNPJ", CNPJ_LENGTH, "11.222.333/0001-81",
        TaxIds::cnpjChecksMatch);
  }

  /** Whether {@code digits} is exactly 11 ASCII digits, not all alike, with matching check digits. */
  public static boolean isValidCpf(String digits) {
    return isAsciiDigits(digits, CPF_LENGTH) && !allSame(digits) && cpfChecksMatch(digits);
  }

  /** Whether {@code digits} is exactly 14 ASCII digits, not all alike, with matching check digits. */
  public static boolean isValidCnpj(String digits) {
    return isAsciiDigits(digits, CNPJ_LENGTH) && !allSame(digits) && cnpjChecksMatch(digits);
  }

  /** The validation ladder shared by both kinds; {@code checksMatch} sees exactly {@code length} ASCII digits. */
  private static String digitsOf(String raw, String field, Reason reason, String kind, int length, String example,
      Predicate<String> checksMatch) {
    if (raw == null || raw.isBlank()) {
      throw Rejection.of(reason, field, kind + " is required: " + length + " digits, e.g. " + example).toException();
    }
    // Surrounding spaces are noise; any other character, a pasted tab or newline included, is refused below.
    String text = raw.replaceAll("^ +| +$", "");
    var digits = new StringBuilder(length);
    for (int i = 0, position = 1; i < text.length(); position++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c >= '0' && c <= '9') {
        digits.append((char) c);
      } else if (c != '.' && c != '-' && c != '/' && c != ' ') {
        // Character.isDigit would let through other scripts' digits (e.g. Arabic-Indic), which are not a CPF.
        throw Rejection.of(reason, field, kind + " '" + echo(text) + "' has '" + printable(c)
            + "' at position " + position + "; only digits and the separators . - / and space are allowed")
            .toException();
      }
    }
    if (digits.length() != length) {
      throw Rejection.of(reason, field, kind + " '" + echo(text) + "' has " + digits.length()
          + " digits; a " + kind + " has " + length + ", e.g. " + example).toException();
    }
    String value = digits.toString();
    if (allSame(value)) {
      // These pass the mod-11 arithmetic but are never issued; forms use them as placeholders.
      throw Rejection.of(reason, field, kind + " '" + echo(text)
          + "' repeats one digit; such numbers are never issued").toException();
    }
    if (!checksMatch.test(value)) {
      throw Rejection.of(reason, field, kind + " '" + echo(text)
          + "' has wrong check digits (the last two); check for a typo").toException();
    }
    return value;
  }

  /** CPF: each check digit is Σ digit·weight (weights count down to 2) ·10 mod 11, with 10 read as 0. */
  private static boolean cpfChecksMatch(String d) {
    return cpfCheckDigit(d, 9) == digit(d, 9) && cpfCheckDigit(d, 10) == digit(d, 10);
  }

  private static int cpfCheckDigit(String d, int count) {
    int sum = 0;
    for (int i = 0; i < count; i++) {
      sum += digit(d, i) * (count + 1 - i);
    }
    int r = sum * 10 % 11;
    return r == 10 ? 0 : r;
  }

  /** CNPJ: each check digit is 11 − (Σ digit·weight mod 11), or 0 when that remainder is 0 or 1. */
  private static boolean cnpjChecksMatch(String d) {
    return cnpjCheckDigit(d, 12) == digit(d, 12) && cnpjCheckDigit(d, 13) == digit(d, 13);
  }

  private static int cnpjCheckDigit(String d, int count) {
    int offset = CNPJ_WEIGHTS.length - count;
    int sum = 0;
    for (int i = 0; i < count; i++) {
      sum += digit(d, i) * CNPJ_WEIGHTS[offset + i];
    }
    int r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  }

  private static int digit(String d, int index) {
    return d.charAt(index) - '0';
  }

  private static boolean isAsciiDigits(String s, int length) {
    if (s == null || s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean allSame(String digits) {
    return digits.chars().allMatch(c -> c == digits.charAt(0));
  }

  /**
   * Bad input as a message may quote it: at most 40 characters, forbidden characters as U+XXXX, so that a pasted newline
   * cannot forge a line in a log that records the message.
   */
  static String echo(String raw) {
    return Text.quote(raw);
  }

  /** A code point as a message can show it: control, format, invisible and unassigned ones as U+XXXX. */
  static String printable(int c) {
    return Text.forbidden(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
        ? String.format("U+%04X", c)
        : Character.toString(c);
  }
}
