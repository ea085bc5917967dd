package dev.distribank.node.peer;

import dev.distribank.node.NodeConfig;
import dev.distribank.node.app.MemberStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/** This bank's view of the consortium, for the operator: health-watch state and link state per bank, in bank order. */
public final class ConsortiumView implements Supplier<List<MemberStatus>> {
  private final NodeConfig config;
  private final PeerHealth health;
  private final PeerLinks links;
  private final ToLongFunction<String> refused;
  private final Instant started = Instant.now();

  /** {@code refused}: how many protocol messages from a bank were refused as faults. */
  public ConsortiumView(NodeConfig config, PeerHealth health, PeerLinks links, ToLongFunction<String> refused) {
    this.config = config;
    this.health = health;
    this.links = links;
    this.refused = refused;
  }

  @Override
  public List<MemberStatus> get() {
    var out = new ArrayList<MemberStatus>();
    var views = health.views();
    for (var e : new TreeMap<>(config.peers()).entrySet()) {
      String bank = e.getKey();
      if (bank.equals(config.bank())) {
        out.add(new MemberStatus(bank, e.getValue(), true, MemberStatus.Health.UP, started, true, 0));
      } else {
        PeerHealth.View v = views.get(bank);
        out.add(new MemberStatus(bank, e.getValue(), false, switch (v.state()) {
          case UNKNOWN -> MemberStatus.Health.UNKNOWN;
          case UP -> MemberStatus.Health.UP;
          case DOWN -> MemberStatus.Health.DOWN;
        }, v.since(), links.connected(bank), refused.applyAsLong(bank)));
      }
    }
    return out;
  }
}
