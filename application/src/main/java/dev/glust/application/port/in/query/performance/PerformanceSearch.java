package dev.glust.application.port.in.query.performance;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.performance.OperationRollup;
import java.util.Objects;

/**
 * Performance over {@code range}, and per step of {@code stepNanos} (whole minutes: spans are
 * counted per minute). Steps are aligned on multiples of the step since the unix epoch, as metric
 * query buckets are: step {@code i} covers {@code [alignedStart + i·step, alignedStart +
 * (i+1)·step)}, the first one holds {@code range.start}, the last one {@code range.end}; the
 * figures of the whole range are those of all its steps.
 */
public record PerformanceSearch(TimeRange range, long stepNanos) {
  /** As many steps as Prometheus allows in one range query. */
  public static final int MAX_STEPS = 11_000;

  public PerformanceSearch {
    Objects.requireNonNull(range, "range");
    if (stepNanos < OperationRollup.MINUTE_NANOS || stepNanos % OperationRollup.MINUTE_NANOS != 0) {
      throw new InvalidQueryException(
          "step", "must be a whole number of minutes (spans are counted per minute)");
    }
    long steps = stepCount(range, stepNanos);
    if (steps > MAX_STEPS) {
      throw new InvalidQueryException(
          "step",
          "start to end by this step is "
              + steps
              + " steps, more than "
              + MAX_STEPS
              + "; use a larger step or a shorter range");
    }
  }

  public long alignedStartUnixNano() {
    return alignedStart(range, stepNanos);
  }

  public int stepCount() {
    return (int) stepCount(range, stepNanos);
  }

  /** From the start of the first step to the end of the range (at least a minute). */
  public long coveredNanos() {
    return Math.max(range.endUnixNano() - alignedStartUnixNano(), OperationRollup.MINUTE_NANOS);
  }

  private static long alignedStart(TimeRange range, long step) {
    return Math.floorDiv(range.startUnixNano(), step) * step;
  }

  private static long stepCount(TimeRange range, long step) {
    long span = range.endUnixNano() - alignedStart(range, step);
    return span < 0 ? Long.MAX_VALUE : span / step + 1; // negative only when it overflowed
  }
}
