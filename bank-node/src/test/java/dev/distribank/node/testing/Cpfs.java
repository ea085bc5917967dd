package dev.distribank.node.testing;

/** Generates valid CPF and CNPJ numbers for tests (check digits computed, not hard-coded). */
public final class Cpfs {
  private Cpfs() {}

  /** A valid CPF whose first nine digits are {@code seed} (1..999,999,998) zero-padded. */
  public static String cpf(int seed) {
    String base = String.format("%09d", seed);
    int d1 = checkDigit(base, 10);
    int d2 = checkDigit(base + d1, 11);
    return base + d1 + d2;
  }

  private static int checkDigit(String digits, int firstWeight) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      sum += (digits.charAt(i) - '0') * (firstWeight - i);
    }
    int r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  }

  /** A valid CNPJ whose first twelve digits are {@code seed} zero-padded to eight plus branch 0001. */
  public static String cnpj(int seed) {
    String base = String.format("%08d0001", seed);
    int d1 = cnpjDigit(base, new int[] {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2});
    int d2 = cnpjDigit(base + d1, new int[] {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2});
    return base + d1 + d2;
  }

  private static int cnpjDigit(String digits, int[] weights) {
    int sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += (digits.charAt(i) - '0') * weights[i];
    }
    int r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  }
}
