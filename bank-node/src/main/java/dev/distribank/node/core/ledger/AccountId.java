package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.regex.Pattern;

/** An account's name across the consortium: {@code bank:number}, e.g. {@code alpha:1001}. */
public record AccountId(String bank, long number) implements Comparable<AccountId> {

  private static final Pattern FORM = Pattern.compile("([a-z][a-z0-9-]{1,15}):([1-9][0-9]{0,17})");

  public AccountId {
    checkArgument(number > 0, "account number must be positive");
  }

  /**
   * Parses exactly {@code bank:number}, or refuses with INVALID_ACCOUNT_ID naming the field. Nothing is trimmed: a
   * control character (a NUL before the bank id) or a space is refused, not stripped.
   */
  public static AccountId parse(String text, String field) {
    Text.requireClean(text, Reason.INVALID_ACCOUNT_ID, field, "the account id");
    var m = FORM.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw Rejection.of(Reason.INVALID_ACCOUNT_ID, field,
          "'" + Text.quote(text) + "' is not an account: expected bank:number, e.g. alpha:1001").toException();
    }
    return new AccountId(m.group(1), Long.parseLong(m.group(2)));
  }

  @Override
  public int compareTo(AccountId o) {
    int byBank = bank.compareTo(o.bank);
    return byBank != 0 ? byBank : Long.compare(number, o.number);
  }

  @Override
  public String toString() {
    return bank + ":" + number;
  }
}
