package dev.distribank.node.core.ledger;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validates a PIX key by its type and returns its one normal form, the form the bank stores and looks keys up by,
 * so that {@code 529.982.247-25} and {@code 52998224725}, or {@code Ana@Example.COM} and {@code ana@example.com},
 * are the same key.
 *
 * <table>
 *   <caption>Normal forms</caption>
 *   <tr><th>type</th><th>accepted</th><th>normal form</th></tr>
 *   <tr><td>CPF, CNPJ</td><td>digits with optional {@code . - /} and spaces</td><td>11 or 14 digits</td></tr>
 *   <tr><td>EMAIL</td><td>{@code local@domain.tld}, at most 77 characters</td><td>trimmed, lower case</td></tr>
 *   <tr><td>PHONE</td><td>{@code +55}, area code, number; spaces, {@code -} and parentheses ignored</td>
 *       <td>{@code +55} and 10 or 11 digits</td></tr>
 *   <tr><td>EVP</td><td>a UUID in 8-4-4-4-12 hex form, either case</td><td>lower case</td></tr>
 * </table>
 */
public final class PixKeys {
  /** The central bank's limit on an e-mail key's length. */
  static final int MAX_EMAIL_LENGTH = 77;
  /** RFC 5321's limit on the part before the @. */
  static final int MAX_EMAIL_LOCAL_LENGTH = 64;

  /**
   * A practical subset of RFC 5322: a dot-atom local part (no leading, trailing or doubled dots), then a host name of
   * LDH labels and an alphabetic top-level domain. Quoted local parts, IP-literal domains and non-ASCII addresses are
   * refused; a bank's customers do not use them, and every extra form is one more way for two spellings to collide.
   */
  private static final Pattern EMAIL = Pattern.compile(
      "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
          + "@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

  /** Brazil's: a phone key is +55, a two-digit area code from 11 to 99, then an 8- or 9-digit number. */
  private static final String COUNTRY_CODE = "+55";

  private static final Pattern EVP =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private PixKeys() {}

  /**
   * The normal form of {@code raw} as a key of {@code type}, or a refusal naming {@code field}: INVALID_CPF,
   * INVALID_CNPJ, INVALID_EMAIL, INVALID_PHONE or INVALID_EVP by type, INVALID_PIX_KEY_TYPE when {@code type} is null.
   */
  public static String normalize(PixKeyType type, String raw, String field) {
    if (type == null) {
      throw refusal(Reason.INVALID_PIX_KEY_TYPE, field, "a PIX key type is required: CPF, CNPJ, EMAIL, PHONE or EVP");
    }
    return switch (type) {
      case CPF -> TaxIds.cpf(raw, field);
      case CNPJ -> TaxIds.cnpj(raw, field);
      case EMAIL -> email(raw, field);
      case PHONE -> phone(raw, field);
      case EVP -> evp(raw, field);
    };
  }

  private static String email(String raw, String field) {
    if (raw == null || raw.isBlank()) {
      throw refusal(Reason.INVALID_EMAIL, field, "an e-mail key is required, e.g. ana@example.com");
    }
    Text.requireClean(raw, Reason.INVALID_EMAIL, field, "the e-mail key");
    // Locale.ROOT: in a Turkish locale "I".toLowerCase() is a dotless ı, which would make a different key.
    String value = raw.strip().toLowerCase(Locale.ROOT);
    if (value.length() > MAX_EMAIL_LENGTH) {
      throw refusal(Reason.INVALID_EMAIL, field, "e-mail key '" + TaxIds.echo(value) + "' has "
          + value.length() + " characters; at most " + MAX_EMAIL_LENGTH + " are allowed");
    }
    if (value.indexOf('@') > MAX_EMAIL_LOCAL_LENGTH) {
      throw refusal(Reason.INVALID_EMAIL, field, "e-mail key '" + TaxIds.echo(value)
          + "' has more than " + MAX_EMAIL_LOCAL_LENGTH + " characters before the @ (RFC 5321's limit)");
    }
    if (!EMAIL.matcher(value).matches()) {
      throw refusal(Reason.INVALID_EMAIL, field, "'" + TaxIds.echo(value)
          + "' is not an e-mail address: expected local@domain.tld, e.g. ana@example.com");
    }
    return value;
  }

  /** A ladder in fixed order: country code, characters, length, area code. */
  private static String phone(String raw, String field) {
    if (raw == null || raw.isBlank()) {
      throw refusal(Reason.INVALID_PHONE, field, "a phone key is required, e.g. +5511987654321");
    }
    Text.requireClean(raw, Reason.INVALID_PHONE, field, "the phone key");
    String shown = TaxIds.echo(raw.strip());
    String value = raw.strip().replaceAll("[ ()-]", "");
    if (!value.startsWith(COUNTRY_CODE)) {
      throw refusal(Reason.INVALID_PHONE, field, "phone key '" + shown
          + "' must start with +55, Brazil's country code, e.g. +5511987654321");
    }
    String national = value.substring(COUNTRY_CODE.length());
    for (int i = 0; i < national.length(); ) {
      int c = national.codePointAt(i);
      i += Character.charCount(c);
      if (c < '0' || c > '9') {
        throw refusal(Reason.INVALID_PHONE, field, "phone key '" + shown + "' has '" + TaxIds.printable(c)
            + "'; after +55 only digits, spaces, '-' and parentheses are allowed");
      }
    }
    if (national.length() < 10 || national.length() > 11) {
      throw refusal(Reason.INVALID_PHONE, field, "phone key '" + shown + "' has " + national.length()
          + " digits after +55; expected 10 or 11: a 2-digit area code and an 8-digit landline or 9-digit mobile"
          + " number, e.g. +5511987654321");
    }
    int areaCode = Integer.parseInt(national.substring(0, 2));
    if (areaCode < 11) {
      throw refusal(Reason.INVALID_PHONE, field, "phone key '" + shown + "' has area code "
          + national.substring(0, 2) + "; area codes run from 11 to 99");
    }
    return value;
  }

  private static String evp(String raw, String field) {
    if (raw == null || raw.isBlank()) {
      throw refusal(Reason.INVALID_EVP, field, "an EVP key is required: a UUID generated by the bank");
    }
    Text.requireClean(raw, Reason.INVALID_EVP, field, "the EVP key");
    String value = raw.strip().toLowerCase(Locale.ROOT);
    if (!EVP.matcher(value).matches()) {
      throw refusal(Reason.INVALID_EVP, field, "'" + TaxIds.echo(raw.strip())
          + "' is not an EVP key: expected a UUID of 32 hex digits as 8-4-4-4-12,"
          + " e.g. 123e4567-e89b-12d3-a456-426614174000");
    }
    return value;
  }

  private static Rejection.Rejected refusal(Reason reason, String field, String message) {
    return Rejection.of(reason, field, message).toException();
  }
}
