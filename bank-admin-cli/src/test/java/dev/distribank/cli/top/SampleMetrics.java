package dev.distribank.cli.top;

import java.util.Locale;

/**
 * A node's /metrics under the names the node exports (distribank_*, gRPC's grpc_server_call_duration_seconds), with
 * the figures a test chooses; the HELP/TYPE lines and the extra labels a real exporter adds are there too.
 */
final class SampleMetrics {
  private long committed;
  private long aborted;
  /** Cumulative counts of the Transfer calls at le = 0.005, 0.01, 0.025, +Inf. */
  private long[] transfers = {0, 0, 0, 0};
  /** Cumulative counts of the synced writes at le = 0.001, 0.002, 0.005, +Inf. */
  private long[] fsyncs = {0, 0, 0, 0};
  private long slowLogins;
  private double inDoubt;
  private double oldestSeconds;
  private double queueDepth;
  private double headWaitSeconds;
  private int linksDown;

  SampleMetrics transactions(long committed, long aborted) {
    this.committed = committed;
    this.aborted = aborted;
    return this;
  }

  SampleMetrics transfers(long... cumulative) {
    this.transfers = cumulative;
    return this;
  }

  SampleMetrics fsyncs(long... cumulative) {
    this.fsyncs = cumulative;
    return this;
  }

  /** Logins that each took over a second: never part of the p99, which is of the calls that move money. */
  SampleMetrics slowLogins(long count) {
    this.slowLogins = count;
    return this;
  }

  SampleMetrics inDoubt(double votes, double oldestSeconds) {
    this.inDoubt = votes;
    this.oldestSeconds = oldestSeconds;
    return this;
  }

  SampleMetrics queue(double depth, double headWaitSeconds) {
    this.queueDepth = depth;
    this.headWaitSeconds = headWaitSeconds;
    return this;
  }

  SampleMetrics linksDown(int down) {
    this.linksDown = down;
    return this;
  }

  String text() {
    StringBuilder t = new StringBuilder();
    t.append("# HELP target_info Target metadata\n# TYPE target_info gauge\n")
        .append("target_info{bank=\"alpha\",service_name=\"bank-node\"} 1\n")
        .append("# HELP distribank_transactions_total Finished transactions.\n")
        .append("# TYPE distribank_transactions_total counter\n")
        .append("distribank_transactions_total{bank=\"alpha\",otel_scope_name=\"distribank\",outcome=\"committed\","
            + "reason=\"\"} ").append(committed).append('\n')
        .append("distribank_transactions_total{bank=\"alpha\",otel_scope_name=\"distribank\",outcome=\"aborted\","
            + "reason=\"insufficient_funds\"} ").append(aborted).append('\n')
        .append("# TYPE distribank_in_doubt_votes gauge\n")
        .append("distribank_in_doubt_votes{bank=\"alpha\"} ").append(num(inDoubt)).append('\n')
        .append("distribank_in_doubt_oldest_age_seconds{bank=\"alpha\"} ").append(num(oldestSeconds)).append('\n')
        .append("distribank_delivery_queue_depth{bank=\"alpha\"} ").append(num(queueDepth)).append('\n')
        .append("distribank_delivery_head_wait_seconds{bank=\"alpha\"} ").append(num(headWaitSeconds)).append('\n');
    String[] peers = {"beta", "gamma", "delta"};
    for (int i = 0; i < peers.length; i++) {
      t.append("distribank_peer_link_up{bank=\"alpha\",peer=\"").append(peers[i]).append("\"} ")
          .append(i < peers.length - linksDown ? 1 : 0).append('\n');
    }
    t.append("# TYPE grpc_server_call_duration_seconds histogram\n");
    histogram(t, "grpc_server_call_duration_seconds",
        "grpc_method=\"bank.v1.BankService/Transfer\",grpc_status=\"OK\",", new String[] {"0.005", "0.01", "0.025"},
        transfers);
    histogram(t, "grpc_server_call_duration_seconds", "grpc_method=\"bank.v1.BankService/Login\",grpc_status=\"OK\",",
        new String[] {"0.005", "0.01", "0.025"}, new long[] {0, 0, 0, slowLogins});
    t.append("# TYPE distribank_fsync_duration_seconds histogram\n");
    histogram(t, "distribank_fsync_duration_seconds", "", new String[] {"0.001", "0.002", "0.005"}, fsyncs);
    t.append("distribank_lamport_clock{bank=\"alpha\"} 123456\n");
    return t.toString();
  }

  private static void histogram(StringBuilder t, String name, String labels, String[] bounds, long[] cumulative) {
    for (int i = 0; i < bounds.length; i++) {
      t.append(name).append("_bucket{").append(labels).append("le=\"").append(bounds[i]).append("\"} ")
          .append(cumulative[i]).append('\n');
    }
    t.append(name).append("_bucket{").append(labels).append("le=\"+Inf\"} ").append(cumulative[bounds.length])
        .append('\n');
    t.append(name).append("_count{").append(labels.isEmpty() ? "" : labels.substring(0, labels.length() - 1))
        .append("} ").append(cumulative[bounds.length]).append('\n');
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%s", value);
  }
}
