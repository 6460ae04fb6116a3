package dev.glust.application.port.in.query.performance;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The values of one measure over time for one service (and operation, when grouped by operation):
 * one point per requested time, NaN where the measure has no value.
 */
public record SpanMetricSeries(String service, Optional<String> operation, List<Point> points) {
  public SpanMetricSeries {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(operation, "operation");
    points = List.copyOf(points);
  }

  public record Point(long timeUnixNano, double value) {}
}
