package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

/**
 * A holder's permission, granted while signed in at the account's own bank, for a customer of another bank to debit
 * one account (DESIGN §3, Open Finance style): optional limits per transaction and in total, an optional expiry.
 *
 * <p>Its use is reserved at vote time like funds: a YES vote that debits under a consent adds to
 * {@link #reservedCents}, applying moves that to {@link #usedCents}, an abort gives it back. So concurrent debits
 * cannot overrun the total, and applying never needs to check anything. A consent is never deleted: revoked and
 * replaced ones stay, so that every debit they authorised can still name them. Owned by the event-loop thread.
 */
public final class Consent {
  /** What a consent's limits mean when they are zero: none. */
  public static final long NO_LIMIT = 0;

  /** Where a consent stands at a given moment. */
  public enum State { ACTIVE, EXPIRED, REVOKED, REPLACED, EXHAUSTED }

  private final long id;
  private final AccountId account;
  private final Principal grantee;
  private final long limitPerTransactionCents;
  private final long totalLimitCents;
  private final long expiresAtMillis;
  private final long grantedAtMillis;
  private final String grantedBy;
  private long usedCents;
  private long reservedCents;
  private boolean revoked;
  private boolean replaced;

  /**
   * @param expiresAtMillis epoch millis after which it authorises nothing; 0 for never
   */
  public Consent(long id, AccountId account, Principal grantee, long limitPerTransactionCents, long totalLimitCents,
      long expiresAtMillis, long grantedAtMillis, String grantedBy, long usedCents, boolean revoked,
      boolean replaced) {
    checkArgument(id > 0, "consent id %s", id);
    checkArgument(limitPerTransactionCents >= 0 && totalLimitCents >= 0 && usedCents >= 0, "negative consent amount");
    this.id = id;
    this.account = checkNotNull(account);
    this.grantee = checkNotNull(grantee);
    this.limitPerTransactionCents = limitPerTransactionCents;
    this.totalLimitCents = totalLimitCents;
    this.expiresAtMillis = expiresAtMillis;
    this.grantedAtMillis = grantedAtMillis;
    this.grantedBy = checkNotNull(grantedBy);
    this.usedCents = usedCents;
    this.revoked = revoked;
    this.replaced = replaced;
  }

  public long id() {
    return id;
  }

  public AccountId account() {
    return account;
  }

  public Principal grantee() {
    return grantee;
  }

  public long limitPerTransactionCents() {
    return limitPerTransactionCents;
  }

  public long totalLimitCents() {
    return totalLimitCents;
  }

  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  public long grantedAtMillis() {
    return grantedAtMillis;
  }

  public String grantedBy() {
    return grantedBy;
  }

  public long usedCents() {
    return usedCents;
  }

  public long reservedCents() {
    return reservedCents;
  }

  public boolean revoked() {
    return revoked;
  }

  public boolean replaced() {
    return replaced;
  }

  /** Revoked or replaced: it will never authorise anything again. */
  boolean ended() {
    return revoked || replaced;
  }

  public State stateAt(long nowMillis) {
    if (revoked) {
      return State.REVOKED;
    }
    if (replaced) {
      return State.REPLACED;
    }
    if (expiredAt(nowMillis)) {
      return State.EXPIRED;
    }
    return totalLimitCents != NO_LIMIT && usedCents >= totalLimitCents ? State.EXHAUSTED : State.ACTIVE;
  }

  boolean expiredAt(long nowMillis) {
    return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
  }

  /** Whether one transaction may debit {@code cents} more under it, on top of what is used and reserved. */
  boolean allowsInTotal(long cents) {
    return totalLimitCents == NO_LIMIT || totalLimitCents - usedCents - reservedCents >= cents;
  }

  boolean allowsInOneTransaction(long cents) {
    return limitPerTransactionCents == NO_LIMIT || cents <= limitPerTransactionCents;
  }

  void revoke() {
    revoked = true;
  }

  void replace() {
    replaced = true;
  }

  /** A YES vote debits {@code cents} under this consent (or recovery re-takes such a vote). */
  void reserve(long cents) {
    reservedCents = Math.addExact(reservedCents, cents);
  }

  void release(long cents) {
    reservedCents = Math.subtractExact(reservedCents, cents);
    checkState(reservedCents >= 0, "consent %s released more than it reserved", id);
  }

  /** The debit applied: its reservation becomes use. */
  void use(long cents) {
    release(cents);
    usedCents = Math.addExact(usedCents, cents);
  }
}
