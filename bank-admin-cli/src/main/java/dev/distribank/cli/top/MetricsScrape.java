package dev.distribank.cli.top;

import dev.distribank.cli.top.PrometheusText.Sample;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One bank's metrics as one scrape found them, and what changed since an earlier scrape: counter increases and
 * histogram bucket increases, series by series, so that a node's restart (its counters back at zero) reads as what
 * it counted since, never as a negative rate.
 */
final class MetricsScrape {
  /**
   * The metric families top reads: the bank's own (distribank_*) and gRPC's server call durations (gRFC A66); every
   * other sample is dropped while parsing.
   */
  static final Predicate<String> READ = name -> name.startsWith("distribank_")
      || name.startsWith("grpc_server_call_duration_seconds");

  private final List<Sample> samples;
  private final int unreadableLines;

  private MetricsScrape(List<Sample> samples, int unreadableLines) {
    this.samples = samples;
    this.unreadableLines = unreadableLines;
  }

  /** The samples top reads from a /metrics answer; never throws, whatever the text. */
  static MetricsScrape parse(String text) {
    PrometheusText.Parsed parsed = PrometheusText.parse(text, READ);
    return new MetricsScrape(parsed.samples(), parsed.unreadableLines());
  }

  /** Whether the answer holds any of the bank's own series: the sign that a DistriBank node answered. */
  boolean hasBankMetrics() {
    return samples.stream().anyMatch(s -> s.name().startsWith("distribank_"));
  }

  int unreadableLines() {
    return unreadableLines;
  }

  /** The sum of a gauge's series with finite values; NaN when it has none. */
  double sum(String name) {
    double sum = Double.NaN;
    for (Sample s : samples) {
      if (s.name().equals(name) && Double.isFinite(s.value())) {
        sum = Double.isNaN(sum) ? s.value() : sum + s.value();
      }
    }
    return sum;
  }

  /** The largest finite value among a gauge's series; NaN when it has none. */
  double max(String name) {
    double max = Double.NaN;
    for (Sample s : samples) {
      if (s.name().equals(name) && Double.isFinite(s.value())) {
        max = Double.isNaN(max) ? s.value() : Math.max(max, s.value());
      }
    }
    return max;
  }

  /** {up, known}: how many distinct {@code peer}s the link gauge reports, and how many of them at 1. */
  int[] links() {
    Map<String, Boolean> up = new HashMap<>();
    for (Sample s : samples) {
      if (s.name().equals("distribank_peer_link_up")) {
        up.merge(s.label("peer"), s.value() == 1, Boolean::logicalOr);
      }
    }
    return new int[] {(int) up.values().stream().filter(b -> b).count(), up.size()};
  }

  /**
   * How much the counter's series that {@code which} picks grew since {@code earlier}, summed. A series that shrank
   * (its node restarted) counts from zero; one new since then counts whole. NaN when the counter has no series now.
   */
  double increase(MetricsScrape earlier, String name, Predicate<Sample> which) {
    Map<String, Double> before = values(earlier.samples, name, which);
    Map<String, Double> now = values(samples, name, which);
    if (now.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (Map.Entry<String, Double> e : now.entrySet()) {
      sum += grown(before.get(e.getKey()), e.getValue());
    }
    return sum;
  }

  /**
   * The observations the histogram's series that {@code which} picks made since {@code earlier}, as buckets summed
   * over those series; {@link Buckets#EMPTY} when there were none.
   */
  Buckets bucketIncrease(MetricsScrape earlier, String histogram, Predicate<Sample> which) {
    String name = histogram + "_bucket";
    Predicate<Sample> bounded = which.and(s -> !Double.isNaN(PrometheusText.number(s.label("le"))));
    Map<String, Double> before = values(earlier.samples, name, bounded);
    Map<String, Double> now = values(samples, name, bounded);
    Map<String, Sample> byKey = new HashMap<>();
    // A series restarted when any of its buckets shrank; then all of its buckets count from zero.
    Set<String> restarted = new HashSet<>();
    for (Sample s : samples) {
      String key = key(s);
      if (s.name().equals(name) && bounded.test(s) && now.containsKey(key) && byKey.putIfAbsent(key, s) == null) {
        Double was = before.get(key);
        if (was != null && now.get(key) < was) {
          restarted.add(seriesWithoutBound(s));
        }
      }
    }
    TreeMap<Double, Double> increase = new TreeMap<>();
    for (Map.Entry<String, Sample> e : byKey.entrySet()) {
      Sample s = e.getValue();
      Double was = restarted.contains(seriesWithoutBound(s)) ? null : before.get(e.getKey());
      increase.merge(PrometheusText.number(s.label("le")), grown(was, now.get(e.getKey())), Double::sum);
    }
    return new Buckets(increase);
  }

  private static double grown(Double before, double now) {
    return before == null || now < before ? now : now - before;
  }

  /**
   * The counter's (or buckets') series by identity. Counts are never negative nor infinite, so such a sample is not
   * one; a series written twice keeps its first value (Prometheus would refuse the whole answer).
   */
  private static Map<String, Double> values(List<Sample> samples, String name, Predicate<Sample> which) {
    Map<String, Double> values = new HashMap<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && Double.isFinite(s.value()) && s.value() >= 0 && which.test(s)) {
        values.putIfAbsent(key(s), s.value());
      }
    }
    return values;
  }

  /** The series' identity: its labels, sorted (the name is the same for every sample compared). */
  private static String key(Sample s) {
    return new TreeMap<>(s.labels()).toString();
  }

  private static String seriesWithoutBound(Sample s) {
    TreeMap<String, String> labels = new TreeMap<>(s.labels());
    labels.remove("le");
    return labels.toString();
  }
}
