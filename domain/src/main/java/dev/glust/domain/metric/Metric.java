package dev.glust.domain.metric;

import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.Text;
import java.util.Objects;

/**
 * One OTLP metric without its data points: what every point of it shares. Its points travel as
 * {@link MetricPoint}s, one per stored row. Gauges and summaries have no temporality, and only sums
 * can be monotonic; a sender's contrary claim is dropped rather than stored.
 */
public record Metric(
    String name,
    String description,
    String unit,
    MetricKind kind,
    AggregationTemporality temporality,
    boolean monotonic,
    Resource resource,
    InstrumentationScope scope) {

  public Metric {
    name = Text.clean(name);
    if (name.isEmpty()) {
      throw new InvalidTelemetryException("a metric needs a name");
    }
    description = Text.clean(description);
    unit = Text.clean(unit);
    Objects.requireNonNull(kind, "kind");
    temporality =
        kind == MetricKind.GAUGE || kind == MetricKind.SUMMARY
            ? AggregationTemporality.UNSPECIFIED
            : Objects.requireNonNullElse(temporality, AggregationTemporality.UNSPECIFIED);
    monotonic = monotonic && kind == MetricKind.SUM;
    resource = Objects.requireNonNullElse(resource, Resource.EMPTY);
    scope = Objects.requireNonNullElse(scope, InstrumentationScope.EMPTY);
  }

  /**
   * This metric with its name cut to {@link RecordLimits#MAX_NAME_LENGTH} and the limits applied to
   * its resource and scope.
   */
  Metric limitedBy(RecordLimits limits) {
    if (RecordLimits.nameFits(name)
        && limits.allows(resource)
        && limits.allows(scope.attributes())) {
      return this;
    }
    return new Metric(
        RecordLimits.cutName(name),
        description,
        unit,
        kind,
        temporality,
        monotonic,
        limits.apply(resource),
        limits.apply(scope));
  }

  public String serviceName() {
    return resource.serviceName();
  }
}
