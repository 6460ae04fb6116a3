package dev.glust.domain.metric;

import java.util.ArrayList;
import java.util.List;

/**
 * Histogram points added up, for instance those of one time bucket of a query: their total count,
 * their total sum and quantiles of their merged buckets. Points of layouts that cannot be merged
 * (explicit histograms with other bounds) are kept apart and their distributions summed. The
 * buckets are kept sparse, so points whose exponential buckets lie far apart stay small.
 */
public final class MergedHistograms {
  private long count;
  private double sum;

  /** Merged per layout: few layouts per metric, so this stays a handful of entries. */
  private final List<BucketCounts> byLayout = new ArrayList<>(1);

  public void add(Histogram histogram) {
    count += histogram.count();
    sum += histogram.sum().orElse(Double.NaN);
    BucketCounts more = BucketCounts.of(histogram);
    for (int i = 0; i < byLayout.size(); i++) {
      var merged = byLayout.get(i).plus(more);
      if (merged.isPresent()) {
        byLayout.set(i, merged.get());
        return;
      }
    }
    byLayout.add(more);
  }

  public long count() {
    return count;
  }

  /** NaN when a point added had no sum. */
  public double sum() {
    return sum;
  }

  /**
   * The value below which a share {@code q} (0 < q < 1) of the observations lies, estimated as
   * {@link QuantileEstimator} describes; NaN without observations in buckets.
   */
  public double quantile(double q) {
    QuantileEstimator estimator = new QuantileEstimator();
    byLayout.forEach(c -> c.addTo(estimator));
    return estimator.quantile(q);
  }
}
