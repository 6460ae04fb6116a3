package dev.glust.domain.metric;

import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.RecordLimits;
import java.util.Objects;

/**
 * One data point of a metric: the unit the ingest pipeline counts and storage writes as one row.
 * The points of one metric share its {@link Metric} instance.
 */
public record MetricPoint(Metric metric, DataPoint point) {
  public MetricPoint {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(point, "point");
    if (!point.value().fits(metric.kind())) {
      throw new InvalidTelemetryException(
          "a " + metric.kind().label() + " metric cannot hold a " + point.value().describe());
    }
  }

  /** This point as received then (see {@link DataPoint#arrivedAt}), within the limits. */
  public MetricPoint ready(long receivedUnixNano, long maxSkewNanos, RecordLimits limits) {
    DataPoint ready = point.arrivedAt(receivedUnixNano, maxSkewNanos).limitedBy(limits);
    return ready == point ? this : new MetricPoint(metric, ready);
  }
}
