package dev.glust.application.port.model;

import dev.glust.domain.common.TimeRange;
import dev.glust.domain.metric.MetricKind;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The series of metric {@code metricName} (of {@code kind}, when given) that had points in {@code
 * range}, from {@code service} when given, whose labels or resource match every {@code key=value}
 * of {@code labels} (values compared as text, number or boolean). At most {@code limit}.
 */
public record MetricSeriesSearch(
    String metricName,
    Optional<MetricKind> kind,
    Optional<String> service,
    Map<String, String> labels,
    TimeRange range,
    int limit) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public MetricSeriesSearch {
    Objects.requireNonNull(metricName, "metricName");
    if (metricName.isBlank()) {
      throw new InvalidQueryException("name", "a metric name is required");
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(service, "service");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(range, "range");
    if (limit < 1) {
      throw new InvalidQueryException("limit", "must be at least 1");
    }
  }
}
