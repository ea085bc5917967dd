package dev.distribank.node.core.order;

import com.google.common.hash.Hashing;

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
    Canonical.field(text, p.transactionId());
    Canonical.field(text, p.coordinator());
    Canonical.field(text, p.principal().qualified());
    Canonical.field(text, p.requestId());
    Canonical.field(text, String.join(",", p.participants()));
    p.legs().forEach(leg -> Canonical.leg(text, leg));
    Canonical.field(text, "YES " + voter);
    return Hashing.sha256().hashUnencodedChars(text).asBytes();
  }
}
