package dev.distribank.cli.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BucketsTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static Buckets of(double... boundAndCount) {
    TreeMap<Double, Double> cumulative = new TreeMap<>();
    for (int i = 0; i < boundAndCount.length; i += 2) {
      cumulative.put(boundAndCount[i], boundAndCount[i + 1]);
    }
    return new Buckets(cumulative);
  }

  @Test
  void quantile_linearWithinTheBucketTheRankFallsIn() {
    Buckets b = of(0.005, 90, 0.01, 99, 0.025, 100, INF, 100);
    assertEquals(0.01, b.quantile(0.99), 1e-12);
    assertEquals(0.0025, b.quantile(0.45), 1e-12); // within the first bucket, which starts at 0
    assertEquals(0.025, b.quantile(1.0), 1e-12);
  }

  @Test
  void quantile_inTheInfBucket_isTheHighestFiniteBound() {
    assertEquals(0.025, of(0.005, 1, 0.025, 2, INF, 100).quantile(0.99), 1e-12);
  }

  @Test
  void quantile_nothingObserved_isNaN() {
    assertTrue(Double.isNaN(Buckets.EMPTY.quantile(0.99)));
    assertTrue(Double.isNaN(of(0.005, 0, INF, 0).quantile(0.99)));
  }

  @Test
  void hostileCounts_areEvenedUpOrDropped() {
    // Falling cumulative counts, a negative, a NaN bound, an infinite count: read as a cumulative 10 within 5 ms.
    Buckets b = of(0.005, 10, 0.01, 3, 0.02, -1, Double.NaN, 5, 0.05, INF, INF, 10);
    assertEquals(10, b.count());
    assertEquals(0.00495, b.quantile(0.99), 1e-12);
  }

  @Test
  void plus_addsTheObservations_andFillsAMissingBoundFromBelow() {
    Buckets a = of(0.005, 90, 0.01, 99, INF, 100);
    Buckets b = of(0.005, 90, 0.025, 100, INF, 100);
    Buckets sum = a.plus(b);
    assertEquals(200, sum.count());
    // At 0.01, b is known to have at least its 90 at 0.005: 99 + 90 = 189 within 10 ms.
    assertEquals(0.01 + 0.015 * (198 - 189) / (199 - 189.0), sum.quantile(0.99), 1e-12);
  }
}
