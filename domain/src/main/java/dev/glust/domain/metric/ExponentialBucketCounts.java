package dev.glust.domain.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Counts of an exponential histogram at one scale: positive bucket {@code index} covers
 * (base^index, base^(index+1)], negative bucket {@code index} the same interval mirrored, base =
 * 2^(2^-scale), and the zero bucket [-zeroThreshold, zeroThreshold] (the value 0 when the threshold
 * is 0). Counts at different scales are compared and merged at the coarser one, as OTel downscales:
 * index {@code i} at scale s lies in index {@code i >> (s - s')} at scale s'.
 */
final class ExponentialBucketCounts implements BucketCounts {
  private final int scale;
  private final long zeroCount;
  private final double zeroThreshold;
  private final TreeMap<Integer, Long> positive;
  private final TreeMap<Integer, Long> negative;

  private ExponentialBucketCounts(
      int scale,
      long zeroCount,
      double zeroThreshold,
      TreeMap<Integer, Long> positive,
      TreeMap<Integer, Long> negative) {
    this.scale = scale;
    this.zeroCount = zeroCount;
    this.zeroThreshold = zeroThreshold;
    this.positive = positive;
    this.negative = negative;
  }

  static ExponentialBucketCounts of(ExponentialHistogramValue histogram) {
    return new ExponentialBucketCounts(
        histogram.scale(),
        histogram.zeroCount(),
        histogram.zeroThreshold(),
        indexed(histogram.positive()),
        indexed(histogram.negative()));
  }

  private static TreeMap<Integer, Long> indexed(Buckets buckets) {
    TreeMap<Integer, Long> out = new TreeMap<>();
    List<Long> counts = buckets.counts();
    for (int k = 0; k < counts.size(); k++) {
      if (counts.get(k) != 0) {
        out.merge(buckets.offset() + k, counts.get(k), Long::sum);
      }
    }
    return out;
  }

  @Override
  public Histogram toHistogram(
      long count, OptionalDouble sum, OptionalDouble min, OptionalDouble max) {
    return new ExponentialHistogramValue(
        count, sum, min, max, scale, zeroCount, zeroThreshold, dense(positive), dense(negative));
  }

  /**
   * OTLP's form: counts from the lowest index with a count on, the gaps filled with zeros; one form
   * for the same counts, so equal histograms are equal values.
   */
  private static Buckets dense(TreeMap<Integer, Long> counts) {
    List<Long> out = new ArrayList<>();
    int offset = 0;
    for (Map.Entry<Integer, Long> e : counts.entrySet()) {
      if (e.getValue() == 0) {
        continue; // what a subtraction left empty
      }
      if (out.isEmpty()) {
        offset = e.getKey();
      }
      while (offset + out.size() < e.getKey()) {
        out.add(0L);
      }
      out.add(e.getValue());
    }
    return out.isEmpty() ? Buckets.EMPTY : new Buckets(offset, out);
  }

  ExponentialBucketCounts atScale(int target) {
    if (target >= scale) {
      return this;
    }
    int shift = scale - target;
    return new ExponentialBucketCounts(
        target, zeroCount, zeroThreshold, shifted(positive, shift), shifted(negative, shift));
  }

  private static TreeMap<Integer, Long> shifted(Map<Integer, Long> counts, int shift) {
    TreeMap<Integer, Long> out = new TreeMap<>();
    counts.forEach((index, count) -> out.merge(index >> shift, count, Long::sum));
    return out;
  }

  /** this + sign × other at the coarser scale; empty when a count would fall below zero. */
  @Override
  public Optional<BucketCounts> combined(BucketCounts other, int sign) {
    if (!(other instanceof ExponentialBucketCounts o)) {
      return Optional.empty();
    }
    int common = Math.min(scale, o.scale);
    ExponentialBucketCounts a = atScale(common);
    ExponentialBucketCounts b = o.atScale(common);
    long zero = a.zeroCount + sign * b.zeroCount;
    Optional<TreeMap<Integer, Long>> pos = combined(a.positive, b.positive, sign);
    Optional<TreeMap<Integer, Long>> neg = combined(a.negative, b.negative, sign);
    if (zero < 0 || pos.isEmpty() || neg.isEmpty()) {
      return Optional.empty();
    }
    // merged observations may lie anywhere in either zero bucket
    double threshold = sign > 0 ? Math.max(zeroThreshold, o.zeroThreshold) : zeroThreshold;
    return Optional.of(new ExponentialBucketCounts(common, zero, threshold, pos.get(), neg.get()));
  }

  private static Optional<TreeMap<Integer, Long>> combined(
      Map<Integer, Long> a, Map<Integer, Long> b, int sign) {
    TreeMap<Integer, Long> out = new TreeMap<>(a);
    for (Map.Entry<Integer, Long> e : b.entrySet()) {
      long count = out.getOrDefault(e.getKey(), 0L) + sign * e.getValue();
      if (count < 0) {
        return Optional.empty();
      }
      out.put(e.getKey(), count);
    }
    return Optional.of(out);
  }

  @Override
  public void addTo(QuantileEstimator estimator) {
    estimator.add(-zeroThreshold, zeroThreshold, zeroCount);
    positive.forEach((i, c) -> estimator.add(boundary(i), boundary(i + 1), c));
    negative.forEach((i, c) -> estimator.add(-boundary(i + 1), -boundary(i), c));
  }

  /** base^index = 2^(index · 2^-scale), exact in the exponent. */
  private double boundary(int index) {
    return Math.pow(2, Math.scalb((double) index, -scale));
  }
}
