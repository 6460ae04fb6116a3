package dev.glust.application.service;

import java.util.Map;
import java.util.Optional;
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

  static ExponentialBucketCounts of(
      int scale,
      long zeroCount,
      double zeroThreshold,
      int positiveOffset,
      long[] positiveCounts,
      int negativeOffset,
      long[] negativeCounts) {
    return new ExponentialBucketCounts(
        scale,
        zeroCount,
        zeroThreshold,
        indexed(positiveOffset, positiveCounts),
        indexed(negativeOffset, negativeCounts));
  }

  private static TreeMap<Integer, Long> indexed(int offset, long[] counts) {
    TreeMap<Integer, Long> out = new TreeMap<>();
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] != 0) {
        out.merge(offset + k, counts[k], Long::sum);
      }
    }
    return out;
  }

  private ExponentialBucketCounts atScale(int target) {
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
