package dev.distribank.node.core.order;

import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One bank's links going down for a while in the simulation, and each bank's health watch seeing it. Time runs fast
 * meanwhile (nothing gets through, but clocks tick), so coordinators time out votes and participants inquire about
 * decisions; when the links come back, the streams re-send what was not acknowledged.
 */
final class SimulatedPartition {
  private final SimulatedNetwork network;
  private final List<String> ids;
  private final Consumer<ClusterSimulation.Node> collect;
  private final BiConsumer<String, Object[]> remember;

  SimulatedPartition(SimulatedNetwork network, List<String> ids, Consumer<ClusterSimulation.Node> collect,
      BiConsumer<String, Object[]> remember) {
    this.network = network;
    this.ids = ids;
    this.collect = collect;
    this.remember = remember;
  }

  /** Cuts a bank off at {@code step}; returns the step the cut ends at. */
  long cut(long step, Random random, Collection<ClusterSimulation.Node> nodes) {
    network.cut(ids.get(random.nextInt(ids.size())));
    long endsAt = step + 200 + random.nextInt(200 * ids.size());
    remember.accept("%s is cut off until step %s", new Object[] {network.cutOff(), endsAt});
    nodes.forEach(n -> healthWatch(n, false));
    return endsAt;
  }

  void heal(Collection<ClusterSimulation.Node> nodes) {
    if (network.cutOff() != null) {
      remember.accept("%s is back", new Object[] {network.cutOff()});
      nodes.forEach(n -> healthWatch(n, true));
      network.heal();
    }
  }

  /** A bank's health watch sees the cut-off bank (or, from the cut-off bank, every other) go down or come back. */
  void healthWatch(ClusterSimulation.Node n, boolean up) {
    for (String other : network.downFor(n.id(), ids)) {
      n.core().peerState(other, up);
      if (up) {
        n.core().linkUp(other); // the stream comes back with the bank: re-send what it has not acknowledged
      }
    }
    collect.accept(n);
  }
}
