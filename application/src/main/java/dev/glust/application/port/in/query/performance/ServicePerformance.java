package dev.glust.application.port.in.query.performance;

import java.util.List;
import java.util.Objects;

/**
 * A service's performance: that of the spans it was called by (kinds SERVER and CONSUMER; all its
 * spans when it has none of those), over the range and per step.
 */
public record ServicePerformance(
    String name, PerformanceStats stats, List<PerformancePoint> series) {
  public ServicePerformance {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(stats, "stats");
    series = List.copyOf(series);
  }
}
