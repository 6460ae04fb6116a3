package dev.glust.domain.performance;

import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.MergedHistograms;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.stream.LongStream;

/**
 * Span durations in milliseconds, counted in an OTLP exponential histogram of the fixed scale
 * {@link #SCALE}: bucket {@code i} holds {@code (base^i, base^(i+1)]}, {@code base = 2^(2^-SCALE) ≈
 * 1.0219}, so a quantile read from it lies within 2.2 % of the exact value (the width of one
 * bucket; inside a bucket the estimate interpolates linearly). Durations of 0 are counted apart.
 * Immutable; {@link Counter} adds durations up.
 *
 * @param zeroCount durations of 0
 * @param offset the bucket index of {@code counts[0]}
 * @param counts the counts of buckets {@code offset, offset + 1, …} (copied)
 * @param sumMillis the sum of the durations
 */
public record SpanDurations(long zeroCount, int offset, long[] counts, double sumMillis) {
  /** 2^(1/32) ≈ 1.0219 per bucket. */
  public static final int SCALE = 5;

  public static final SpanDurations EMPTY = new SpanDurations(0, 0, new long[0], 0);

  private static final double INDEX_PER_LOG2 = Math.scalb(1.0, SCALE);

  public SpanDurations {
    counts = counts.clone();
    if (zeroCount < 0 || LongStream.of(counts).anyMatch(c -> c < 0)) {
      throw new IllegalArgumentException("negative count");
    }
  }

  public static SpanDurations ofNanos(long... durationNanos) {
    Counter counter = new Counter();
    for (long d : durationNanos) {
      counter.add(d);
    }
    return counter.durations();
  }

  /** The bucket of a duration above 0. */
  static int bucketOf(long durationNanos) {
    double millis = durationNanos / 1e6;
    return (int) Math.ceil(Math.log(millis) / Math.log(2) * INDEX_PER_LOG2) - 1;
  }

  public long count() {
    return zeroCount + LongStream.of(counts).sum();
  }

  /** Both added up. */
  public SpanDurations plus(SpanDurations other) {
    if (other.counts.length == 0) {
      return new SpanDurations(
          zeroCount + other.zeroCount, offset, counts, sumMillis + other.sumMillis);
    }
    if (counts.length == 0) {
      return new SpanDurations(
          zeroCount + other.zeroCount, other.offset, other.counts, sumMillis + other.sumMillis);
    }
    int low = Math.min(offset, other.offset);
    int high = Math.max(offset + counts.length, other.offset + other.counts.length);
    long[] sum = new long[high - low];
    for (int i = 0; i < counts.length; i++) {
      sum[offset - low + i] += counts[i];
    }
    for (int i = 0; i < other.counts.length; i++) {
      sum[other.offset - low + i] += other.counts[i];
    }
    return new SpanDurations(zeroCount + other.zeroCount, low, sum, sumMillis + other.sumMillis);
  }

  /** The duration (ms) below which a share {@code q} (0 < q < 1) lies; NaN when empty. */
  public double quantileMillis(double q) {
    MergedHistograms merged = new MergedHistograms();
    merged.add(toHistogram());
    return merged.quantile(q);
  }

  /** As an OTLP exponential histogram point's value (durations in ms, none negative). */
  public ExponentialHistogramValue toHistogram() {
    return new ExponentialHistogramValue(
        count(),
        OptionalDouble.of(sumMillis),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        SCALE,
        zeroCount,
        0,
        new Buckets(offset, LongStream.of(counts).boxed().toList()),
        Buckets.EMPTY);
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpanDurations d
        && zeroCount == d.zeroCount
        && offset == d.offset
        && Arrays.equals(counts, d.counts)
        && Double.compare(sumMillis, d.sumMillis) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Long.hashCode(zeroCount) + offset) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "SpanDurations[zero="
        + zeroCount
        + ", offset="
        + offset
        + ", counts="
        + Arrays.toString(counts)
        + ", sumMillis="
        + sumMillis
        + "]";
  }

  /**
   * Durations added up in place, in the buckets of {@link SpanDurations}: one at a time as spans
   * are counted, or whole histograms as a query adds up many (every rollup of a range), which a
   * sliding window also removes again (counts are whole numbers: removing is exact). {@link #plus}
   * would copy the buckets for every rollup, and a quantile read through the generic histogram
   * merger boxes every bucket: fine for one answer, slow for the 10,000 points of a week of charts.
   * Not thread-safe.
   */
  public static final class Counter {
    private long zeroCount;
    private int offset;
    private long[] counts = new long[0];
    private long count;
    private double sumMillis;

    /** Adds one duration; a negative one counts as 0. */
    public void add(long durationNanos) {
      count++;
      if (durationNanos <= 0) {
        zeroCount++;
        return;
      }
      sumMillis += durationNanos / 1e6;
      int bucket = bucketOf(durationNanos);
      cover(bucket, bucket + 1);
      counts[bucket - offset]++;
    }

    public void add(SpanDurations durations) {
      change(durations.zeroCount, durations.offset, durations.counts, durations.sumMillis, 1);
    }

    public void add(Counter other) {
      change(other.zeroCount, other.offset, other.counts, other.sumMillis, 1);
    }

    public void remove(Counter other) {
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

    public long count() {
      return count;
    }

    public double sumMillis() {
      return sumMillis;
    }

    /**
     * The duration (ms) below which a share {@code q} of the durations lies; NaN when there are
     * none. The estimate of {@link SpanDurations#quantileMillis} (durations of 0 a point mass at 0,
     * each bucket's spread evenly over it), computed over the one bucket layout directly.
     */
    public double quantileMillis(double q) {
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

    public SpanDurations durations() {
      return new SpanDurations(zeroCount, offset, counts, sumMillis);
    }

    /** The lower boundary of bucket {@code index}: 2^(index / 2^SCALE) ms. */
    private static double boundary(int index) {
      return Math.pow(2, Math.scalb((double) index, -SCALE));
    }
  }
}
