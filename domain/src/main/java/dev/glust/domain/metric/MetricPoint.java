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

  /** This point as received then (see {@link DataPoint#arrivedAt}). */
  public MetricPoint arrivedAt(long receivedUnixNano, long maxSkewNanos) {
    DataPoint arrived = point.arrivedAt(receivedUnixNano, maxSkewNanos);
    return arrived == point ? this : new MetricPoint(metric, arrived);
  }

  /** Whether the metric and service names fit {@link RecordLimits#MAX_NAME_LENGTH}. */
  public boolean namesFit() {
    return RecordLimits.nameFits(metric.name()) && metric.resource().serviceNameFits();
  }

  /** This point within the limits (see {@link DataPoint#limitedBy}, {@link Metric#limitedBy}). */
  public MetricPoint limitedBy(RecordLimits limits) {
    DataPoint limitedPoint = point.limitedBy(limits);
    Metric limitedMetric = metric.limitedBy(limits);
    return limitedPoint == point && limitedMetric == metric
        ? this
        : new MetricPoint(limitedMetric, limitedPoint);
  }
}
