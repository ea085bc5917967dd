package dev.distribank.node.core.order;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;

/**
 * The canonical text of the fields a digest covers (a vote's, a request's fingerprint): each field length-prefixed
 * on its own line, built from typed values, never from {@code toString}. Changing it changes every digest.
 */
final class Canonical {
  private Canonical() {}

  /** A leg's canonical fields: its kind, the debited account, the destination and the amount. */
  static void leg(StringBuilder text, Leg leg) {
    field(text, leg.kind().name());
    field(text, leg.from() == null ? "" : account(leg.from()));
    field(text, switch (leg.to()) {
      case null -> "";
      case Destination.ToAccount a -> "account " + account(a.account());
      case Destination.ToPixKey k -> "pix " + k.bank() + " " + k.key();
    });
    field(text, Long.toString(leg.amountCents()));
  }

  /** An account's canonical form, {@code bank:number}. */
  static String account(AccountId account) {
    return account.bank() + ":" + account.number();
  }

  /** Length-prefixed, so no field's text can pass for a field boundary. */
  static void field(StringBuilder text, String value) {
    text.append(value.length()).append(':').append(value).append('\n');
  }
}
