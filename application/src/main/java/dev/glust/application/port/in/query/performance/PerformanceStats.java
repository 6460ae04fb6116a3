package dev.glust.application.port.in.query.performance;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Rate, errors and duration of some spans: their {@link CallStats} and the 50th, 95th and 99th
 * percentile of their durations in milliseconds (within 2.2 % of the exact value; empty without
 * calls).
 */
public record PerformanceStats(
    CallStats calls, OptionalDouble p50Ms, OptionalDouble p95Ms, OptionalDouble p99Ms) {
  public PerformanceStats {
    Objects.requireNonNull(calls, "calls");
    Objects.requireNonNull(p50Ms, "p50Ms");
    Objects.requireNonNull(p95Ms, "p95Ms");
    Objects.requireNonNull(p99Ms, "p99Ms");
  }
}
