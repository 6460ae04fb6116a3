package dev.glust.application.port.in.query.performance;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.trace.SpanKind;
import java.util.Objects;
import java.util.Set;

/**
 * One measure of spans at points in time, as Prometheus computes it over a sliding window (what
 * Jaeger's Monitor tab asks for): at each point {@code t = end − lookback + i·step} (up to {@code
 * end}), the spans of the minutes starting in {@code [t − window, t)}, of these services and kinds
 * (empty: any), per service or per service and operation.
 *
 * @param quantile for {@link Measure#LATENCY} (0 < q < 1); 0 otherwise
 */
public record SpanMetricsSearch(
    Measure measure,
    double quantile,
    Set<String> services,
    Set<SpanKind> kinds,
    boolean groupByOperation,
    long endUnixNano,
    long lookbackNanos,
    long stepNanos,
    long windowNanos) {
  /** As many points as Prometheus computes for one range query. */
  public static final int MAX_POINTS = 11_000;

  public enum Measure {
    /** Calls per second. */
    CALL_RATE,
    /** Errors as a share of the calls; NaN without calls. */
    ERROR_RATIO,
    /** The {@code quantile} of the durations in ms; NaN without calls. */
    LATENCY
  }

  public SpanMetricsSearch {
    Objects.requireNonNull(measure, "measure");
    if (measure == Measure.LATENCY ? !(quantile > 0 && quantile < 1) : quantile != 0) {
      throw new InvalidQueryException("quantile", "must be between 0 and 1, exclusive");
    }
    services = Set.copyOf(services);
    kinds = Set.copyOf(kinds);
    if (lookbackNanos < 0) {
      throw new InvalidQueryException("lookback", "must not be negative");
    }
    if (stepNanos <= 0) {
      throw new InvalidQueryException("step", "must be greater than 0");
    }
    if (windowNanos <= 0) {
      throw new InvalidQueryException("ratePer", "must be greater than 0");
    }
    if (lookbackNanos / stepNanos + 1 > MAX_POINTS) {
      throw new InvalidQueryException(
          "step",
          "lookback by this step is more than "
              + MAX_POINTS
              + " points; use a larger step or a shorter lookback");
    }
    // the first window's start must be a time there is (doubles: no overflow on the way)
    if ((double) endUnixNano - lookbackNanos - windowNanos < Long.MIN_VALUE) {
      throw new InvalidQueryException("lookback", "reaches before the earliest time there is");
    }
  }

  /** The time of the first point. */
  public long startUnixNano() {
    return endUnixNano - lookbackNanos;
  }

  public int pointCount() {
    return (int) (lookbackNanos / stepNanos + 1);
  }

  /** Where the minutes counted lie: from the first point's window to the end. */
  public TimeRange loadRange() {
    return new TimeRange(startUnixNano() - windowNanos, endUnixNano);
  }
}
