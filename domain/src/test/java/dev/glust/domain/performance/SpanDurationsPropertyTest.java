package dev.glust.domain.performance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * What the bucket layout promises: quantiles within one bucket's width (2.2 %) of the exact value,
 * whatever the distribution, and a sum that does not depend on how durations were grouped.
 */
class SpanDurationsPropertyTest {
  private static final double ERROR_BOUND = 0.022;

  /** Shapes of span durations (nanoseconds), drawn from a seeded random source. */
  enum Distribution {
    /** Typical latencies: a median of 20 ms, a long tail. */
    LOGNORMAL {
      @Override
      long draw(Random random) {
        return Math.round(Math.exp(Math.log(20e6) + 1.2 * random.nextGaussian()));
      }
    },
    UNIFORM {
      @Override
      long draw(Random random) {
        return 1 + random.nextLong(5_000_000_000L);
      }
    },
    /** Every span as long as the others: the quantiles are that duration. */
    FIXED {
      @Override
      long draw(Random random) {
        return 8_000_000L;
      }
    },
    /** Fast and slow calls (cache hits and misses), some of duration 0. */
    BIMODAL {
      @Override
      long draw(Random random) {
        int pick = random.nextInt(10);
        return pick == 0 ? 0 : pick < 7 ? 200_000 + random.nextInt(100_000) : 3_000_000_000L;
      }
    };

    abstract long draw(Random random);
  }

  @Provide
  Arbitrary<Double> quantiles() {
    return Arbitraries.of(0.5, 0.9, 0.95, 0.99, 0.999).map(Double::valueOf);
  }

  @Property(tries = 1000)
  void aQuantileLiesWithinOneBucketOfTheExactValue(
      @ForAll Distribution distribution,
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 2_000) int spans,
      @ForAll("quantiles") double q) {
    Random random = new Random(seed);
    long[] nanos = LongStream.generate(() -> distribution.draw(random)).limit(spans).toArray();

    double estimate = SpanDurations.ofNanos(nanos).quantileMillis(q);

    double exact = exactQuantileMillis(nanos, q);
    assertThat(Math.abs(estimate - exact))
        .as("%s p%s of %d spans: estimate %s, exact %s", distribution, q, spans, estimate, exact)
        .isLessThanOrEqualTo(ERROR_BOUND * exact);
  }

  /** The duration of rank ⌈q·n⌉, as the estimate's definition has it (the share q at or below). */
  private static double exactQuantileMillis(long[] nanos, double q) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return Math.max(0, sorted[Math.max(rank, 1) - 1]) / 1e6;
  }

  /** Whole milliseconds: their sums are exact, so grouping cannot change them by rounding. */
  @Provide
  Arbitrary<List<Long>> durations() {
    return Arbitraries.longs()
        .between(0, 600_000)
        .map(millis -> millis * 1_000_000L)
        .list()
        .ofMaxSize(60);
  }

  @Property
  void plusIsCountingEverythingAtOnce(
      @ForAll("durations") List<Long> first, @ForAll("durations") List<Long> second) {
    SpanDurations a = of(first);
    SpanDurations b = of(second);
    SpanDurations all =
        of(
            LongStream.concat(
                    first.stream().mapToLong(Long::longValue),
                    second.stream().mapToLong(Long::longValue))
                .boxed()
                .toList());

    assertThat(a.plus(b)).isEqualTo(all);
    assertThat(b.plus(a)).isEqualTo(all);
    assertThat(a.plus(b).count()).isEqualTo(first.size() + second.size());
  }

  @Property
  void countsEveryDurationOnce(@ForAll("durations") List<Long> durations) {
    SpanDurations counted = of(durations);

    assertThat(counted.count()).isEqualTo(durations.size());
    assertThat(LongStream.of(counted.counts()).sum())
        .isEqualTo(durations.stream().filter(d -> d > 0).count());
  }

  @Property
  void theBucketOfADurationHoldsIt(@ForAll @LongRange(min = 1) long nanos) {
    int bucket = SpanDurations.bucketOf(nanos);
    double millis = nanos / 1e6;

    assertThat(Math.pow(2, bucket / 32.0) * (1 - 1e-12)).isLessThan(millis);
    assertThat(Math.pow(2, (bucket + 1) / 32.0) * (1 + 1e-12)).isGreaterThanOrEqualTo(millis);
  }

  private static SpanDurations of(List<Long> nanos) {
    return SpanDurations.ofNanos(nanos.stream().mapToLong(Long::longValue).toArray());
  }
}
