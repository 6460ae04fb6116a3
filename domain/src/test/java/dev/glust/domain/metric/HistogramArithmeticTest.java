package dev.glust.domain.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class HistogramArithmeticTest {
  private static final OptionalDouble NONE = OptionalDouble.empty();
  private static final List<Double> BOUNDS = List.of(1.0, 2.0);

  private static HistogramValue explicit(List<Double> bounds, long... counts) {
    long count = 0;
    for (long c : counts) {
      count += c;
    }
    return new HistogramValue(
        count,
        OptionalDouble.of(count * 1.5),
        OptionalDouble.of(0.5),
        OptionalDouble.of(3),
        java.util.Arrays.stream(counts).boxed().toList(),
        bounds);
  }

  private static ExponentialHistogramValue exponential(
      int scale, long zeroCount, double zeroThreshold, Buckets positive, Buckets negative) {
    return new ExponentialHistogramValue(
        zeroCount + positive.total() + negative.total(),
        NONE,
        NONE,
        NONE,
        scale,
        zeroCount,
        zeroThreshold,
        positive,
        negative);
  }

  @Test
  void explicitHistogramsWithTheSameBoundsAddBucketByBucket() {
    Histogram sum = explicit(BOUNDS, 1, 2, 3).plus(explicit(BOUNDS, 10, 0, 5)).orElseThrow();

    assertThat(sum)
        .isEqualTo(
            new HistogramValue(
                21,
                OptionalDouble.of(9 + 22.5),
                OptionalDouble.of(0.5),
                OptionalDouble.of(3),
                List.of(11L, 2L, 8L),
                BOUNDS));
  }

  @Test
  void histogramsOfOtherLayoutsDoNotMerge() {
    HistogramValue explicit = explicit(BOUNDS, 1, 2, 3);

    assertThat(explicit.plus(explicit(List.of(1.0, 3.0), 1, 2, 3))).isEmpty();
    assertThat(explicit.plus(exponential(0, 1, 0, Buckets.EMPTY, Buckets.EMPTY))).isEmpty();
  }

  @Test
  void theIncreaseOfACumulativeHistogramIsTheDifferenceWithoutMinAndMax() {
    Histogram increase =
        explicit(BOUNDS, 5, 5, 5).increaseSince(explicit(BOUNDS, 1, 2, 3)).orElseThrow();

    assertThat(increase)
        .isEqualTo(
            new HistogramValue(
                9, OptionalDouble.of(13.5), NONE, NONE, List.of(4L, 3L, 2L), BOUNDS));
  }

  @Test
  void aBucketOrACountGoingDownLeavesTheIncreaseUnknown() {
    assertThat(explicit(BOUNDS, 5, 0, 5).increaseSince(explicit(BOUNDS, 1, 2, 3))).isEmpty();
    HistogramValue onlyCount = new HistogramValue(3, NONE, NONE, NONE, List.of(), List.of());
    HistogramValue fewer = new HistogramValue(2, NONE, NONE, NONE, List.of(), List.of());
    assertThat(fewer.increaseSince(onlyCount)).isEmpty();
    assertThat(onlyCount.increaseSince(fewer).orElseThrow().count()).isEqualTo(1);
  }

  @Test
  void exponentialHistogramsMeetAtTheCoarserScaleAndTheWiderZeroBucket() {
    // scale 1: buckets 2..5 are (2, 2.83], (2.83, 4], (4, 5.66], (5.66, 8]; at scale 0: 1, 1, 2, 2
    ExponentialHistogramValue fine =
        exponential(1, 1, 0, new Buckets(2, List.of(1L, 2L, 3L, 4L)), new Buckets(-1, List.of(7L)));
    ExponentialHistogramValue coarse =
        exponential(0, 2, 0.5, new Buckets(1, List.of(10L)), Buckets.EMPTY);

    assertThat(fine.plus(coarse).orElseThrow())
        .isEqualTo(
            exponential(
                0,
                3,
                0.5,
                new Buckets(1, List.of(13L, 7L)),
                new Buckets(-1, List.of(7L)))); // -1 >> 1 stays -1: (0.71, 1] lies in (0.5, 1]
  }

  @Test
  void aCoarserScaleKeepsEveryObservationInTheBucketThatHoldsItsOldOne() {
    ExponentialHistogramValue fine =
        exponential(3, 4, 0, new Buckets(-3, List.of(1L, 2L, 0L, 3L, 4L)), Buckets.EMPTY);

    assertThat(fine.atScale(1))
        .isEqualTo(exponential(1, 4, 0, new Buckets(-1, List.of(3L, 7L)), Buckets.EMPTY));
    assertThat(fine.atScale(3)).isSameAs(fine);
  }

  @Test
  void aNewStartTimeIsAResetAndAStartTimeOfZeroTellsNothing() {
    assertThat(CumulativeIncrease.restarted(100, 200)).isTrue();
    assertThat(CumulativeIncrease.restarted(100, 100)).isFalse();
    assertThat(CumulativeIncrease.restarted(0, 200)).isFalse();
    assertThat(CumulativeIncrease.restarted(100, 0)).isFalse();
  }

  @Test
  void aMonotonicSumGoingDownWasResetAndCountedItsNewValue() {
    assertThat(CumulativeIncrease.ofSum(10, 1, 15, 1, true)).isEqualTo(5.0);
    assertThat(CumulativeIncrease.ofSum(10, 1, 4, 1, true)).isEqualTo(4.0);
    assertThat(CumulativeIncrease.ofSum(10, 1, 4, 1, false)).isEqualTo(-6.0);
    assertThat(CumulativeIncrease.ofSum(10, 1, 15, 2, false)).isEqualTo(15.0);
  }

  @Test
  void aResetHistogramCountedAllOfItsLaterPoint() {
    HistogramValue earlier = explicit(BOUNDS, 5, 5, 5);
    HistogramValue later = explicit(BOUNDS, 6, 5, 5);
    HistogramValue afterRestart = explicit(BOUNDS, 0, 1, 0);

    assertThat(CumulativeIncrease.ofHistogram(earlier, 1, later, 1).count()).isEqualTo(1);
    assertThat(CumulativeIncrease.ofHistogram(earlier, 1, later, 2)).isSameAs(later);
    assertThat(CumulativeIncrease.ofHistogram(earlier, 1, afterRestart, 1)).isSameAs(afterRestart);
  }
}
