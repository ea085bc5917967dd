package dev.distribank.node.ledger;

import java.util.List;
import java.util.Map;

/**
 * What one bank put on hold for one transaction when it voted YES: its postings, in leg order, with every PIX key
 * already resolved to the account it named at vote time (so a key removed later does not change where money goes).
 */
public record Reservation(List<Posting> postings) {

  public Reservation {
    postings = List.copyOf(postings);
  }

  /**
   * One change to one account of this bank.
   *
   * @param leg the leg's index in the transaction
   * @param signedCents negative for a debit, positive for a credit
   * @param counterparty the other side, as the statement shows it
   */
  public record Posting(int leg, AccountId account, long signedCents, String counterparty) {}

  /** Leg index → the account a PIX credit resolved to, for the receipt. */
  public Map<Integer, AccountId> resolvedPixCredits(List<Leg> legs) {
    var out = new java.util.TreeMap<Integer, AccountId>();
    for (Posting p : postings) {
      if (p.signedCents() > 0 && legs.get(p.leg()).to() instanceof Destination.ToPixKey) {
        out.put(p.leg(), p.account());
      }
    }
    return out;
  }
}
