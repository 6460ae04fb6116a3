package dev.glust.adapter.query.prometheus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prometheus' {@code histogram_quantile} over classic buckets: sort by upper bound, add up buckets
 * of one bound, force the cumulative counts to be monotonic, find the bucket where the rank {@code
 * q × count} falls and interpolate linearly inside it. The first bucket starts at 0 when its bound
 * is positive; a rank in the {@code +Inf} bucket answers the highest finite bound. The native
 * metrics API's {@code pNN} follows the same rules (docs/metrics.md, "Quantiles").
 */
final class BucketQuantile {
  record Bucket(double upperBound, double count) {}

  private BucketQuantile() {}

  static double quantile(double q, List<Bucket> input) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    List<Bucket> buckets = new ArrayList<>(input);
    buckets.sort(Comparator.comparingDouble(Bucket::upperBound));
    if (buckets.isEmpty()
        || buckets.get(buckets.size() - 1).upperBound() != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    List<Bucket> merged = new ArrayList<>();
    for (Bucket b : buckets) {
      int last = merged.size() - 1;
      if (last >= 0 && merged.get(last).upperBound() == b.upperBound()) {
        merged.set(last, new Bucket(b.upperBound(), merged.get(last).count() + b.count()));
      } else {
        merged.add(b);
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < merged.size(); i++) {
      max = Math.max(max, merged.get(i).count());
      merged.set(i, new Bucket(merged.get(i).upperBound(), max));
    }
    if (merged.size() < 2) {
      return Double.NaN;
    }
    double observations = merged.get(merged.size() - 1).count();
    if (!(observations > 0)) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < merged.size() - 1 && merged.get(b).count() < rank) {
      b++;
    }
    if (b == merged.size() - 1) {
      return merged.get(merged.size() - 2).upperBound();
    }
    if (b == 0 && merged.get(0).upperBound() <= 0) {
      return merged.get(0).upperBound();
    }
    double bucketStart = 0;
    double bucketEnd = merged.get(b).upperBound();
    double count = merged.get(b).count();
    if (b > 0) {
      bucketStart = merged.get(b - 1).upperBound();
      count -= merged.get(b - 1).count();
      rank -= merged.get(b - 1).count();
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }
}
