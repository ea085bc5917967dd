package dev.distribank.node.core.order;

import java.util.ArrayDeque;

/** The last {@value #LENGTH} events of a simulated run, for the report that names its seed when a check fails. */
final class SimulationTrace {
  static final int LENGTH = 40;
  private final ArrayDeque<String> events = new ArrayDeque<>();

  void add(long step, String event) {
    if (events.size() == LENGTH) {
      events.removeFirst();
    }
    events.addLast("  step " + step + ": " + event);
  }

  /** {@code header}, then the events kept. */
  String report(String header) {
    var out = new StringBuilder(header).append("\n  last ").append(events.size()).append(" events:\n");
    events.forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }
}
