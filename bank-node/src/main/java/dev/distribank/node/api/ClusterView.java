package dev.distribank.node.api;

import com.google.protobuf.Timestamp;
import dev.distribank.node.NodeConfig;
import dev.distribank.node.peer.PeerHealth;
import dev.distribank.node.peer.PeerLinks;
import dev.distribank.proto.bank.v1.GetClusterStatusResponse;
import dev.distribank.proto.bank.v1.PeerState;
import dev.distribank.proto.bank.v1.PeerStatus;
import java.time.Instant;
import java.util.Set;

/** This bank's view of the consortium, for {@code GetClusterStatus}: health-watch state and link state per bank. */
public final class ClusterView {
  private final NodeConfig config;
  private final PeerHealth health;
  private final PeerLinks links;
  private final java.util.function.ToLongFunction<String> refused;
  private final Instant started = Instant.now();

  /** {@code refused}: how many protocol messages from a bank were refused as faults. */
  public ClusterView(NodeConfig config, PeerHealth health, PeerLinks links,
      java.util.function.ToLongFunction<String> refused) {
    this.config = config;
    this.health = health;
    this.links = links;
    this.refused = refused;
  }

  Set<String> banks() {
    return config.peers().keySet();
  }

  GetClusterStatusResponse status() {
    var out = GetClusterStatusResponse.newBuilder().setBank(config.bank());
    var views = health.views();
    for (var e : new java.util.TreeMap<>(config.peers()).entrySet()) {
      String bank = e.getKey();
      var s = PeerStatus.newBuilder().setBank(bank).setAddress(e.getValue());
      if (bank.equals(config.bank())) {
        s.setSelf(true).setState(PeerState.PEER_STATE_UP).setSince(timestamp(started)).setLinked(true);
      } else {
        PeerHealth.View v = views.get(bank);
        s.setState(switch (v.state()) {
          case UNKNOWN -> PeerState.PEER_STATE_UNKNOWN;
          case UP -> PeerState.PEER_STATE_UP;
          case DOWN -> PeerState.PEER_STATE_DOWN;
        }).setSince(timestamp(v.since())).setLinked(links.connected(bank))
            .setRefusedMessages(refused.applyAsLong(bank));
      }
      out.addBanks(s);
    }
    return out.build();
  }

  private static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
