package dev.glust.application.port.in.query.performance;

import dev.glust.domain.trace.SpanKind;
import java.util.List;
import java.util.Objects;

/**
 * One operation (span name and kind) of a service: its performance over the range and per step, and
 * its {@code impact}: calls per second × mean duration in ms, the milliseconds per second the
 * service spends in it, which ranks both slow rare operations and fast frequent ones.
 */
public record OperationPerformance(
    String name,
    SpanKind kind,
    PerformanceStats stats,
    double impact,
    List<PerformancePoint> series) {
  public OperationPerformance {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(stats, "stats");
    series = List.copyOf(series);
  }
}
