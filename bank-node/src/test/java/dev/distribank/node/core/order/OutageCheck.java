package dev.distribank.node.core.order;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What cooperative termination (DESIGN §5) promises while a bank is down for good: a YES vote at a bank that is up
 * still waits only for a transaction that bank coordinated, and only when every other participant that is up voted YES
 * too and knows no decision. Every other vote the banks that are up settle among themselves.
 */
final class OutageCheck {
  private OutageCheck() {}

  /** The first vote at a bank that is up that should have been settled without {@code dead}, described; or null. */
  static String unsettled(Map<String, ClusterSimulation.Node> nodes, String dead) {
    for (var n : nodes.values()) {
      if (n.id().equals(dead)) {
        continue;
      }
      for (Message.Propose p : n.core().undecidedProposals()) {
        String txn = p.transactionId();
        if (!p.coordinator().equals(dead)) {
          return n.id() + " is in doubt about " + txn + ", whose coordinator " + p.coordinator() + " is up";
        }
        for (String peer : p.participants()) {
          if (peer.equals(dead) || peer.equals(n.id())) {
            continue;
          }
          Set<String> inDoubt = nodes.get(peer).core().undecidedProposals().stream()
              .map(Message.Propose::transactionId).collect(Collectors.toSet());
          if (!inDoubt.contains(txn)) {
            return n.id() + " is in doubt about " + txn + " (coordinator " + dead + " down), though " + peer
                + " knows its outcome or did not vote YES";
          }
        }
      }
    }
    return null;
  }
}
