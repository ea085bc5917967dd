package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.regex.Pattern;

/**
 * Who asks for something: a customer signed in at {@code bank} as {@code login} (DESIGN §3). Never a bare tax id:
 * anyone can register any valid CPF at a bank, so a CPF proves nothing across banks. A bank lets a principal of
 * another bank debit one of its accounts only under a {@link Consent} a holder granted there.
 */
public record Principal(String bank, String login) {
  private static final Pattern FORM = Pattern.compile("([a-z][a-z0-9-]{1,15}):([a-z0-9][a-z0-9._-]{2,31})");

  public Principal {
    checkNotNull(bank);
    checkNotNull(login);
  }

  /** Parses {@code bank:login}, e.g. {@code alpha:caio}, or refuses with INVALID_GRANTEE naming {@code field}. */
  public static Principal parse(String text, String field) {
    Text.requireClean(text, Reason.INVALID_GRANTEE, field, "the grantee");
    var m = FORM.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw Rejection.of(Reason.INVALID_GRANTEE, field, "'" + Text.quote(text)
          + "' is not of the form bank:login (a bank id, a colon, a login of 3 to 32 characters a-z 0-9 . _ -), "
          + "e.g. alpha:caio").toException();
    }
    return new Principal(m.group(1), m.group(2));
  }

  /** {@code bank:login}, the form {@link #parse} reads and consents name their grantee by. */
  public String qualified() {
    return bank + ":" + login;
  }

  /** {@code login@bank}, as operation logs and statements show who asked. */
  @Override
  public String toString() {
    return login + "@" + bank;
  }
}
