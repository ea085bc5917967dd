package dev.distribank.node.core.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One bank's consents (DESIGN §3): who of another bank may debit which of its accounts. At most one consent per
 * account and grantee is live (neither revoked nor replaced); a new grant replaces it. Nothing is ever removed, so a
 * statement can always name the consent behind a debit. Part of {@link Bank}, on the event-loop thread.
 */
final class Consents {
  /** The furthest ahead an expiry may be set: ten years. */
  static final long MAX_EXPIRY_MILLIS = 10L * 366 * 24 * 3600 * 1000;

  private final Map<Long, Consent> byId = new TreeMap<>();
  /** The live consent per {@code account|bank:login}. */
  private final Map<String, Consent> live = new HashMap<>();
  private long nextId = 1;

  private static String key(AccountId account, Principal grantee) {
    return account + "|" + grantee.qualified();
  }

  void load(Consent consent) {
    byId.put(consent.id(), consent);
    if (!consent.ended()) {
      live.put(key(consent.account(), consent.grantee()), consent);
    }
    nextId = Math.max(nextId, consent.id() + 1);
  }

  /** The consent with this id; every id a reservation names exists (consents are never removed). */
  Consent get(long id) {
    Consent c = byId.get(id);
    if (c == null) {
      throw new IllegalStateException("no consent " + id + ", though a vote was taken under it");
    }
    return c;
  }

  /** The live consent letting {@code grantee} debit {@code account}, or null. */
  Consent live(AccountId account, Principal grantee) {
    return live.get(key(account, grantee));
  }

  /**
   * A new consent, replacing the live one for the same grantee. Checks, in order: the limits are not negative and
   * no larger than any balance can be; the expiry, when set, lies ahead (and within ten years).
   */
  Consent grant(AccountId account, Principal grantee, String grantedBy, long perTransaction, long total,
      long expiresAtMillis, long nowMillis) {
    checkLimit(perTransaction, "limit_per_transaction_cents");
    checkLimit(total, "total_limit_cents");
    if (expiresAtMillis != 0 && (expiresAtMillis <= nowMillis || expiresAtMillis - nowMillis > MAX_EXPIRY_MILLIS)) {
      throw Rejection.of(Reason.INVALID_EXPIRE_TIME, "expire_time", expiresAtMillis <= nowMillis
          ? "expire_time must lie in the future; leave it unset for a consent that does not expire"
          : "expire_time may lie at most ten years ahead").toException();
    }
    Consent previous = live.remove(key(account, grantee));
    if (previous != null) {
      previous.replace();
    }
    var consent = new Consent(nextId++, account, grantee, perTransaction, total, expiresAtMillis, nowMillis,
        grantedBy, 0, false, false);
    load(consent);
    return consent;
  }

  /** The consent that was live for this grantee, now revoked: debits already voted under it still apply. */
  Consent revoke(AccountId account, Principal grantee) {
    Consent c = live.remove(key(account, grantee));
    if (c == null) {
      throw Rejection.of(Reason.CONSENT_NOT_FOUND, "grantee", "account " + account + " has no live consent for "
          + grantee.qualified()).with("account", account.toString()).toException();
    }
    c.revoke();
    return c;
  }

  /** How many consents are in force at {@code nowMillis}: neither revoked, replaced nor expired. */
  int inForceAt(long nowMillis) {
    int count = 0;
    for (Consent c : live.values()) {
      if (!c.expiredAt(nowMillis)) {
        count++;
      }
    }
    return count;
  }

  /** Every consent ever given on the account, newest first. */
  List<Consent> of(AccountId account) {
    var out = new ArrayList<Consent>();
    for (Consent c : byId.values()) {
      if (c.account().equals(account)) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparingLong(Consent::id).reversed());
    return out;
  }

  private static void checkLimit(long cents, String field) {
    if (cents < 0 || cents > Account.MAX_BALANCE_CENTS) {
      throw Rejection.of(Reason.INVALID_AMOUNT, field, field + " must be between 0 (no limit) and "
          + Account.MAX_BALANCE_CENTS + " cents, got " + cents).toException();
    }
  }
}
