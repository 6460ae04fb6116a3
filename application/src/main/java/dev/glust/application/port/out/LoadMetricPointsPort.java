package dev.glust.application.port.out;

import dev.glust.application.port.in.query.MetricExemplar;
import dev.glust.domain.common.TimeRange;
import java.util.List;
import java.util.Objects;

/**
 * The data points of given series (ids as in {@link
 * dev.glust.application.port.in.query.MetricSeries#id()}) whose time lies in a range, in any order
 * (the caller sorts); at most {@code limit} (the caller asks for one more than it accepts, so which
 * points a full answer holds does not matter).
 */
public interface LoadMetricPointsPort {
  List<NumberPoint> loadNumberPoints(List<String> seriesIds, TimeRange range, int limit);

  List<HistogramPoint> loadHistogramPoints(List<String> seriesIds, TimeRange range, int limit);

  List<ExponentialHistogramPoint> loadExponentialHistogramPoints(
      List<String> seriesIds, TimeRange range, int limit);

  /** A gauge or sum point; ints are read as doubles. {@code startTimeUnixNano} 0: none. */
  record NumberPoint(
      String seriesId,
      long timeUnixNano,
      long startTimeUnixNano,
      double value,
      List<MetricExemplar> exemplars) {
    public NumberPoint {
      Objects.requireNonNull(seriesId, "seriesId");
      exemplars = List.copyOf(exemplars);
    }
  }

  /**
   * An explicit-bucket histogram point: {@code bucketCounts} has one more element than {@code
   * explicitBounds} (bucket i covers (bounds[i-1], bounds[i]], the last one up to +∞). {@code sum}
   * is NaN when the point has none.
   */
  record HistogramPoint(
      String seriesId,
      long timeUnixNano,
      long startTimeUnixNano,
      long count,
      double sum,
      double[] explicitBounds,
      long[] bucketCounts,
      List<MetricExemplar> exemplars) {
    public HistogramPoint {
      Objects.requireNonNull(seriesId, "seriesId");
      explicitBounds = explicitBounds.clone();
      bucketCounts = bucketCounts.clone();
      if (bucketCounts.length != 0 && bucketCounts.length != explicitBounds.length + 1) {
        throw new IllegalArgumentException(
            "a histogram has one bucket more than bounds, got "
                + bucketCounts.length
                + " buckets for "
                + explicitBounds.length
                + " bounds");
      }
      exemplars = List.copyOf(exemplars);
    }
  }

  /**
   * An exponential histogram point: bucket k of a side has index offset + k and covers (base^index,
   * base^(index+1)] (mirrored on the negative side) with base = 2^(2^-scale); the zero bucket holds
   * the values within ±zeroThreshold. {@code sum} is NaN when absent.
   */
  record ExponentialHistogramPoint(
      String seriesId,
      long timeUnixNano,
      long startTimeUnixNano,
      long count,
      double sum,
      int scale,
      long zeroCount,
      double zeroThreshold,
      int positiveOffset,
      long[] positiveBucketCounts,
      int negativeOffset,
      long[] negativeBucketCounts,
      List<MetricExemplar> exemplars) {
    public ExponentialHistogramPoint {
      Objects.requireNonNull(seriesId, "seriesId");
      positiveBucketCounts = positiveBucketCounts.clone();
      negativeBucketCounts = negativeBucketCounts.clone();
      exemplars = List.copyOf(exemplars);
    }
  }
}
