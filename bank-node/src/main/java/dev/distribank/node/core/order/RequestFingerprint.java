package dev.distribank.node.core.order;

import com.google.common.hash.HashCode;
import dev.distribank.node.core.ledger.Destination;
import dev.distribank.node.core.ledger.Leg;
import dev.distribank.node.core.ledger.Principal;
import java.util.List;
import java.util.function.Function;

/**
 * What tells a true retry of a request id from a reuse of it for another transaction: a SHA-256 over the canonical
 * bytes of the typed request — who asked and every field of every leg — never over display text, so rewording a
 * {@code toString} cannot turn stored retries into reuses.
 *
 * <p>Requests stored before fingerprints were structural carry their fingerprint as text instead
 * ({@link #legacy}); it is compared with the text those versions wrote, rebuilt here field by field (not from
 * {@code toString}), in its two generations: {@code bank:login|legs} and, older, {@code taxId|legs}.
 */
public final class RequestFingerprint {
  private static final String VERSION = "distribank-request-v1";
  private final HashCode digest;
  private final String legacyText;

  private RequestFingerprint(HashCode digest, String legacyText) {
    this.digest = digest;
    this.legacyText = legacyText;
  }

  public static RequestFingerprint of(Principal principal, List<Leg> legs) {
    var text = new StringBuilder(128).append(VERSION).append('\n');
    Canonical.field(text, principal.bank());
    Canonical.field(text, principal.login());
    legs.forEach(leg -> Canonical.leg(text, leg));
    return new RequestFingerprint(Canonical.sha256(text), null);
  }

  /** A stored digest, as {@link #digest()} gave it. */
  public static RequestFingerprint ofDigest(byte[] digest) {
    return new RequestFingerprint(HashCode.fromBytes(digest), null);
  }

  /** A fingerprint stored as text by an older version. */
  public static RequestFingerprint legacy(String text) {
    return new RequestFingerprint(null, text);
  }

  /** The digest to store; null for a fingerprint read from an older store. */
  public byte[] digest() {
    return digest == null ? null : digest.asBytes();
  }

  /** The text an older version stored; null for a structural fingerprint. */
  public String legacyText() {
    return legacyText;
  }

  /**
   * Whether {@code principal} asking for {@code legs} is the request this fingerprint was taken of.
   * {@code taxIdOf} gives a local customer's tax id (or null), for the oldest stored form only.
   */
  boolean matches(Principal principal, List<Leg> legs, Function<String, String> taxIdOf) {
    if (digest != null) {
      return digest.equals(of(principal, legs).digest);
    }
    String shownLegs = legacyLegs(legs);
    if (legacyText.equals(principal.bank() + ":" + principal.login() + "|" + shownLegs)) {
      return true;
    }
    String taxId = taxIdOf.apply(principal.login());
    return taxId != null && legacyText.equals(taxId + "|" + shownLegs);
  }

  /** The legs as the older versions' fingerprints showed them: {@code [a:1 -> b:2 500, deposit -> a:1 100]}. */
  private static String legacyLegs(List<Leg> legs) {
    var text = new StringBuilder("[");
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      text.append(i == 0 ? "" : ", ").append(switch (leg.kind()) {
        case TRANSFER -> Canonical.account(leg.from()) + " -> " + legacyDestination(leg.to()) + " " + leg.amountCents();
        case DEPOSIT -> "deposit -> " + legacyDestination(leg.to()) + " " + leg.amountCents();
        case WITHDRAWAL -> Canonical.account(leg.from()) + " -> withdrawal " + leg.amountCents();
      });
    }
    return text.append(']').toString();
  }

  private static String legacyDestination(Destination to) {
    return switch (to) {
      case Destination.ToAccount a -> Canonical.account(a.account());
      case Destination.ToPixKey k -> k.bank() + ":pix:" + k.key();
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestFingerprint f && java.util.Objects.equals(digest, f.digest)
        && java.util.Objects.equals(legacyText, f.legacyText);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(digest, legacyText);
  }

  @Override
  public String toString() {
    return digest != null ? "sha256:" + digest : "legacy:" + legacyText;
  }
}
