package dev.distribank.node.core.order;

import static dev.distribank.node.core.order.ClusterHistory.check;

import dev.distribank.node.core.ledger.Reason;
import dev.distribank.node.core.order.ClusterSimulation.Node;
import dev.distribank.node.core.order.SimulatedWorkload.Submission;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * What one simulated step produced, taken into the run's history, network and auditor: its messages put on the
 * network, its answers, and, once its write is done, its decisions, applications and audit snapshots. Each is checked
 * as it is taken (a misaddressed message, a refusal for a bank not seen down, an overdraft).
 */
final class StepRecorder {
  private final ClusterHistory history;
  private final SimulatedNetwork network;
  private final SimulatedAuditor auditor;
  private final Map<String, Node> nodes;
  private final List<String> ids;
  private final LongSupplier step;
  private final BiConsumer<String, Object[]> remember;

  StepRecorder(ClusterHistory history, SimulatedNetwork network, SimulatedAuditor auditor, Map<String, Node> nodes,
      List<String> ids, LongSupplier step, BiConsumer<String, Object[]> remember) {
    this.history = history;
    this.network = network;
    this.auditor = auditor;
    this.nodes = nodes;
    this.ids = ids;
    this.step = step;
    this.remember = remember;
  }

  void send(Node n, List<Envelope> messages) {
    for (Envelope out : messages) {
      check(out.from().equals(n.id()) && !out.to().equals(n.id()) && nodes.containsKey(out.to()),
          "%s sent a misaddressed message %s", n.id(), out);
      if (out.message() instanceof Message.Propose p) {
        history.proposed(p);
      }
    }
    network.send(messages);
  }

  /** {@code ticked}: time passed in this step, so a client may be answered COMMITTED on a time-out. */
  void answer(Node n, List<Ready.Reply> replies, boolean ticked) {
    for (Ready.Reply r : replies) {
      remember("answer #%s: %s", r.tag(), r.outcome());
      if (r.outcome() instanceof Outcome.Aborted a && a.refusal().reason() == Reason.BANK_UNAVAILABLE
          && a.transactionId() == null) {
        Submission s = history.submissions.get(r.tag());
        check(s.legs().stream().anyMatch(l -> SimulatedWorkload.touches(l, network.downFor(n.id(), ids))),
            "%s refused request #%s as %s, but it sees %s down", n.id(), r.tag(), a, network.downFor(n.id(), ids));
      }
      history.replied(r.tag(), r.outcome(), ticked);
    }
  }

  /** The step's write is done: record what it decided and applied, then send and answer what waited for it. */
  void written(Node n, Ready effects, boolean ticked) {
    effects.protocol().coordinations().values().forEach(c -> c.filter(x -> x.decision() != null)
        .ifPresent(x -> history.decided(x.proposal(), x.decision())));
    send(n, effects.outbound());
    for (Operation op : effects.protocol().operations()) {
      String txn = op.transactionId();
      if (txn.startsWith(n.id() + "-") && !history.decisions.containsKey(txn) && !history.proposals.containsKey(txn)) {
        history.decidedLocally(n.id(), op, effects.answers());
      }
    }
    history.entries(n.id(), effects.ledger().entries(), step.getAsLong());
    answer(n, effects.replies(), ticked);
    for (Ready.SnapshotReply r : effects.snapshots()) {
      var request = auditor.answered(n.id(), r.tag());
      if (r.snapshot() == null) {
        // A bank that restarted after the cut refuses to answer for it (the real auditor audits again).
        remember("audit refusal from %s: %s", n.id(), r.refusal());
        continue;
      }
      remember("audit answer from %s: %s", n.id(), r.snapshot());
      history.audited(request.audit(), n.id(), r.snapshot());
    }
    ClusterChecks.checkNoOverdraft(n.bank());
  }

  private void remember(String format, Object... args) {
    remember.accept(format, args);
  }
}
