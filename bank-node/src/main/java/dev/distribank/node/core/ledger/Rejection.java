package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;

/**
 * A refusal: why, which request field was at fault (empty when none), a sentence for a human, the dynamic values
 * behind it (account ids, amounts) for machines, and the index of the transaction leg that failed ({@link #NO_LEG}
 * when the refusal is not about one leg).
 */
public record Rejection(Reason reason, String field, String message, Map<String, String> metadata, int failedLeg) {
  /** The {@link #failedLeg} of a refusal that is about no leg in particular. */
  public static final int NO_LEG = -1;

  public Rejection {
    checkNotNull(reason);
    checkNotNull(field);
    checkNotNull(message);
    checkArgument(failedLeg >= NO_LEG, "failedLeg %s", failedLeg);
    metadata = Map.copyOf(metadata);
  }

  public Rejection(Reason reason, String field, String message, Map<String, String> metadata) {
    this(reason, field, message, metadata, NO_LEG);
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
    return new Rejection(reason, field, message, copy, failedLeg);
  }

  /** The same refusal, about leg {@code index} of its transaction. */
  public Rejection atLeg(int index) {
    return new Rejection(reason, field, message, metadata, index);
  }

  /** Whether the refusal names the leg that failed. */
  public boolean hasFailedLeg() {
    return failedLeg != NO_LEG;
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
