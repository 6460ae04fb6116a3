package dev.glust.domain.performance;

import java.util.Comparator;
import java.util.Objects;

/**
 * The spans of one operation that started in one minute: how many, how many had status ERROR, and
 * their durations.
 *
 * @param minuteUnixNano the start of the minute (unix nanoseconds, a multiple of 60 s)
 */
public record OperationRollup(
    long minuteUnixNano, OperationKey key, long calls, long errors, SpanDurations durations) {
  public static final long MINUTE_NANOS = 60_000_000_000L;

  /**
   * Rollups in the order the load port answers them: by minute, then service, operation, kind and
   * status code (also the order stored rows are locked in, so that writers never deadlock).
   */
  public static final Comparator<OperationRollup> BY_MINUTE_AND_KEY =
      Comparator.comparingLong(OperationRollup::minuteUnixNano)
          .thenComparing(r -> r.key().service())
          .thenComparing(r -> r.key().operation())
          .thenComparingInt(r -> r.key().kind().code())
          .thenComparingInt(r -> r.key().status().code());

  public OperationRollup {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(durations, "durations");
    if (Math.floorMod(minuteUnixNano, MINUTE_NANOS) != 0) {
      throw new IllegalArgumentException("not the start of a minute: " + minuteUnixNano);
    }
    if (calls < 0 || errors < 0 || errors > calls) {
      throw new IllegalArgumentException("calls " + calls + ", errors " + errors);
    }
    if (durations.count() != calls) {
      throw new IllegalArgumentException(durations.count() + " durations for " + calls + " calls");
    }
  }

  /** The minute holding {@code unixNano}. */
  public static long minuteOf(long unixNano) {
    return Math.floorDiv(unixNano, MINUTE_NANOS) * MINUTE_NANOS;
  }
}
