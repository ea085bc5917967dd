package dev.distribank.cli.top;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A Prometheus histogram's cumulative bucket counts (observations at most each upper bound {@code le}), usually the
 * increase over one refresh interval, and the quantile they imply.
 */
final class Buckets {
  static final Buckets EMPTY = new Buckets(new TreeMap<>());

  private final NavigableMap<Double, Double> cumulative;

  /** Takes cumulative counts by upper bound; a hostile answer's counts that fall with a rising bound are evened up. */
  Buckets(NavigableMap<Double, Double> cumulative) {
    TreeMap<Double, Double> monotone = new TreeMap<>();
    double running = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      double count = e.getValue();
      if (Double.isNaN(e.getKey()) || !Double.isFinite(count) || count < 0) {
        continue;
      }
      running = Math.max(running, count);
      monotone.put(e.getKey(), running);
    }
    this.cumulative = monotone;
  }

  /** The number of observations counted. */
  double count() {
    return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
  }

  /**
   * Both histograms' observations together (a consortium's calls from every bank's). Where one lacks a bound the
   * other has, its count at the nearest lower bound stands in: a lower bound on the truth, and still cumulative.
   */
  Buckets plus(Buckets other) {
    TreeMap<Double, Double> sum = new TreeMap<>();
    for (Double le : cumulative.keySet()) {
      sum.put(le, 0.0);
    }
    for (Double le : other.cumulative.keySet()) {
      sum.put(le, 0.0);
    }
    sum.replaceAll((le, zero) -> at(cumulative, le) + at(other.cumulative, le));
    return new Buckets(sum);
  }

  private static double at(NavigableMap<Double, Double> cumulative, double le) {
    Map.Entry<Double, Double> floor = cumulative.floorEntry(le);
    return floor == null ? 0 : floor.getValue();
  }

  /**
   * The {@code q}-quantile (0 < q ≤ 1) as Prometheus's {@code histogram_quantile} estimates it: linear within the
   * bucket the rank falls in, the lowest bucket starting at 0, and the highest finite bound when the rank falls in the
   * {@code +Inf} bucket. NaN when nothing was observed.
   */
  double quantile(double q) {
    double total = count();
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      double upperBound = e.getKey();
      double upperCount = e.getValue();
      if (upperCount >= rank) {
        if (upperBound == Double.POSITIVE_INFINITY) {
          return lowerBound;
        }
        if (upperBound <= 0 || upperCount == lowerCount) {
          return upperBound;
        }
        double start = Math.min(lowerBound, upperBound);
        return start + (upperBound - start) * (rank - lowerCount) / (upperCount - lowerCount);
      }
      lowerBound = upperBound;
      lowerCount = upperCount;
    }
    return lowerBound;
  }
}
