package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;

/**
 * A refusal: why, which request field was at fault (empty when none), a sentence for a human, and the dynamic
 * values behind it (account ids, amounts, the failing leg) for machines.
 */
public record Rejection(Reason reason, String field, String message, Map<String, String> metadata) {

  public Rejection {
    checkNotNull(reason);
    checkNotNull(field);
    checkNotNull(message);
    metadata = Map.copyOf(metadata);
  }

  /** The metadata key of a refusal that says when to try again (the API adds a {@code google.rpc.RetryInfo}). */
  public static final String RETRY_AFTER_MILLIS = "retry_after_millis";

  public static Rejection of(Reason reason, String field, String message) {
    return new Rejection(reason, field, message, Map.of());
  }

  /** The same refusal with one more metadata entry. */
  public Rejection with(String key, String value) {
    var copy = new java.util.TreeMap<>(metadata);
    copy.put(key, value);
    return new Rejection(reason, field, message, copy);
  }

  /** This refusal as an exception, for validation code deep in a call that answers at its top. */
  public Rejected toException() {
    return new Rejected(this);
  }

  /** Carries a {@link Rejection} up to the command that answers it; never escapes the core. */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Rejection rejection;

    Rejected(Rejection rejection) {
      super(rejection.reason() + ": " + rejection.message(), null, false, false);
      this.rejection = rejection;
    }

    public Rejection rejection() {
      return rejection;
    }
  }
}
