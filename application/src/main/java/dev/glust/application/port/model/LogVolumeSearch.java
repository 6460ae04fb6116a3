package dev.glust.application.port.model;

import java.util.Objects;

/**
 * How many log records match {@code filter} (its page is not used) in each of about {@code buckets}
 * equal slices of its time range. Slices are whole milliseconds, so the range may be cut into
 * fewer, wider ones than asked for.
 */
public record LogVolumeSearch(LogSearch filter, int buckets) {
  public static final int DEFAULT_BUCKETS = 60;
  public static final int MAX_BUCKETS = 1000;
  private static final long MILLISECOND = 1_000_000L;

  public LogVolumeSearch {
    Objects.requireNonNull(filter, "filter");
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw new InvalidQueryException("buckets", "must be between 1 and " + MAX_BUCKETS);
    }
  }

  /** The width of one slice: the range divided by {@code buckets}, rounded up to whole ms. */
  public long bucketNanos() {
    long length = filter.range().endUnixNano() - filter.range().startUnixNano() + 1;
    long raw = Math.max(1, ceilDiv(length, buckets));
    return ceilDiv(raw, MILLISECOND) * MILLISECOND;
  }

  /** How many slices of {@link #bucketNanos()} cover the range. */
  public int bucketCount() {
    long length = filter.range().endUnixNano() - filter.range().startUnixNano() + 1;
    return (int) ceilDiv(length, bucketNanos());
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
