package dev.glust.domain.metric;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoubleBinaryOperator;

/**
 * A histogram point of either OTLP layout, with the arithmetic of the data model: the sum of two
 * points and the increase between two cumulative points. Exponential histograms of different scales
 * meet at the coarser one, as OpenTelemetry downscales when it merges.
 */
public sealed interface Histogram permits HistogramValue, ExponentialHistogramValue {
  long count();

  OptionalDouble sum();

  OptionalDouble min();

  OptionalDouble max();

  /**
   * Both points' observations in one histogram, or empty when their layouts cannot be merged:
   * explicit histograms with other bounds, or an explicit with an exponential one. The result holds
   * its buckets densely (as OTLP does), so merging many points whose buckets lie far apart is
   * {@link MergedHistograms}' job.
   */
  default Optional<Histogram> plus(Histogram other) {
    long count;
    try {
      count = Math.addExact(count(), other.count());
    } catch (ArithmeticException e) {
      return Optional.empty(); // beyond the 2^63 - 1 a count can hold
    }
    return BucketCounts.of(this)
        .plus(BucketCounts.of(other))
        .map(
            buckets ->
                buckets.toHistogram(
                    count,
                    combined(sum(), other.sum(), 1),
                    extreme(min(), other.min(), Math::min),
                    extreme(max(), other.max(), Math::max)));
  }

  /**
   * What was counted between {@code earlier} and this point of the same cumulative series, or empty
   * when that cannot be told: the count or a bucket count went down (the series was reset) or the
   * layouts differ. The increase has no min or max: where they lie is not known.
   */
  default Optional<Histogram> increaseSince(Histogram earlier) {
    if (count() < earlier.count()) {
      return Optional.empty();
    }
    return BucketCounts.of(this)
        .minus(BucketCounts.of(earlier))
        .map(
            buckets ->
                buckets.toHistogram(
                    count() - earlier.count(),
                    combined(sum(), earlier.sum(), -1),
                    OptionalDouble.empty(),
                    OptionalDouble.empty()));
  }

  /** a + sign × b, unknown when either is. */
  private static OptionalDouble combined(OptionalDouble a, OptionalDouble b, int sign) {
    return a.isPresent() && b.isPresent()
        ? OptionalDouble.of(a.getAsDouble() + sign * b.getAsDouble())
        : OptionalDouble.empty();
  }

  private static OptionalDouble extreme(
      OptionalDouble a, OptionalDouble b, DoubleBinaryOperator pick) {
    return a.isPresent() && b.isPresent()
        ? OptionalDouble.of(pick.applyAsDouble(a.getAsDouble(), b.getAsDouble()))
        : OptionalDouble.empty();
  }
}
