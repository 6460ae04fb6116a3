package dev.glust.application.port.in.query.metric;

import dev.glust.application.port.model.MetricExemplar;
import dev.glust.domain.metric.MetricKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to a {@link MetricQuery}: the aggregation applied, the bucket grid, and one series per
 * group. A series has a point for each bucket that holds data (empty buckets are left out, so a
 * chart shows a gap), and the exemplars of its points within the range.
 */
public record MetricQueryResult(
    String metricName,
    MetricKind kind,
    String unit,
    MetricAggregation aggregation,
    long alignedStartUnixNano,
    long stepNanos,
    int bucketCount,
    List<Series> series) {
  public MetricQueryResult {
    Objects.requireNonNull(metricName, "metricName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(aggregation, "aggregation");
    series = List.copyOf(series);
  }

  /** {@code labels}: the group-by label and its value ({@code {}} without group-by). */
  public record Series(
      Map<String, String> labels,
      int seriesCount,
      List<Point> points,
      List<MetricExemplar> exemplars) {
    public Series {
      labels = Map.copyOf(labels);
      points = List.copyOf(points);
      exemplars = List.copyOf(exemplars);
    }
  }

  /** The value of the bucket starting at {@code startUnixNano}. */
  public record Point(long startUnixNano, double value) {}
}
