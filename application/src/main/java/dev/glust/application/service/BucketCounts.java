package dev.glust.application.service;

import java.util.Optional;

/** Bucket counts of one histogram point (or of several, merged), in one of OTLP's layouts. */
interface BucketCounts {
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
}
