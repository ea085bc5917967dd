package dev.distribank.cli.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@link Money} accepts and refuses, and how it prints. Decisions recorded here: "1." and ".5" are refused (a
 * half-written number is not guessed at); leading zeros are accepted; whitespace, signs and exponents are refused.
 */
class MoneyTest {

  @ParameterizedTest(name = "\"{0}\" -> {1} cents")
  @CsvSource(delimiter = '|', textBlock = """
      0.01              | 1
      0.1               | 10
      1                 | 100
      1.5               | 150
      1.50              | 150
      12.34             | 1234
      007.50            | 750
      99.99             | 9999
      9999999999999.99  | 999999999999999
      10000000000000    | 1000000000000000
      10000000000000.00 | 1000000000000000
      """)
  void parseAmount_valid_exactCents(String text, long cents) {
    assertEquals(cents, Money.parseAmount(text).cents());
  }

  /** Refusals in the order parseAmount checks them, each with a fragment of the message the user sees. */
  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      '-1'                           | has a sign
      '-0.01'                        | has a sign
      '+1'                           | has a sign
      '12,34'                        | uses a comma
      ' '                            | is not an amount
      ' 1'                           | is not an amount
      '1 '                           | is not an amount
      '1 000'                        | is not an amount
      '1e3'                          | is not an amount
      '1E3'                          | is not an amount
      '0x10'                         | is not an amount
      'NaN'                          | is not an amount
      'Infinity'                     | is not an amount
      'abc'                          | is not an amount
      '1.'                           | is not an amount
      '.5'                           | is not an amount
      '.'                            | is not an amount
      '1.2.3'                        | is not an amount
      '1,234.56'                     | is not an amount
      '１'                            | is not an amount
      '1.-5'                         | is not an amount
      '1.234'                        | more than two decimals
      '0.001'                        | more than two decimals
      '10000000000000.01'            | too large
      '10000000000001'               | too large
      '92233720368547758.07'         | too large
      '9223372036854775808'          | too large
      '99999999999999999999999999999999999999999999999999' | too large
      '0'                            | is zero
      '0.00'                         | is zero
      '000'                          | is zero
      """)
  void parseAmount_invalid_refusedWithReason(String text, String reason) {
    var e = assertThrows(IllegalArgumentException.class, () -> Money.parseAmount(text));
    assertTrue(e.getMessage().contains(reason), () -> "message for '" + text + "': " + e.getMessage());
  }

  @ParameterizedTest
  @NullAndEmptySource
  void parseAmount_missing_refusedAsEmpty(String text) {
    var e = assertThrows(IllegalArgumentException.class, () -> Money.parseAmount(text));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void parseAmount_veryLongInput_messageAbbreviatesIt() {
    String huge = "1".repeat(10_000);
    var e = assertThrows(IllegalArgumentException.class, () -> Money.parseAmount(huge));
    assertTrue(e.getMessage().length() < 200, e.getMessage());
  }

  @ParameterizedTest(name = "{0} cents -> \"{1}\"")
  @CsvSource(delimiter = '|', textBlock = """
      0                    | 0.00
      1                    | 0.01
      10                   | 0.10
      99                   | 0.99
      100                  | 1.00
      1234                 | 12.34
      -1                   | -0.01
      -99                  | -0.99
      -1234                | -12.34
      1000000000000000     | 10000000000000.00
      9223372036854775807  | 92233720368547758.07
      -9223372036854775808 | -92233720368547758.08
      """)
  void format_anyCents_twoDecimals(long cents, String text) {
    assertEquals(text, Money.format(cents));
    assertEquals(text, new Money(cents).toString());
  }

  @ParameterizedTest
  @CsvSource({"1", "99", "100", "1234", "150", "999999999999999", "1000000000000000"})
  void formatThenParse_validAmount_roundTrips(long cents) {
    assertEquals(cents, Money.parseAmount(Money.format(cents)).cents());
  }

  @Test
  void converter_badAmount_isATypeConversionError() {
    var e = assertThrows(TypeConversionException.class, () -> new Money.Converter().convert("1.234"));
    assertTrue(e.getMessage().contains("more than two decimals"), e.getMessage());
    assertEquals(1234, new Money.Converter().convert("12.34").cents());
  }
}
