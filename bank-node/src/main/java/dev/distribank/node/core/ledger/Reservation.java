package dev.distribank.node.core.ledger;

import java.util.List;
import java.util.Map;

/**
 * What one bank put on hold for one transaction when it voted YES: its postings, in leg order, with every PIX key
 * already resolved to the account it named at vote time (so a key removed later does not change where money goes),
 * and for each debit the authority it was taken under.
 */
public record Reservation(List<Posting> postings) {

  public Reservation {
    postings = List.copyOf(postings);
  }

  /** What a posting does to its account, typed: never recognised from the counterparty's display text. */
  public enum Kind {
    /** The debit side of a transfer. */
    DEBIT,
    /** The credit side of a transfer. */
    CREDIT,
    /** Money entering the consortium. */
    DEPOSIT,
    /** Money leaving the consortium. */
    WITHDRAWAL;

    boolean debits() {
      return this == DEBIT || this == WITHDRAWAL;
    }
  }

  /** No consent: a holder (or employee) of the account asked, at the account's own bank. */
  public static final long NO_CONSENT = 0;

  /**
   * One change to one account of this bank.
   *
   * @param leg the leg's index in the transaction
   * @param signedCents negative for a debit, positive for a credit
   * @param counterparty the other side, as the statement shows it
   * @param consentId the consent a debit was authorised by, {@link #NO_CONSENT} when a holder asked
   */
  public record Posting(int leg, AccountId account, long signedCents, String counterparty, Kind kind,
      long consentId) {}

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
