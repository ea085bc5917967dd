package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Where a credit goes: an account, or a PIX key registered at a named bank (resolved to an account by that bank when
 * it votes).
 */
public sealed interface Destination {

  /** The bank that owns the credited account. */
  String bank();

  /** A credit to a known account. */
  record ToAccount(AccountId account) implements Destination {
    public ToAccount {
      checkNotNull(account);
    }

    @Override
    public String bank() {
      return account.bank();
    }

    @Override
    public String toString() {
      return account.toString();
    }
  }

  /** A credit to whatever account {@code key} names at {@code bank}. */
  record ToPixKey(String bank, String key) implements Destination {
    public ToPixKey {
      checkNotNull(bank);
      checkNotNull(key);
    }

    @Override
    public String toString() {
      return bank + ":pix:" + key;
    }
  }

  /**
   * Parses {@code bank:number} or {@code bank:pix:<key>}, refusing forbidden characters anywhere (nothing is
   * trimmed). The key is otherwise taken as given; its bank normalises it against each key type when it resolves it.
   */
  static Destination parse(String text, String field) {
    Text.requireClean(text, Reason.INVALID_ACCOUNT_ID, field, "the destination");
    String t = text == null ? "" : text;
    int pix = t.indexOf(":pix:");
    if (pix > 0) {
      String bank = t.substring(0, pix);
      String key = t.substring(pix + 5);
      if (!bank.matches("[a-z][a-z0-9-]{1,15}") || key.isBlank() || Text.length(key) > 100) {
        throw Rejection.of(Reason.INVALID_ACCOUNT_ID, field,
            "'" + Text.quote(text) + "' is not a destination: expected bank:number or bank:pix:<key>")
            .toException();
      }
      return new ToPixKey(bank, key);
    }
    return new ToAccount(AccountId.parse(t, field));
  }
}
