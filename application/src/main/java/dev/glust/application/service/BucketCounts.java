package dev.glust.application.service;

import java.util.Optional;

/** Bucket counts of one histogram point (or of several, merged), in one of OTLP's layouts. */
interface BucketCounts {
  /**
   * What was counted since {@code earlier}, or empty when that cannot be told: a count went down
   * (the histogram was reset) or the layouts differ.
   */
  Optional<BucketCounts> minus(BucketCounts earlier);

  /** The sum of both, or empty when their layouts cannot be merged. */
  Optional<BucketCounts> plus(BucketCounts other);

  /** Hands every bucket's count to the estimator as an interval. */
  void addTo(QuantileEstimator estimator);
}
