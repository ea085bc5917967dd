package dev.distribank.node.core.ledger;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Comparator;

/**
 * A Lamport timestamp {@code (counter, bank)}: a transaction's place in the consortium's one global order.
 * Counter first, bank id to break ties, so no two banks ever issue the same stamp.
 */
public record Stamp(long counter, String bank) implements Comparable<Stamp> {

  private static final Comparator<Stamp> ORDER =
      Comparator.comparingLong(Stamp::counter).thenComparing(Stamp::bank);

  public Stamp {
    checkArgument(counter >= 0, "negative counter %s", counter);
    checkNotNull(bank);
  }

  @Override
  public int compareTo(Stamp other) {
    return ORDER.compare(this, other);
  }

  public static Stamp max(Stamp a, Stamp b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public String toString() {
    return counter + "@" + bank;
  }
}
