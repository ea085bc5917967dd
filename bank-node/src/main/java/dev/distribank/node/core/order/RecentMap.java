package dev.distribank.node.core.order;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps only its most recently added entries: what the core learned since the last durable write (and a
 * while after), in front of the {@link History} that holds everything once written.
 */
final class RecentMap<K, V> extends LinkedHashMap<K, V> {
  private static final long serialVersionUID = 1L;
  /** Far more than one group commit can add, so nothing is dropped before it is durable. */
  static final int CAPACITY = 100_000;

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > CAPACITY;
  }
}
