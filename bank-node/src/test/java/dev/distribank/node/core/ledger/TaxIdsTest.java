package dev.distribank.node.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaxIdsTest {

  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      529.982.247-25          | 52998224725
      52998224725             | 52998224725
      111.444.777-35          | 11144477735
      123.456.789-09          | 12345678909
      000.000.001-91          | 00000000191
      "529 982 247 25"        | 52998224725
      "  390.533.447-05  "    | 39053344705
      529/982/247-25          | 52998224725
      """)
  void cpf_validWithOrWithoutSeparators_returnsElevenDigits(String raw, String expected) {
    assertEquals(expected, TaxIds.cpf(raw, "cpf"));
  }

  /** Rows in the ladder's precedence: missing, bad character, length, repeated digit, check digits. */
  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "<null>", textBlock = """
      <null>            | required
      ""                | required
      "   "             | required
      5299822472A       | 'A' at position 11
      529.982.247_25    | '_' at position 12
      529,982,247-25    | ',' at position 4
      "529\t98224725"   | U+0009
      ٥٢٩٩٨٢٢٤٧٢٥       | at position 1
      5299822472        | has 10 digits
      529982247250      | has 12 digits
      11222333000181    | has 14 digits
      000.000.000-00    | repeats one digit
      111.111.111-11    | repeats one digit
      99999999999       | repeats one digit
      529.982.247-26    | wrong check digits
      529.982.247-15    | wrong check digits
      259.982.247-25    | wrong check digits
      12345678900       | wrong check digits
      """)
  void cpf_malformed_rejectsWithInvalidCpf(String raw, String expectedInMessage) {
    var e = assertThrows(Rejection.Rejected.class, () -> TaxIds.cpf(raw, "holder_cpf"));

    assertEquals(Reason.INVALID_CPF, e.rejection().reason());
    assertEquals("holder_cpf", e.rejection().field());
    assertTrue(e.rejection().message().contains(expectedInMessage), e.rejection().message());
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      11.222.333/0001-81      | 11222333000181
      11222333000181          | 11222333000181
      11.444.777/0001-61      | 11444777000161
      00.000.000/0001-91      | 00000000000191
      60.701.190/0001-04      | 60701190000104
      "33 000 167 0001 01"    | 33000167000101
      " 33.000.167/0001-01 "  | 33000167000101
      """)
  void cnpj_validWithOrWithoutSeparators_returnsFourteenDigits(String raw, String expected) {
    assertEquals(expected, TaxIds.cnpj(raw, "cnpj"));
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "<null>", textBlock = """
      <null>                 | required
      ""                     | required
      12.ABC.345/01DE-35     | 'A' at position 4
      11.222.333\\0001-81    | '\\' at position 11
      11.222.333/0001-8      | has 13 digits
      112223330001811        | has 15 digits
      529.982.247-25         | has 11 digits
      00.000.000/0000-00     | repeats one digit
      11.111.111/1111-11     | repeats one digit
      11.222.333/0001-82     | wrong check digits
      11.222.333/0001-91     | wrong check digits
      11.222.333/0002-81     | wrong check digits
      """)
  void cnpj_malformed_rejectsWithInvalidCnpj(String raw, String expectedInMessage) {
    var e = assertThrows(Rejection.Rejected.class, () -> TaxIds.cnpj(raw, "cnpj"));

    assertEquals(Reason.INVALID_CNPJ, e.rejection().reason());
    assertEquals("cnpj", e.rejection().field());
    assertTrue(e.rejection().message().contains(expectedInMessage), e.rejection().message());
  }

  @Test
  void cpfAndCnpj_everyRepeatedDigit_rejected() {
    for (char d = '0'; d <= '9'; d++) {
      String cpf = String.valueOf(d).repeat(11);
      String cnpj = String.valueOf(d).repeat(14);
      assertFalse(TaxIds.isValidCpf(cpf), cpf);
      assertFalse(TaxIds.isValidCnpj(cnpj), cnpj);
      assertThrows(Rejection.Rejected.class, () -> TaxIds.cpf(cpf, "cpf"));
      assertThrows(Rejection.Rejected.class, () -> TaxIds.cnpj(cnpj, "cnpj"));
    }
  }

  /** The point of check digits: any one mistyped digit, or two neighbours swapped, is caught. */
  @ParameterizedTest
  @ValueSource(strings = {"52998224725", "11144477735", "11222333000181", "11444777000161"})
  void isValid_anySingleTypoOrSwap_false(String valid) {
    boolean cpf = valid.length() == 11;
    assertTrue(cpf ? TaxIds.isValidCpf(valid) : TaxIds.isValidCnpj(valid));
    for (int i = 0; i < valid.length(); i++) {
      for (char d = '0'; d <= '9'; d++) {
        if (d != valid.charAt(i)) {
          String typo = valid.substring(0, i) + d + valid.substring(i + 1);
          assertFalse(cpf ? TaxIds.isValidCpf(typo) : TaxIds.isValidCnpj(typo), typo);
        }
      }
      if (i + 1 < valid.length() && valid.charAt(i) != valid.charAt(i + 1)) {
        String swap = valid.substring(0, i) + valid.charAt(i + 1) + valid.charAt(i) + valid.substring(i + 2);
        assertFalse(cpf ? TaxIds.isValidCpf(swap) : TaxIds.isValidCnpj(swap), swap);
      }
    }
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "<null>", textBlock = """
      52998224725       | true
      00000000191       | true
      <null>            | false
      ""                | false
      529.982.247-25    | false
      5299822472        | false
      529982247250      | false
      52998224726       | false
      11111111111       | false
      ５２９９８２２４７２５ | false
      """)
  void isValidCpf_digitsOnly_answersWithoutThrowing(String digits, boolean expected) {
    assertEquals(expected, TaxIds.isValidCpf(digits));
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "<null>", textBlock = """
      11222333000181        | true
      00000000000191        | true
      <null>                | false
      ""                    | false
      11.222.333/0001-81    | false
      1122233300018         | false
      11222333000182        | false
      22222222222222        | false
      52998224725           | false
      """)
  void isValidCnpj_digitsOnly_answersWithoutThrowing(String digits, boolean expected) {
    assertEquals(expected, TaxIds.isValidCnpj(digits));
  }

  @Test
  void cpf_hugeInput_messageEchoesItAbbreviated() {
    String huge = "1".repeat(10_000) + "x";

    var e = assertThrows(Rejection.Rejected.class, () -> TaxIds.cpf(huge, "cpf"));

    assertTrue(e.rejection().message().length() < 300, e.rejection().message());
  }

  @Test
  void cpf_controlCharacterInInput_messageQuotesNoControlCharacter() {
    var e = assertThrows(Rejection.Rejected.class, () -> TaxIds.cpf("529.982\nINFO forged log line", "cpf"));

    assertFalse(e.rejection().message().chars().anyMatch(Character::isISOControl), e.rejection().message());
  }
}
