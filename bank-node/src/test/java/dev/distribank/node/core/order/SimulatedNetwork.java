package dev.distribank.node.core.order;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The simulated network between banks: a bag of envelopes in flight. Any envelope may be delivered next, so messages
 * are delayed and reordered at will; one may be duplicated (a copy delivered, the original still in flight), as a peer
 * link that re-sends after a reconnect would; one may be lost. One bank at a time may be cut off: what it sends or
 * is sent is lost or waits until its links come back. For a self-test, the network can also black-hole every copy of
 * one COMMIT decision to one bank, re-sends included.
 */
final class SimulatedNetwork {
  private final List<Envelope> inFlight = new ArrayList<>();
  private long lost;
  private String cutOff;
  private boolean blackHoleOn;
  /** The one COMMIT decision, to one bank, that never arrives; null until chosen. */
  private Envelope blackHoled;
  /** COMMIT decisions that reached their bank: losing a later copy of one of them would change nothing. */
  private final Set<Envelope> commitsDelivered = new HashSet<>();

  void send(Collection<Envelope> envelopes) {
    inFlight.addAll(envelopes);
  }

  boolean isEmpty() {
    return inFlight.isEmpty();
  }

  int size() {
    return inFlight.size();
  }

  /** Removes and returns an envelope chosen by {@code random}: the next one to arrive. */
  Envelope takeAny(Random random) {
    int i = random.nextInt(inFlight.size());
    // Swap-remove: O(1), and the bag has no order to preserve.
    Envelope chosen = inFlight.get(i);
    Envelope last = inFlight.remove(inFlight.size() - 1);
    if (i < inFlight.size()) {
      inFlight.set(i, last);
    }
    return chosen;
  }

  /** Returns an envelope chosen by {@code random} to deliver as a duplicate, leaving it in flight. */
  Envelope copyAny(Random random) {
    return inFlight.get(random.nextInt(inFlight.size()));
  }

  /** Loses an envelope chosen by {@code random}; returns it, for the trace. */
  Envelope loseAny(Random random) {
    Envelope e = takeAny(random);
    lost++;
    return e;
  }

  /** A bank crashed: its streams broke, and about half of what was on them, either way, is lost. */
  void crashed(String bank, Random random) {
    int before = inFlight.size();
    inFlight.removeIf(e -> (e.from().equals(bank) || e.to().equals(bank)) && random.nextBoolean());
    lost += before - inFlight.size();
  }

  // ---- a bank cut off ----

  void cut(String bank) {
    cutOff = bank;
  }

  void heal() {
    cutOff = null;
  }

  /** The bank cut off from the others, or null. */
  String cutOff() {
    return cutOff;
  }

  /** The banks {@code bank} sees down: none, the cut-off bank, or (from the cut-off bank) all the others. */
  List<String> downFor(String bank, List<String> banks) {
    if (cutOff == null) {
      return List.of();
    }
    return bank.equals(cutOff) ? banks.stream().filter(id -> !id.equals(cutOff)).toList() : List.of(cutOff);
  }

  /** Whether {@code e} travels on a cut link. */
  boolean onCutLink(Envelope e) {
    return cutOff != null && (e.from().equals(cutOff) || e.to().equals(cutOff));
  }

  /** An envelope taken from a cut link: lost with the link, or back in flight to wait for it. */
  void stranded(Envelope e, boolean lostWithLink) {
    if (lostWithLink) {
      lost++;
    } else {
      inFlight.add(e);
    }
  }

  // ---- the black hole (a self-test of the checks) ----

  void blackHoleOneCommit() {
    blackHoleOn = true;
  }

  /**
   * Whether {@code e} falls into the black hole: the first COMMIT that has not reached its bank, its copies, and every
   * other participant's word of that COMMIT to that bank (cooperative termination would pass it on).
   */
  boolean swallows(Envelope e, boolean duplicate) {
    if (blackHoled != null && e.to().equals(blackHoled.to()) && e.message() instanceof Message.Known k
        && k.decision() != null && k.decision().commit()
        && k.transactionId().equals(blackHoled.message().transactionId())) {
      lost++;
      return true;
    }
    if (!blackHoleOn || !(e.message() instanceof Message.Decide d) || !d.commit()) {
      return false;
    }
    if (blackHoled == null && !duplicate && !commitsDelivered.contains(e)) {
      blackHoled = e;
    }
    if (e.equals(blackHoled)) {
      lost++;
      return true;
    }
    commitsDelivered.add(e);
    return false;
  }

  boolean blackHoled() {
    return blackHoled != null;
  }

  long lost() {
    return lost;
  }
}
