package dev.glust.application.port.model;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.MetricKind;
import java.util.Objects;

/**
 * One stored series of a metric: its identity ({@code id}, lowercase hex), its labels (the data
 * points' attributes), and where it came from.
 */
public record MetricSeries(
    String id,
    String metricName,
    MetricKind kind,
    AggregationTemporality temporality,
    boolean monotonic,
    String unit,
    String serviceName,
    Attributes labels,
    Attributes resource,
    String scopeName,
    String scopeVersion) {
  public MetricSeries {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(metricName, "metricName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(temporality, "temporality");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(scopeName, "scopeName");
    Objects.requireNonNull(scopeVersion, "scopeVersion");
  }

  /**
   * The text of label {@code key}, looked up in the labels and then in the resource (so {@code
   * service.name} groups too); empty when neither has it.
   */
  public String labelText(String key) {
    return labels.get(key).or(() -> resource.get(key)).map(MetricSeries::text).orElse("");
  }

  /** Scalars as they read ({@code 200}, {@code true}, {@code 1.5}); other values as JSON-ish. */
  private static String text(AnyValue value) {
    if (value instanceof AnyValue.StringValue s) {
      return s.value();
    } else if (value instanceof AnyValue.IntValue i) {
      return Long.toString(i.value());
    } else if (value instanceof AnyValue.DoubleValue d) {
      return Double.toString(d.value());
    } else if (value instanceof AnyValue.BoolValue b) {
      return Boolean.toString(b.value());
    }
    return value instanceof AnyValue.EmptyValue ? "" : value.toString();
  }
}
