package dev.glust.application.service;

import dev.glust.domain.performance.SpanDurations;
import java.util.Arrays;

/**
 * Span durations of a sliding window: minutes are added as the window reaches them and removed as
 * it leaves them, so each window costs its bucket range, not its minutes times their buckets.
 * Counts are whole numbers, so removing is exact. Not thread-safe.
 */
final class DurationWindow {
  private long zeroCount;
  private int offset;
  private long[] counts = new long[0];
  private double sumMillis;

  void add(SpanDurations durations) {
    change(durations, 1);
  }

  void remove(SpanDurations durations) {
    change(durations, -1);
  }

  private void change(SpanDurations durations, int sign) {
    zeroCount += sign * durations.zeroCount();
    sumMillis += sign * durations.sumMillis();
    long[] more = durations.counts();
    if (more.length == 0) {
      return;
    }
    cover(durations.offset(), durations.offset() + more.length);
    for (int i = 0; i < more.length; i++) {
      counts[durations.offset() - offset + i] += sign * more[i];
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

  /** The {@code q} quantile (ms) of the durations in the window; NaN when it holds none. */
  double quantileMillis(double q) {
    if (zeroCount == 0 && Arrays.stream(counts).allMatch(c -> c == 0)) {
      return Double.NaN;
    }
    return new SpanDurations(zeroCount, offset, counts, Math.max(sumMillis, 0)).quantileMillis(q);
  }
}
