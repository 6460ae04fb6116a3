package dev.glust.domain.common;

/** A closed interval of unix nanoseconds, {@code start <= end}. */
public record TimeRange(long startUnixNano, long endUnixNano) {
  public TimeRange {
    if (startUnixNano > endUnixNano) {
      throw new IllegalArgumentException(
          "time range start " + startUnixNano + " is after its end " + endUnixNano);
    }
  }

  public static TimeRange lastNanos(long nowUnixNano, long lengthNanos) {
    return new TimeRange(nowUnixNano - lengthNanos, nowUnixNano);
  }
}
