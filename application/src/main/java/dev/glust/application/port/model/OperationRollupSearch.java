package dev.glust.application.port.model;

import dev.glust.domain.common.TimeRange;
import dev.glust.domain.trace.SpanKind;
import java.util.Objects;
import java.util.Set;

/**
 * Which span rollups to load: those of minutes starting in {@code range}, of these services and
 * span kinds (an empty set: any).
 */
public record OperationRollupSearch(TimeRange range, Set<String> services, Set<SpanKind> kinds) {
  public OperationRollupSearch {
    Objects.requireNonNull(range, "range");
    services = Set.copyOf(services);
    kinds = Set.copyOf(kinds);
  }
}
