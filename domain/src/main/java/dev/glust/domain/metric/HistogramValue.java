package dev.glust.domain.metric;

import dev.glust.domain.common.InvalidTelemetryException;
import java.util.List;
import java.util.OptionalDouble;

/**
 * An explicit-bucket histogram point: {@code bucketCounts[i]} counts the values in {@code
 * (explicitBounds[i-1], explicitBounds[i]]}, the first bucket from -∞ and the last to +∞. So there
 * is one more count than bounds, or neither (a histogram with only count and sum). Sum, min and max
 * are optional in OTLP.
 */
public record HistogramValue(
    long count,
    OptionalDouble sum,
    OptionalDouble min,
    OptionalDouble max,
    List<Long> bucketCounts,
    List<Double> explicitBounds)
    implements PointValue, Histogram {

  public HistogramValue {
    Counts.requireNotNegative(count, "count");
    bucketCounts = List.copyOf(bucketCounts);
    explicitBounds = List.copyOf(explicitBounds);
    if (bucketCounts.isEmpty()
        ? !explicitBounds.isEmpty()
        : bucketCounts.size() != explicitBounds.size() + 1) {
      throw new InvalidTelemetryException(
          "a histogram needs one more bucket count than bounds, got "
              + bucketCounts.size()
              + " counts and "
              + explicitBounds.size()
              + " bounds");
    }
    for (int i = 0; i < explicitBounds.size(); i++) {
      double bound = explicitBounds.get(i);
      if (!Double.isFinite(bound) || (i > 0 && bound <= explicitBounds.get(i - 1))) {
        throw new InvalidTelemetryException(
            "histogram bounds must be finite and strictly increasing: " + explicitBounds);
      }
    }
    Counts.requireNotNegative(bucketCounts, "bucket counts");
    if (!bucketCounts.isEmpty()) {
      Counts.requireTotal(count, Counts.sum(bucketCounts, "bucket counts"));
    }
  }

  @Override
  public boolean fits(MetricKind kind) {
    return kind == MetricKind.HISTOGRAM;
  }

  @Override
  public String describe() {
    return "histogram value";
  }
}
