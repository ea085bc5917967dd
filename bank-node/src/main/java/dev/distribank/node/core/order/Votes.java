package dev.distribank.node.core.order;

import java.util.Map;

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
    return Canonical.sha256(text).asBytes();
  }

  /**
   * The first bank other than this one whose money {@code p} moves and whose signed YES on {@code p} is not among
   * {@code votes}, or null when every such bank's is there and valid. Only a bank that receives in {@code p} needs the
   * proof: one that only pays agreed to pay by its own vote, and the banks it pays check for themselves.
   */
  static String unprovenDebtor(VoteSigner signer, String self, Message.Propose p,
      Map<String, VoteSignature> votes) {
    if (!p.receives(self)) {
      return null;
    }
    for (var leg : p.legs()) {
      if (!leg.debits() || leg.from().bank().equals(self)) {
        continue;
      }
      String debtor = leg.from().bank();
      VoteSignature vote = votes.get(debtor);
      if (!VoteBatch.verify(signer, debtor, Votes.digest(p, debtor), vote)) {
        return debtor;
      }
    }
    return null;
  }
}
