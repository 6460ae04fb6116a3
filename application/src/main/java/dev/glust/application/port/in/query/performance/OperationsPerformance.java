package dev.glust.application.port.in.query.performance;

import java.util.List;
import java.util.Objects;

/**
 * One service's performance (as in {@link ServicePerformance}) and that of each of its operations,
 * by impact (highest first).
 */
public record OperationsPerformance(
    String service,
    long startUnixNano,
    long stepNanos,
    PerformanceStats stats,
    List<PerformancePoint> series,
    List<OperationPerformance> operations) {
  public OperationsPerformance {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(stats, "stats");
    series = List.copyOf(series);
    operations = List.copyOf(operations);
  }
}
