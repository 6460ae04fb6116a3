package dev.glust.application.service;

import dev.glust.application.port.in.query.performance.CallStats;
import dev.glust.application.port.in.query.performance.PerformanceStats;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.SpanDurations;
import java.util.OptionalDouble;

/** Operation rollups added up: calls, errors and merged durations. Not thread-safe. */
final class RollupTally {
  private long calls;
  private long errors;
  private final SpanDurations.Counter durations = new SpanDurations.Counter();

  void add(OperationRollup rollup) {
    calls += rollup.calls();
    errors += rollup.errors();
    durations.add(rollup.durations());
  }

  long calls() {
    return calls;
  }

  long errors() {
    return errors;
  }

  SpanDurations.Counter durations() {
    return durations;
  }

  /** The mean duration in ms; 0 without calls. */
  double meanMillis() {
    return calls == 0 ? 0 : durations.sumMillis() / calls;
  }

  /** The figures of these calls, counted over {@code nanos}. */
  PerformanceStats stats(long nanos) {
    return new PerformanceStats(
        CallStats.of(calls, errors, nanos), quantile(0.5), quantile(0.95), quantile(0.99));
  }

  static PerformanceStats emptyStats(long nanos) {
    return new RollupTally().stats(nanos);
  }

  private OptionalDouble quantile(double q) {
    if (calls == 0) {
      return OptionalDouble.empty();
    }
    double value = durations.quantileMillis(q);
    return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
  }
}
