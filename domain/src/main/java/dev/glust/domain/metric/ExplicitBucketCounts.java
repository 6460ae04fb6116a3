package dev.glust.domain.metric;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Counts of an explicit-bucket histogram: bucket i covers (bounds[i-1], bounds[i]], the first one
 * from -∞, the last one to +∞. As Prometheus' {@code histogram_quantile} does, the first bucket is
 * taken to start at 0 when its upper bound is positive (a point at its bound otherwise), and the
 * last, unbounded one is a point at the highest bound.
 */
final class ExplicitBucketCounts implements BucketCounts {
  private final double[] bounds;
  private final long[] counts;

  private ExplicitBucketCounts(double[] bounds, long[] counts) {
    this.bounds = bounds;
    this.counts = counts;
  }

  static ExplicitBucketCounts of(HistogramValue histogram) {
    return new ExplicitBucketCounts(
        histogram.explicitBounds().stream().mapToDouble(Double::doubleValue).toArray(),
        histogram.bucketCounts().stream().mapToLong(Long::longValue).toArray());
  }

  @Override
  public Histogram toHistogram(
      long count, OptionalDouble sum, OptionalDouble min, OptionalDouble max) {
    return new HistogramValue(
        count,
        sum,
        min,
        max,
        Arrays.stream(counts).boxed().toList(),
        Arrays.stream(bounds).boxed().toList());
  }

  private boolean sameLayout(BucketCounts other) {
    return other instanceof ExplicitBucketCounts o
        && Arrays.equals(bounds, o.bounds)
        && counts.length == o.counts.length;
  }

  /** this + sign × other, bucket by bucket; empty for another layout or a count below zero. */
  @Override
  public Optional<BucketCounts> combined(BucketCounts other, int sign) {
    if (!sameLayout(other)) {
      return Optional.empty();
    }
    long[] those = ((ExplicitBucketCounts) other).counts;
    long[] out = new long[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i] + sign * those[i];
      if (out[i] < 0) {
        return Optional.empty();
      }
    }
    return Optional.of(new ExplicitBucketCounts(bounds, out));
  }

  @Override
  public void addTo(QuantileEstimator estimator) {
    if (bounds.length == 0) {
      return; // one bucket from -∞ to +∞ says nothing about where values lie
    }
    for (int i = 0; i < counts.length; i++) {
      if (i == 0) {
        double upper = bounds[0];
        estimator.add(upper > 0 ? 0 : upper, upper, counts[0]);
      } else if (i == bounds.length) {
        estimator.add(bounds[i - 1], bounds[i - 1], counts[i]);
      } else {
        estimator.add(bounds[i - 1], bounds[i], counts[i]);
      }
    }
  }
}
