package dev.glust.application.service;

import dev.glust.domain.performance.SpanDurations;

/**
 * Span durations added up in place: the buckets of {@link SpanDurations} (fixed scale, so they
 * merge by index), which a query adds many of (every rollup of a range) and a sliding window also
 * removes again (counts are whole numbers, so removing is exact). {@link SpanDurations#plus} would
 * copy the buckets for every rollup, and reading a quantile through the generic histogram merger
 * boxes every bucket: fine for one answer, slow for the 10,000 points of a week of Jaeger charts.
 * Not thread-safe.
 */
final class DurationCounts {
  private long zeroCount;
  private int offset;
  private long[] counts = new long[0];
  private long count;
  private double sumMillis;

  void add(SpanDurations durations) {
    change(durations.zeroCount(), durations.offset(), durations.counts(), durations.sumMillis(), 1);
  }

  void add(DurationCounts other) {
    change(other.zeroCount, other.offset, other.counts, other.sumMillis, 1);
  }

  void remove(DurationCounts other) {
    change(other.zeroCount, other.offset, other.counts, other.sumMillis, -1);
  }

  private void change(long zeros, int from, long[] more, double sum, int sign) {
    zeroCount += sign * zeros;
    count += sign * zeros;
    sumMillis += sign * sum;
    if (more.length == 0) {
      return;
    }
    cover(from, from + more.length);
    for (int i = 0; i < more.length; i++) {
      counts[from - offset + i] += sign * more[i];
      count += sign * more[i];
    }
  }

  /** Widens the counts to hold buckets {@code [low, high)}. */
  private void cover(int low, int high) {
    if (counts.length == 0) {
      offset = low;
      counts = new long[high - low];
      return;
    }
    int newLow = Math.min(low, offset);
    int newHigh = Math.max(high, offset + counts.length);
    if (newLow == offset && newHigh == offset + counts.length) {
      return;
    }
    long[] wider = new long[newHigh - newLow];
    System.arraycopy(counts, 0, wider, offset - newLow, counts.length);
    counts = wider;
    offset = newLow;
  }

  long count() {
    return count;
  }

  double sumMillis() {
    return sumMillis;
  }

  /**
   * The duration (ms) below which a share {@code q} of the durations lies; NaN when there are none.
   * The estimate of {@link SpanDurations#quantileMillis} (durations of 0 a point mass at 0, each
   * bucket's spread evenly over it), computed over the one bucket layout directly.
   */
  double quantileMillis(double q) {
    if (count <= 0) {
      return Double.NaN;
    }
    double rank = q * count;
    if (zeroCount > 0 && zeroCount >= rank) {
      return 0;
    }
    double seen = zeroCount;
    for (int i = 0; i < counts.length; i++) {
      long c = counts[i];
      if (c <= 0) {
        continue;
      }
      double lower = boundary(offset + i);
      double upper = boundary(offset + i + 1);
      if (seen + c >= rank) {
        return lower + (rank - seen) / (c / (upper - lower));
      }
      seen += c;
    }
    return boundary(offset + counts.length); // rounding left the rank a hair above the count
  }

  /** The lower boundary of bucket {@code index}: 2^(index / 2^SCALE) ms. */
  private static double boundary(int index) {
    return Math.pow(2, Math.scalb((double) index, -SpanDurations.SCALE));
  }
}
