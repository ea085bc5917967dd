package dev.distribank.node.auth;

import com.google.common.hash.Hashing;
import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.ledger.Rejection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Login sessions: opaque random bearer tokens with an expiry. Only a SHA-256 of each token is kept (in memory and
 * in the store), so a copy of the database lets nobody sign in. Owned by the event-loop thread.
 */
public final class Sessions {
  /** A signed-in customer until {@code expiresAt}. */
  public record Session(String login, Instant expiresAt) {}

  private final Map<String, Session> byTokenHash = new HashMap<>();
  private final Map<String, Optional<Session>> unsaved = new LinkedHashMap<>();
  private final SecureRandom random;
  private final Clock clock;
  private final Duration ttl;

  public Sessions(SecureRandom random, Clock clock, Duration ttl) {
    this.random = random;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Starts a session; returns the token, which is never stored. */
  public String open(String login) {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    var session = new Session(login, clock.instant().plus(ttl));
    byTokenHash.put(hash(token), session);
    unsaved.put(hash(token), Optional.of(session));
    return token;
  }

  public Instant expiryOf(String token) {
    return byTokenHash.get(hash(token)).expiresAt();
  }

  /** The login behind a live token, or UNAUTHENTICATED. */
  public String login(String token) {
    Session s = token == null || token.isEmpty() ? null : byTokenHash.get(hash(token));
    if (s == null) {
      throw Rejection.of(Reason.UNAUTHENTICATED, "", token == null || token.isEmpty()
          ? "sign in first: send 'authorization: Bearer <token>' from Login"
          : "the token is unknown or was revoked; sign in again").toException();
    }
    if (!clock.instant().isBefore(s.expiresAt())) {
      close(token);
      throw Rejection.of(Reason.UNAUTHENTICATED, "", "the session expired at " + s.expiresAt() + "; sign in again")
          .toException();
    }
    return s.login();
  }

  public void close(String token) {
    String h = hash(token);
    if (byTokenHash.remove(h) != null) {
      unsaved.put(h, Optional.empty());
    }
  }

  /** Sessions opened (token hash → session) and closed (empty) since the last call, for the next durable write. */
  public Map<String, Optional<Session>> takeUnsaved() {
    if (unsaved.isEmpty()) {
      return Map.of();
    }
    var taken = new LinkedHashMap<>(unsaved);
    unsaved.clear();
    return taken;
  }

  /** Loads the stored sessions (by token hash) that have not expired; the expired ones are deleted at the next write. */
  public void restore(Map<String, Session> stored) {
    Instant now = clock.instant();
    stored.forEach((tokenHash, s) -> {
      if (now.isBefore(s.expiresAt())) {
        byTokenHash.put(tokenHash, s);
      } else {
        unsaved.put(tokenHash, Optional.empty());
      }
    });
  }

  private static String hash(String token) {
    return Hashing.sha256().hashString(token, StandardCharsets.UTF_8).toString();
  }
}
