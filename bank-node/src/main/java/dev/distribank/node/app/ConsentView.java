package dev.distribank.node.app;

import dev.distribank.node.core.ledger.AccountId;
import dev.distribank.node.core.ledger.Consent;
import dev.distribank.node.core.ledger.Principal;

/**
 * A consent as it stood when the call ran, its state as of the bank's clock then. The ledger's {@link Consent}
 * changes under the event loop (its use is reserved and spent there); this copy may be read on any thread.
 *
 * @param expiresAtMillis epoch millis after which it authorises nothing; 0 for never
 */
public record ConsentView(long id, AccountId account, Principal grantee, long limitPerTransactionCents,
    long totalLimitCents, long usedCents, long reservedCents, long grantedAtMillis, String grantedBy,
    long expiresAtMillis, Consent.State state) {

  /** Call on the loop. */
  static ConsentView of(Consent c, long nowMillis) {
    return new ConsentView(c.id(), c.account(), c.grantee(), c.limitPerTransactionCents(), c.totalLimitCents(),
        c.usedCents(), c.reservedCents(), c.grantedAtMillis(), c.grantedBy(), c.expiresAtMillis(),
        c.stateAt(nowMillis));
  }
}
