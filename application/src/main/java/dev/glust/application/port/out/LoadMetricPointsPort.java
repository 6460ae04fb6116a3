package dev.glust.application.port.out;

import dev.glust.application.port.model.MetricExemplar;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Objects;

/**
 * The data points of given series (ids as in {@link
 * dev.glust.application.port.model.MetricSeries#id()}) whose time lies in a range, in any order
 * (the caller sorts); at most {@code limit} (the caller asks for one more than it accepts, so which
 * points a full answer holds does not matter).
 */
public interface LoadMetricPointsPort {
  List<NumberPoint> loadNumberPoints(
      TenantId tenant, List<String> seriesIds, TimeRange range, int limit);

  List<HistogramPoint> loadHistogramPoints(
      TenantId tenant, List<String> seriesIds, TimeRange range, int limit);

  List<ExponentialHistogramPoint> loadExponentialHistogramPoints(
      TenantId tenant, List<String> seriesIds, TimeRange range, int limit);

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

  /** An explicit-bucket histogram point of a series; its value is read without min and max. */
  record HistogramPoint(
      String seriesId,
      long timeUnixNano,
      long startTimeUnixNano,
      HistogramValue value,
      List<MetricExemplar> exemplars) {
    public HistogramPoint {
      Objects.requireNonNull(seriesId, "seriesId");
      Objects.requireNonNull(value, "value");
      exemplars = List.copyOf(exemplars);
    }
  }

  /** An exponential histogram point of a series; its value is read without min and max. */
  record ExponentialHistogramPoint(
      String seriesId,
      long timeUnixNano,
      long startTimeUnixNano,
      ExponentialHistogramValue value,
      List<MetricExemplar> exemplars) {
    public ExponentialHistogramPoint {
      Objects.requireNonNull(seriesId, "seriesId");
      Objects.requireNonNull(value, "value");
      exemplars = List.copyOf(exemplars);
    }
  }
}
