package dev.distribank.node.core.order;

import static dev.distribank.node.core.order.ClusterHistory.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The audit's client side in the simulation (DESIGN §4, "Audit"): it picks the cut from the banks' clocks, then asks
 * each bank for its totals as of the cut, each request arriving on its own later step, as separate calls over a
 * network would; meanwhile transactions go on applying. A request to a bank that crashes before answering is
 * abandoned (the real auditor would get an error and try again).
 *
 * <p>A bank that restarts between the cut and the request cannot answer as of the cut ({@code AuditTrail} keeps the
 * applications it would undo only in memory), so it refuses; requests are delivered across restarts to check that it
 * does refuse rather than answer wrongly. {@code -Dsim.auditsAcrossRestarts=false} abandons them instead.
 */
final class SimulatedAuditor {

  /** A request for one bank's totals as of {@code cut}, not yet delivered or not yet answered. */
  record Request(long audit, String bank, long tag, long cut) {}

  private final boolean acrossRestarts =
      Boolean.parseBoolean(System.getProperty("sim.auditsAcrossRestarts", "true"));
  private final List<Request> undelivered = new ArrayList<>();
  private final Map<Long, Request> unanswered = new HashMap<>();
  private long audits;

  /** Starts an audit at {@code cut}; returns its id. {@code tags} numbers the requests, one per bank. */
  long start(long cut, List<String> banks, LongSupplier tags) {
    audits++;
    for (String bank : banks) {
      undelivered.add(new Request(audits, bank, tags.getAsLong(), cut));
    }
    return audits;
  }

  boolean hasUndelivered() {
    return !undelivered.isEmpty();
  }

  /** Takes a request chosen by {@code random}: the next one to reach its bank. */
  Request deliverAny(Random random) {
    Request r = undelivered.remove(random.nextInt(undelivered.size()));
    unanswered.put(r.tag(), r);
    return r;
  }

  /** The request a bank's snapshot answers. */
  Request answered(String bank, long tag) {
    Request r = unanswered.remove(tag);
    check(r != null && r.bank().equals(bank), "%s answered audit request %s, which it was not asked", bank, tag);
    return r;
  }

  /** A bank crashed: the requests it had received are lost with it; their audits can never complete. */
  void abandon(String bank) {
    unanswered.values().removeIf(r -> r.bank().equals(bank));
    if (!acrossRestarts) {
      undelivered.removeIf(r -> r.bank().equals(bank));
    }
  }

  boolean idle() {
    return undelivered.isEmpty() && unanswered.isEmpty();
  }

  @Override
  public String toString() {
    return undelivered.size() + " audit requests undelivered, " + unanswered.size() + " unanswered";
  }
}
