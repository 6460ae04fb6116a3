package dev.glust.domain.metric;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The bucket counts of a {@link Histogram} in a form built for arithmetic: the histogram values
 * hold their counts as OTLP sends them (dense lists), which is compact for one point but not for
 * the merge of points far apart on an exponential scale, so merges and subtractions run here.
 */
interface BucketCounts {
  static BucketCounts of(Histogram histogram) {
    // Histogram is sealed: a histogram is one of these two
    return histogram instanceof HistogramValue h
        ? ExplicitBucketCounts.of(h)
        : ExponentialBucketCounts.of((ExponentialHistogramValue) histogram);
  }

  /**
   * What was counted since {@code earlier}, or empty when that cannot be told: a count went down
   * (the histogram was reset) or the layouts differ.
   */
  default Optional<BucketCounts> minus(BucketCounts earlier) {
    return combined(earlier, -1);
  }

  /** The sum of both, or empty when their layouts cannot be merged. */
  default Optional<BucketCounts> plus(BucketCounts other) {
    return combined(other, 1);
  }

  /** this + sign × other ({@code sign} ±1); empty for another layout or a count below zero. */
  Optional<BucketCounts> combined(BucketCounts other, int sign);

  /** Hands every bucket's count to the estimator as an interval. */
  void addTo(QuantileEstimator estimator);

  /** A histogram value with these buckets and the given totals (checked by its constructor). */
  Histogram toHistogram(long count, OptionalDouble sum, OptionalDouble min, OptionalDouble max);
}
