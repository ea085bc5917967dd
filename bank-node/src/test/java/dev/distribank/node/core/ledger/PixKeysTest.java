package dev.distribank.node.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PixKeysTest {

  @ParameterizedTest(name = "[{index}] {0} ''{1}'' -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      CPF   | 529.982.247-25                          | 52998224725
      CPF   | " 111 444 777 35 "                      | 11144477735
      CNPJ  | 11.222.333/0001-81                      | 11222333000181
      CNPJ  | 11444777000161                          | 11444777000161
      EMAIL | ana@example.com                         | ana@example.com
      EMAIL | "  Ana.Souza@Example.COM.BR "           | ana.souza@example.com.br
      EMAIL | joao+pix@mail.banco-alpha.com           | joao+pix@mail.banco-alpha.com
      EMAIL | o'neil@example.org                      | o'neil@example.org
      EMAIL | x@a.io                                  | x@a.io
      PHONE | +5511987654321                          | +5511987654321
      PHONE | +55 (11) 98765-4321                     | +5511987654321
      PHONE | " +55 61 3333-4444 "                    | +556133334444
      PHONE | +55 (99) 9 1234-5678                    | +5599912345678
      EVP   | 123e4567-e89b-12d3-a456-426614174000    | 123e4567-e89b-12d3-a456-426614174000
      EVP   | 123E4567-E89B-12D3-A456-426614174000    | 123e4567-e89b-12d3-a456-426614174000
      EVP   | " f47ac10b-58cc-4372-a567-0e02b2c3d479 "| f47ac10b-58cc-4372-a567-0e02b2c3d479
      """)
  void normalize_validKey_returnsNormalForm(PixKeyType type, String raw, String expected) {
    assertEquals(expected, PixKeys.normalize(type, raw, "value"));
  }

  @ParameterizedTest(name = "[{index}] {0} ''{1}'' -> {2}: {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      CPF   | 529.982.247-26                          | INVALID_CPF   | wrong check digits
      CPF   | 111.111.111-11                          | INVALID_CPF   | repeats one digit
      CPF   | 11.222.333/0001-81                      | INVALID_CPF   | has 14 digits
      CNPJ  | 529.982.247-25                          | INVALID_CNPJ  | has 11 digits
      CNPJ  | 11.222.333/0001-80                      | INVALID_CNPJ  | wrong check digits
      EMAIL | ana.example.com                         | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana@example                             | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana@@example.com                        | INVALID_EMAIL | expected local@domain.tld
      EMAIL | @example.com                            | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana@                                    | INVALID_EMAIL | expected local@domain.tld
      EMAIL | .ana@example.com                        | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana.@example.com                        | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana..souza@example.com                  | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana souza@example.com                   | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana@exa_mple.com                        | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana@-example.com                        | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana@example-.com                        | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana@example..com                        | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana@example.c                           | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana@example.123                         | INVALID_EMAIL | expected local@domain.tld
      EMAIL | ana@[10.0.0.1]                          | INVALID_EMAIL | expected local@domain.tld
      EMAIL | joão@example.com                        | INVALID_EMAIL | expected local@domain.tld
      PHONE | 11987654321                             | INVALID_PHONE | must start with +55
      PHONE | 5511987654321                           | INVALID_PHONE | must start with +55
      PHONE | +1 415 555 0100                         | INVALID_PHONE | must start with +55
      PHONE | ++5511987654321                         | INVALID_PHONE | must start with +55
      PHONE | +55.11.98765.4321                       | INVALID_PHONE | has '.'
      PHONE | +55 11 9876S-4321                       | INVALID_PHONE | has 'S'
      PHONE | +55 11 98765-4321 ramal 2               | INVALID_PHONE | has 'r'
      PHONE | +55 11 8765-432                         | INVALID_PHONE | has 9 digits after +55
      PHONE | +55 11 98765-43210                      | INVALID_PHONE | has 12 digits after +55
      PHONE | +55                                     | INVALID_PHONE | has 0 digits after +55
      PHONE | +55 (01) 98765-4321                     | INVALID_PHONE | area code 01
      PHONE | +55 (10) 98765-4321                     | INVALID_PHONE | area code 10
      PHONE | +55 (00) 8765-4321                      | INVALID_PHONE | area code 00
      EVP   | 123e4567e89b12d3a456426614174000        | INVALID_EVP   | 8-4-4-4-12
      EVP   | {123e4567-e89b-12d3-a456-426614174000}  | INVALID_EVP   | 8-4-4-4-12
      EVP   | 123e4567-e89b-12d3-a456-42661417400     | INVALID_EVP   | 8-4-4-4-12
      EVP   | 123e4567-e89b-12d3-a456-4266141740000   | INVALID_EVP   | 8-4-4-4-12
      EVP   | 123g4567-e89b-12d3-a456-426614174000    | INVALID_EVP   | 8-4-4-4-12
      EVP   | 123e4567-e89b-12d3-a4564-26614174000    | INVALID_EVP   | 8-4-4-4-12
      """)
  void normalize_invalidKey_rejectsWithReasonOfItsType(PixKeyType type, String raw, Reason reason,
      String expectedInMessage) {
    var e = assertThrows(Rejection.Rejected.class, () -> PixKeys.normalize(type, raw, "value"));

    assertEquals(reason, e.rejection().reason());
    assertEquals("value", e.rejection().field());
    assertTrue(e.rejection().message().contains(expectedInMessage), e.rejection().message());
  }

  @ParameterizedTest
  @EnumSource(PixKeyType.class)
  void normalize_missingOrBlankValue_rejectsAsRequired(PixKeyType type) {
    for (String raw : new String[] {null, "", "  \t "}) {
      var e = assertThrows(Rejection.Rejected.class, () -> PixKeys.normalize(type, raw, "key"));

      assertEquals("INVALID_" + type.name(), e.rejection().reason().name());
      assertEquals("key", e.rejection().field());
      assertTrue(e.rejection().message().contains("required"), e.rejection().message());
    }
  }

  @Test
  void normalize_nullType_rejectsWithInvalidPixKeyType() {
    var e = assertThrows(Rejection.Rejected.class, () -> PixKeys.normalize(null, "ana@example.com", "type"));

    assertEquals(Reason.INVALID_PIX_KEY_TYPE, e.rejection().reason());
    assertTrue(e.rejection().message().contains("CPF, CNPJ, EMAIL, PHONE or EVP"), e.rejection().message());
  }

  @Test
  void normalize_emailAtLengthLimit_acceptedAndOneMoreRefused() {
    String longest = "a".repeat(40) + "@" + "b".repeat(PixKeys.MAX_EMAIL_LENGTH - 40 - 1 - 4) + ".com";
    assertEquals(PixKeys.MAX_EMAIL_LENGTH, longest.length());
    assertEquals(longest, PixKeys.normalize(PixKeyType.EMAIL, longest, "value"));

    String tooLong = "a" + longest;
    var e = assertThrows(Rejection.Rejected.class, () -> PixKeys.normalize(PixKeyType.EMAIL, tooLong, "value"));

    assertEquals(Reason.INVALID_EMAIL, e.rejection().reason());
    assertTrue(e.rejection().message().contains("at most 77"), e.rejection().message());
  }

  @Test
  void normalize_emailLocalPartOver64_refused() {
    String email = "a".repeat(65) + "@ex.com";

    var e = assertThrows(Rejection.Rejected.class, () -> PixKeys.normalize(PixKeyType.EMAIL, email, "value"));

    assertEquals(Reason.INVALID_EMAIL, e.rejection().reason());
    assertTrue(e.rejection().message().contains("before the @"), e.rejection().message());
  }

  @Test
  void normalize_emailInCapitalsUnderTurkishLocale_lowerCasesByRootLocale() {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    try {
      // Under tr-TR, "I".toLowerCase() is a dotless ı: the same key would be stored under a second spelling.
      assertEquals("iris@example.com", PixKeys.normalize(PixKeyType.EMAIL, "IRIS@EXAMPLE.COM", "value"));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void normalize_sameKeyDifferentSpellings_sameNormalForm() {
    assertEquals(PixKeys.normalize(PixKeyType.PHONE, "+55 (11) 98765-4321", "value"),
        PixKeys.normalize(PixKeyType.PHONE, "+5511987654321", "value"));
    assertEquals(PixKeys.normalize(PixKeyType.CPF, "529.982.247-25", "value"),
        PixKeys.normalize(PixKeyType.CPF, "52998224725", "value"));
    assertEquals(PixKeys.normalize(PixKeyType.EMAIL, "ANA@EXAMPLE.COM", "value"),
        PixKeys.normalize(PixKeyType.EMAIL, "ana@example.com", "value"));
  }

  @Test
  void normalize_hugeBadValue_messageStaysShort() {
    for (PixKeyType type : PixKeyType.values()) {
      String huge = "x".repeat(100_000);

      var e = assertThrows(Rejection.Rejected.class, () -> PixKeys.normalize(type, huge, "value"));

      assertTrue(e.rejection().message().length() < 300, type + ": " + e.rejection().message());
    }
  }
}
