package dev.glust.application.port.model;

import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.MetricKind;
import java.util.List;
import java.util.Objects;

/**
 * A metric as the catalog lists it: one per name and kind, with the label keys its series use. When
 * series of the name disagree on unit, description or temporality, one of them is shown.
 */
public record MetricSummary(
    String name,
    MetricKind kind,
    String unit,
    String description,
    AggregationTemporality temporality,
    boolean monotonic,
    List<String> labelKeys,
    long seriesCount) {
  public MetricSummary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(temporality, "temporality");
    labelKeys = List.copyOf(labelKeys);
  }
}
