package dev.glust.application.port.in.query.performance;

import java.util.Objects;

/** The performance in the step starting at {@code startUnixNano}. */
public record PerformancePoint(long startUnixNano, PerformanceStats stats) {
  public PerformancePoint {
    Objects.requireNonNull(stats, "stats");
  }
}
