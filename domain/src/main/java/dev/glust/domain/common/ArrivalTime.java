package dev.glust.domain.common;

/** How a record's own time relates to when Glust received it (the time normalisation rules). */
public final class ArrivalTime {
  private ArrivalTime() {}

  /**
   * Whether {@code unixNano} lies more than {@code maxSkewNanos} after the arrival, or beyond 2262
   * (a negative signed int64): a time no clock should have written.
   */
  public static boolean isFuture(long unixNano, long receivedUnixNano, long maxSkewNanos) {
    return unixNano < 0 || unixNano - receivedUnixNano > maxSkewNanos;
  }
}
