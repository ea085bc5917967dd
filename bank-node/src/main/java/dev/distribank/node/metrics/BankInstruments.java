package dev.distribank.node.metrics;

import dev.distribank.node.core.order.Operation;
import dev.distribank.node.core.order.ProtocolChanges;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The bank's own counters and histograms, each registered once per node: finished transactions by outcome and
 * reason, the tasks each durable write carried and how long its fsync took, peer messages, failed sign-ins and calls
 * refused for load. The gauges are {@link BankGauges}.
 */
final class BankInstruments implements LoopEvents {
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  static final AttributeKey<String> ERROR_REASON = AttributeKey.stringKey("error_reason");
  static final AttributeKey<String> PEER = AttributeKey.stringKey("peer");
  static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("direction");
  private static final Attributes COMMITTED = Attributes.of(OUTCOME, "committed", REASON, "");
  private static final Attributes SETTLED_COMMITTED = Attributes.of(OUTCOME, "committed");
  private static final Attributes SETTLED_ABORTED = Attributes.of(OUTCOME, "aborted");
  /** fsync latencies: from a fast NVMe write (0.1 ms) to a stalled disk (2.5 s). */
  private static final List<Double> FSYNC_SECONDS = List.of(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5);
  /** Tasks per durable write: 1 when idle; a loop batch holds up to 4096, and the writer groups up to 64 of them. */
  private static final List<Long> GROUP_TASKS = List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 1024L,
      2048L, 4096L, 16384L, 65536L);

  private final LongCounter transactions;
  private final LongHistogram groupCommit;
  private final DoubleHistogram fsync;
  private final LongCounter peerMessages;
  private final LongCounter loginFailures;
  private final LongCounter refused;
  private final LongCounter settledByPeers;
  private final Map<String, Attributes> aborted = new ConcurrentHashMap<>();
  private final Map<String, Attributes> refusals = new ConcurrentHashMap<>();
  private final Map<String, Attributes[]> links = new ConcurrentHashMap<>();
  /** The task count of each batch run and not yet written, in order: the writer takes them as it writes them. */
  private final Queue<Integer> unwritten = new ConcurrentLinkedQueue<>();

  BankInstruments(Meter meter) {
    transactions = meter.counterBuilder("distribank.transactions").setUnit("{transaction}")
        .setDescription("Transactions finished at this bank (a leg here), by outcome and abort reason").build();
    groupCommit = meter.histogramBuilder("distribank.group_commit.size").ofLongs().setUnit("{task}")
        .setDescription("Event-loop tasks (calls, peer messages, ticks) made durable by one synced write")
        .setExplicitBucketBoundariesAdvice(GROUP_TASKS).build();
    fsync = meter.histogramBuilder("distribank.fsync.duration").setUnit("s")
        .setDescription("How long one synced RocksDB write (a group commit) took")
        .setExplicitBucketBoundariesAdvice(FSYNC_SECONDS).build();
    peerMessages = meter.counterBuilder("distribank.peer.messages").setUnit("{message}")
        .setDescription("Protocol messages on the peer links, by peer bank and direction").build();
    loginFailures = meter.counterBuilder("distribank.login.failures").setUnit("{failure}")
        .setDescription("Sign-ins refused for a wrong login or password").build();
    settledByPeers = meter.counterBuilder("distribank.in_doubt.settled_by_peer").setUnit("{vote}")
        .setDescription("In-doubt YES votes settled with another participant's word while their coordinator was away"
            + " (cooperative termination), by outcome").build();
    refused = meter.counterBuilder("distribank.requests.refused").setUnit("{request}")
        .setDescription("Calls and batched transactions refused for load (RESOURCE_EXHAUSTED), by ErrorInfo reason")
        .build();
  }

  /**
   * Writes the counters' series at 0 before anything happened, so a dashboard's rate() reads 0 rather than no data:
   * commits, failed sign-ins, both refusal reasons, and each peer's messages both ways.
   */
  void startAtZero(Iterable<String> otherBanks) {
    transactions.add(0, COMMITTED);
    loginFailures.add(0);
    settledByPeers.add(0, SETTLED_COMMITTED);
    settledByPeers.add(0, SETTLED_ABORTED);
    refused.add(0, refusal("OVERLOADED"));
    refused.add(0, refusal("LOGIN_THROTTLED"));
    for (String peer : otherBanks) {
      for (Attributes a : linkAttributes(peer)) {
        peerMessages.add(0, a);
      }
    }
  }

  @Override
  public void batchRun(int tasks) {
    unwritten.add(tasks);
  }

  @Override
  public void written(int batches, boolean synced, long nanos) {
    long tasks = 0;
    for (int i = 0; i < batches; i++) {
      Integer n = unwritten.poll();
      tasks += n == null ? 0 : n;
    }
    if (synced) {
      groupCommit.record(tasks);
      fsync.record(nanos / 1e9);
    }
  }

  @Override
  public void finished(List<Operation> operations) {
    for (Operation op : operations) {
      if (op.committed()) {
        transactions.add(1, COMMITTED);
      } else {
        String reason = op.refusal() == null ? "unspecified" : op.refusal().reason().name();
        transactions.add(1, aborted.computeIfAbsent(reason,
            r -> Attributes.of(OUTCOME, "aborted", REASON, r.toLowerCase(Locale.ROOT))));
      }
    }
  }

  @Override
  public void settledByPeers(List<ProtocolChanges.SettledByPeer> settled) {
    for (var s : settled) {
      settledByPeers.add(1, s.committed() ? SETTLED_COMMITTED : SETTLED_ABORTED);
    }
  }

  /** {@code count} protocol messages sent to ({@code sent}) or received from bank {@code peer}. */
  void peerMessages(String peer, boolean sent, int count) {
    if (count > 0) {
      peerMessages.add(count, linkAttributes(peer)[sent ? 0 : 1]);
    }
  }

  private Attributes[] linkAttributes(String peer) {
    return links.computeIfAbsent(peer, p -> new Attributes[] {
        Attributes.of(PEER, p, DIRECTION, "sent"), Attributes.of(PEER, p, DIRECTION, "received")});
  }

  void loginFailed() {
    loginFailures.add(1);
  }

  /**
   * A call or batched transaction refused RESOURCE_EXHAUSTED; {@code errorReason} is its ErrorInfo reason
   * (OVERLOADED, LOGIN_THROTTLED; "" without one). The reasons come from this node's code, so they are few.
   */
  void refused(String errorReason) {
    refused.add(1, refusal(errorReason));
  }

  private Attributes refusal(String errorReason) {
    return refusals.computeIfAbsent(errorReason, r -> Attributes.of(REASON, "resource_exhausted",
        ERROR_REASON, r.toLowerCase(Locale.ROOT)));
  }
}
