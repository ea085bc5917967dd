package dev.distribank.node.core.order;

import java.util.ArrayList;
import java.util.Collection;

/**
 * What a simulated run did; equal for two runs of one seed. {@code early}: messages and answers that left before their
 * step's write; {@code crashesAfterEarly}: crashes that cut a step off between those and its write;
 * {@code settledByPeers}: in-doubt votes settled on another participant's word (cooperative termination).
 */
record SimulationSummary(int banks, long steps, int requests, int transactions, int audits, long delivered,
    long duplicated, long lost, int crashes, int crashesAfterEarly, long early, int batches, int balancesDigest,
    boolean faultInjected, long settledByPeers) {

  /** A digest of every balance at every bank, in order: two runs of one seed end with the same. */
  static int balancesDigest(Collection<ClusterSimulation.Node> nodes) {
    var balances = new ArrayList<Long>();
    nodes.forEach(n -> n.bank().accounts().forEach(a -> balances.add(a.balanceCents())));
    return balances.hashCode();
  }
}
