package dev.glust.domain.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.ExponentialHistogramValue;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpanDurationsTest {
  private static final long MS = 1_000_000L;

  /** Bucket {@code i} holds {@code (2^(i/32), 2^((i+1)/32)]} ms: a power of two closes one. */
  @ParameterizedTest
  @ValueSource(ints = {-6, -3, -1, 0, 1, 2, 3, 5, 7, 10, 13, 17, 20, 24, 30})
  void aPowerOfTwoMillisecondsIsTheUpperBoundOfItsBucket(int exponent) {
    long nanos = Math.round(Math.scalb((double) MS, exponent));

    assertThat(SpanDurations.bucketOf(nanos)).isEqualTo(32 * exponent - 1);
    assertThat(SpanDurations.bucketOf(nanos + 1)).isEqualTo(32 * exponent);
  }

  @Test
  void eachDurationLiesWithinItsBucketsBounds() {
    for (long nanos = 1; nanos < 100_000_000_000L; nanos = nanos * 3 + 7) {
      int bucket = SpanDurations.bucketOf(nanos);
      double millis = nanos / 1e6;
      assertThat(Math.pow(2, bucket / 32.0)).as("lower bound of %d ns", nanos).isLessThan(millis);
      assertThat(Math.pow(2, (bucket + 1) / 32.0) * (1 + 1e-12))
          .as("upper bound of %d ns", nanos)
          .isGreaterThanOrEqualTo(millis);
    }
  }

  @Test
  void countsDurationsInTheirBucketsFromTheLowestOne() {
    SpanDurations durations = SpanDurations.ofNanos(2 * MS, MS, 2 * MS, 2 * MS + 1);

    assertThat(durations.zeroCount()).isZero();
    assertThat(durations.offset()).isEqualTo(-1);
    long[] expected = new long[34];
    expected[0] = 1; // bucket -1: 1 ms
    expected[32] = 2; // bucket 31: 2 ms
    expected[33] = 1; // bucket 32: just above 2 ms
    assertThat(durations.counts()).containsExactly(expected);
    assertThat(durations.count()).isEqualTo(4);
    assertThat(durations.sumMillis()).isCloseTo(7.000001, within(1e-9));
  }

  @Test
  void zeroAndNegativeDurationsAreCountedApart() {
    SpanDurations durations = SpanDurations.ofNanos(0, -5, 3 * MS);

    assertThat(durations.zeroCount()).isEqualTo(2);
    assertThat(durations.counts()).containsExactly(1);
    assertThat(durations.count()).isEqualTo(3);
    assertThat(durations.sumMillis()).isEqualTo(3.0);
    assertThat(durations.quantileMillis(0.5)).isZero();
    assertThat(durations.quantileMillis(0.99)).isCloseTo(3.0, within(3.0 * 0.022));
  }

  /**
   * The rank of p50 of two spans is the first span's whole bucket: the estimate is that bucket's
   * end, not the start of the next bucket holding a span (found by the property test: the
   * interpolation's floating-point sum fell short of the rank by a rounding error).
   */
  @Test
  void aRankAtTheEndOfABucketIsThatBucketsEnd() {
    SpanDurations two = SpanDurations.ofNanos(14_245_542, 24_000_000);

    assertThat(two.quantileMillis(0.5)).isCloseTo(14.245542, within(14.245542 * 0.022));
    for (int n = 2; n <= 200; n++) {
      long[] nanos = new long[n];
      for (int i = 0; i < n; i++) {
        nanos[i] = 1_000_000L + i * 997_001L;
      }
      double exact = nanos[(int) Math.ceil(0.5 * n) - 1] / 1e6;
      assertThat(SpanDurations.ofNanos(nanos).quantileMillis(0.5))
          .as("p50 of %d spans", n)
          .isCloseTo(exact, within(exact * 0.022));
    }
  }

  @Test
  void onlyZeroDurationsHaveNoBucketsAndQuantileZero() {
    SpanDurations durations = SpanDurations.ofNanos(0, 0);

    assertThat(durations.counts()).isEmpty();
    assertThat(durations.count()).isEqualTo(2);
    assertThat(durations.quantileMillis(0.95)).isZero();
  }

  @Test
  void nothingCountedHasNoQuantile() {
    assertThat(SpanDurations.ofNanos()).isEqualTo(SpanDurations.EMPTY);
    assertThat(SpanDurations.EMPTY.count()).isZero();
    assertThat(SpanDurations.EMPTY.quantileMillis(0.5)).isNaN();
  }

  @Test
  void plusAddsBucketsOfDifferentRangesZerosAndSums() {
    SpanDurations low = SpanDurations.ofNanos(0, MS);
    SpanDurations high = SpanDurations.ofNanos(4 * MS, 4 * MS);

    SpanDurations sum = low.plus(high);

    assertThat(sum).isEqualTo(SpanDurations.ofNanos(0, MS, 4 * MS, 4 * MS));
    assertThat(high.plus(low)).isEqualTo(sum);
    assertThat(sum.count()).isEqualTo(4);
    assertThat(sum.offset()).isEqualTo(-1);
    assertThat(sum.counts()).hasSize(65);
  }

  @Test
  void plusOfNothingChangesNothing() {
    SpanDurations some = SpanDurations.ofNanos(0, 7 * MS, 9 * MS);

    assertThat(some.plus(SpanDurations.EMPTY)).isEqualTo(some);
    assertThat(SpanDurations.EMPTY.plus(some)).isEqualTo(some);
    assertThat(SpanDurations.ofNanos(0).plus(some).zeroCount()).isEqualTo(2);
    assertThat(some.plus(SpanDurations.ofNanos(0)).counts()).isEqualTo(some.counts());
  }

  @Test
  void equalByContentAndUnchangedByTheArraysItWasMadeOrReadWith() {
    long[] counts = {1, 2};
    SpanDurations durations = new SpanDurations(3, 10, counts, 4.5);
    counts[0] = 99;
    durations.counts()[1] = 99;

    assertThat(durations)
        .isEqualTo(new SpanDurations(3, 10, new long[] {1, 2}, 4.5))
        .hasSameHashCodeAs(new SpanDurations(3, 10, new long[] {1, 2}, 4.5))
        .isNotEqualTo(new SpanDurations(3, 11, new long[] {1, 2}, 4.5))
        .isNotEqualTo(new SpanDurations(3, 10, new long[] {1, 3}, 4.5))
        .isNotEqualTo(new SpanDurations(2, 10, new long[] {1, 2}, 4.5))
        .isNotEqualTo(new SpanDurations(3, 10, new long[] {1, 2}, 4.0));
    assertThat(durations.toString()).contains("offset=10", "[1, 2]");
  }

  @Test
  void refusesNegativeCounts() {
    assertThatThrownBy(() -> new SpanDurations(-1, 0, new long[0], 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SpanDurations(0, 0, new long[] {1, -1}, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isAnExponentialHistogramOfScaleFiveInMilliseconds() {
    ExponentialHistogramValue histogram = SpanDurations.ofNanos(0, 2 * MS, 2 * MS).toHistogram();

    assertThat(histogram.scale()).isEqualTo(SpanDurations.SCALE).isEqualTo(5);
    assertThat(histogram.count()).isEqualTo(3);
    assertThat(histogram.zeroCount()).isEqualTo(1);
    assertThat(histogram.sum()).hasValue(4.0);
    assertThat(histogram.positive()).isEqualTo(new Buckets(31, List.of(2L)));
    assertThat(histogram.negative()).isEqualTo(Buckets.EMPTY);
  }
}
