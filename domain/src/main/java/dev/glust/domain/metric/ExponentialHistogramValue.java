package dev.glust.domain.metric;

import dev.glust.domain.common.InvalidTelemetryException;
import java.util.OptionalDouble;

/**
 * An exponential histogram point: bucket {@code i} of a side covers {@code (base^i, base^(i+1)]}
 * (mirrored for negative values) with {@code base = 2^(2^-scale)}; values within {@code
 * zeroThreshold} of zero are counted in {@code zeroCount}.
 */
public record ExponentialHistogramValue(
    long count,
    OptionalDouble sum,
    OptionalDouble min,
    OptionalDouble max,
    int scale,
    long zeroCount,
    double zeroThreshold,
    Buckets positive,
    Buckets negative)
    implements PointValue, Histogram {

  /** The scales the OTLP data model allows. */
  public static final int MIN_SCALE = -10;

  public static final int MAX_SCALE = 20;

  public ExponentialHistogramValue {
    Counts.requireNotNegative(count, "count");
    Counts.requireNotNegative(zeroCount, "zero count");
    if (scale < MIN_SCALE || scale > MAX_SCALE) {
      throw new InvalidTelemetryException(
          "exponential histogram scale must be between "
              + MIN_SCALE
              + " and "
              + MAX_SCALE
              + ": "
              + scale);
    }
    if (!(zeroThreshold >= 0) || Double.isInfinite(zeroThreshold)) {
      throw new InvalidTelemetryException(
          "zero threshold must be finite and not negative: " + zeroThreshold);
    }
    if (positive == null) {
      positive = Buckets.EMPTY;
    }
    if (negative == null) {
      negative = Buckets.EMPTY;
    }
    long total;
    try {
      total = Math.addExact(zeroCount, Math.addExact(positive.total(), negative.total()));
    } catch (ArithmeticException e) {
      throw new InvalidTelemetryException("bucket counts add up beyond 2^63 - 1");
    }
    Counts.requireTotal(count, total);
  }

  /**
   * The same observations at a coarser scale (bucket i at scale s lies in bucket i >> (s -
   * coarser)); this histogram when {@code coarser} is not below its scale.
   */
  ExponentialHistogramValue atScale(int coarser) {
    if (coarser >= scale) {
      return this;
    }
    return (ExponentialHistogramValue)
        ExponentialBucketCounts.of(this).atScale(coarser).toHistogram(count, sum, min, max);
  }

  @Override
  public boolean fits(MetricKind kind) {
    return kind == MetricKind.EXPONENTIAL_HISTOGRAM;
  }

  @Override
  public String describe() {
    return "exponential histogram value";
  }
}
