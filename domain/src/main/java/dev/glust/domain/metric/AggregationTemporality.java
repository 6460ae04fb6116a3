package dev.glust.domain.metric;

/**
 * How the points of a sum or histogram relate in time, with OTLP's wire numbers: DELTA points each
 * cover their own interval, CUMULATIVE points all count from one start (a new start means the
 * counter was reset). Gauges and summaries are UNSPECIFIED.
 */
public enum AggregationTemporality {
  UNSPECIFIED,
  DELTA,
  CUMULATIVE;

  public int code() {
    return ordinal();
  }

  /** An unknown number (a newer sender) reads as UNSPECIFIED. */
  public static AggregationTemporality fromCode(int code) {
    AggregationTemporality[] all = values();
    return code >= 0 && code < all.length ? all[code] : UNSPECIFIED;
  }
}
