package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a transaction: a transfer (debit {@code from}, credit {@code to}), a deposit (credit {@code to}) or a
 * withdrawal (debit {@code from}). Amounts are positive centavos, at most {@link #MAX_AMOUNT_CENTS}.
 */
public record Leg(Kind kind, AccountId from, Destination to, long amountCents) {

  /** 10^15 centavos = R$ 10 trillion: far above any real payment, far below overflow. */
  public static final long MAX_AMOUNT_CENTS = 1_000_000_000_000_000L;

  /** At most this many legs in one transaction. */
  public static final int MAX_LEGS = 64;

  /** What a leg does. */
  public enum Kind { TRANSFER, DEPOSIT, WITHDRAWAL }

  public Leg {
    checkArgument((kind == Kind.DEPOSIT) == (from == null), "from is set exactly when the leg debits");
    checkArgument((kind == Kind.WITHDRAWAL) == (to == null), "to is set exactly when the leg credits");
    checkArgument(amountCents > 0 && amountCents <= MAX_AMOUNT_CENTS, "amount %s out of range", amountCents);
  }

  public static Leg transfer(AccountId from, Destination to, long amountCents) {
    return new Leg(Kind.TRANSFER, from, to, amountCents);
  }

  public static Leg deposit(AccountId to, long amountCents) {
    return new Leg(Kind.DEPOSIT, null, new Destination.ToAccount(to), amountCents);
  }

  public static Leg withdrawal(AccountId from, long amountCents) {
    return new Leg(Kind.WITHDRAWAL, from, null, amountCents);
  }

  public boolean debits() {
    return from != null;
  }

  public boolean credits() {
    return to != null;
  }

  /**
   * Validates a leg as it came off the wire, in a fixed precedence (kind, amount, from, to), so the same bad leg
   * always gets the same answer. {@code index} names the leg in the refusal.
   */
  public static Leg parse(Kind kind, String from, String to, long amountCents, int index) {
    String field = "legs[" + index + "]";
    if (kind == null) {
      throw reject(Reason.INVALID_LEG, field + ".kind", "leg " + index + " needs a kind: TRANSFER, DEPOSIT or WITHDRAWAL",
          index);
    }
    if (amountCents <= 0 || amountCents > MAX_AMOUNT_CENTS) {
      throw reject(Reason.INVALID_AMOUNT, field + ".amount_cents",
          "leg " + index + " amount must be between 1 and " + MAX_AMOUNT_CENTS + " cents, got " + amountCents, index);
    }
    boolean wantsFrom = kind != Kind.DEPOSIT;
    boolean wantsTo = kind != Kind.WITHDRAWAL;
    if (wantsFrom == from.isEmpty()) {
      throw reject(Reason.INVALID_LEG, field + ".from_account",
          "leg " + index + " (" + kind + ") " + (wantsFrom ? "needs" : "takes no") + " from_account", index);
    }
    if (wantsTo == to.isEmpty()) {
      throw reject(Reason.INVALID_LEG, field + ".to_account",
          "leg " + index + " (" + kind + ") " + (wantsTo ? "needs" : "takes no") + " to_account", index);
    }
    AccountId source = wantsFrom ? AccountId.parse(from, field + ".from_account") : null;
    Destination target = null;
    if (wantsTo) {
      target = kind == Kind.DEPOSIT
          ? new Destination.ToAccount(AccountId.parse(to, field + ".to_account"))
          : Destination.parse(to, field + ".to_account");
    }
    if (source != null && target instanceof Destination.ToAccount(AccountId account) && account.equals(source)) {
      throw reject(Reason.INVALID_LEG, field + ".to_account", "leg " + index + " moves money from " + source
          + " to itself", index);
    }
    return new Leg(kind, source, target, amountCents);
  }

  /** Checks a whole transaction's shape: 1..{@value #MAX_LEGS} legs. */
  public static List<Leg> checkCount(List<Leg> legs, int requested) {
    if (requested == 0) {
      throw Rejection.of(Reason.NO_LEGS, "legs", "a transaction needs at least one leg").toException();
    }
    if (requested > MAX_LEGS) {
      throw Rejection.of(Reason.TOO_MANY_LEGS, "legs",
          "a transaction has at most " + MAX_LEGS + " legs, got " + requested).toException();
    }
    return new ArrayList<>(legs);
  }

  private static Rejection.Rejected reject(Reason reason, String field, String message, int index) {
    return Rejection.of(reason, field, message).atLeg(index).toException();
  }

  @Override
  public String toString() {
    return switch (kind) {
      case TRANSFER -> from + " -> " + to + " " + amountCents;
      case DEPOSIT -> "deposit -> " + to + " " + amountCents;
      case WITHDRAWAL -> from + " -> withdrawal " + amountCents;
    };
  }
}
