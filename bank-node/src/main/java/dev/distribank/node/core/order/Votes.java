package dev.distribank.node.core.order;

import com.google.common.hash.Hashing;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;

/**
 * What a YES vote signs: SHA-256 over a canonical text (its UTF-16 code units) of the proposal — every field that
 * decides whose money moves where — and the voter. Two banks that saw the same proposal compute the same digest; any
 * change to a leg, an amount, the principal or the participants changes it.
 */
public final class Votes {
  private static final String VERSION = "distribank-vote-v1";

  private Votes() {}

  public static byte[] digest(Message.Propose p, String voter) {
    var text = new StringBuilder(256).append(VERSION).append('\n');
    field(text, p.transactionId());
    field(text, p.coordinator());
    field(text, p.principal().qualified());
    field(text, p.requestId());
    field(text, String.join(",", p.participants()));
    for (Leg leg : p.legs()) {
      field(text, leg.kind().name());
      field(text, leg.from() == null ? "" : leg.from().toString());
      field(text, switch (leg.to()) {
        case null -> "";
        case Destination.ToAccount a -> "account " + a.account();
        case Destination.ToPixKey k -> "pix " + k.bank() + " " + k.key();
      });
      field(text, Long.toString(leg.amountCents()));
    }
    field(text, "YES " + voter);
    return Hashing.sha256().hashUnencodedChars(text).asBytes();
  }

  /** Length-prefixed, so no field's text can pass for a field boundary. */
  private static void field(StringBuilder text, String value) {
    text.append(value.length()).append(':').append(value).append('\n');
  }
}
