package dev.glust.domain.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Laws of the histogram arithmetic over generated histograms. Sums are whole numbers so that
 * floating-point rounding cannot make equal histograms differ.
 */
class HistogramArithmeticPropertyTest {
  private static final OptionalDouble NONE = OptionalDouble.empty();
  private static final List<Double> BOUNDS = List.of(0.5, 1.0, 2.5, 5.0, 10.0);

  /** An earlier and a later point of one cumulative series: the later counted more. */
  record CumulativePair(Histogram earlier, Histogram later) {}

  @Provide
  Arbitrary<HistogramValue> explicit() {
    return Arbitraries.longs()
        .between(0, 1_000)
        .list()
        .ofSize(BOUNDS.size() + 1)
        .flatMap(
            counts ->
                Arbitraries.integers()
                    .between(0, 100_000)
                    .map(
                        sum ->
                            new HistogramValue(
                                counts.stream().mapToLong(Long::longValue).sum(),
                                OptionalDouble.of(sum),
                                NONE,
                                NONE,
                                counts,
                                BOUNDS)));
  }

  @Provide
  Arbitrary<ExponentialHistogramValue> exponential() {
    Arbitrary<Buckets> side =
        Combinators.combine(
                Arbitraries.integers().between(-40, 40),
                Arbitraries.longs().between(0, 1_000).list().ofMaxSize(12))
            .as(Buckets::new);
    return Combinators.combine(
            Arbitraries.integers().between(-3, 4),
            Arbitraries.longs().between(0, 1_000),
            Arbitraries.of(0.0, 1e-9),
            side,
            side,
            Arbitraries.integers().between(0, 100_000))
        .as(
            (scale, zero, threshold, positive, negative, sum) ->
                new ExponentialHistogramValue(
                    zero + positive.total() + negative.total(),
                    OptionalDouble.of(sum),
                    NONE,
                    NONE,
                    scale,
                    zero,
                    threshold,
                    positive,
                    negative));
  }

  @Provide
  Arbitrary<Histogram> histogram() {
    return Arbitraries.oneOf(explicit(), exponential());
  }

  /** Same-layout triples: three explicit or three exponential histograms. */
  @Provide
  Arbitrary<List<Histogram>> threeOfALayout() {
    return Arbitraries.oneOf(
        explicit().list().ofSize(3).map(List::<Histogram>copyOf),
        exponential().list().ofSize(3).map(List::<Histogram>copyOf));
  }

  /**
   * A later point is the earlier plus what was counted in between; the exponential series may have
   * been downscaled since, as SDKs do when values fall outside their buckets.
   */
  @Provide
  Arbitrary<CumulativePair> cumulativeExplicit() {
    return Combinators.combine(explicit(), explicit())
        .as((earlier, counted) -> new CumulativePair(earlier, earlier.plus(counted).orElseThrow()));
  }

  @Provide
  Arbitrary<CumulativePair> cumulativeExponential() {
    return Combinators.combine(exponential(), exponential())
        .as((earlier, counted) -> new CumulativePair(earlier, earlier.plus(counted).orElseThrow()));
  }

  @Property
  void mergingIsCommutative(@ForAll("threeOfALayout") List<Histogram> h) {
    assertThat(h.get(0).plus(h.get(1))).isEqualTo(h.get(1).plus(h.get(0)));
  }

  @Property
  void mergingIsAssociative(@ForAll("threeOfALayout") List<Histogram> h) {
    Histogram a = h.get(0);
    Histogram b = h.get(1);
    Histogram c = h.get(2);

    assertThat(a.plus(b).orElseThrow().plus(c))
        .isEqualTo(a.plus(b.plus(c).orElseThrow()))
        .isPresent();
  }

  @Property
  void mergingAddsTheCounts(@ForAll("histogram") Histogram a, @ForAll("histogram") Histogram b) {
    a.plus(b).ifPresent(sum -> assertThat(sum.count()).isEqualTo(a.count() + b.count()));
  }

  @Property
  void increasesOfTwoSeriesMergedAreTheIncreaseOfTheMergedSeries(
      @ForAll("cumulativeExplicit") CumulativePair a,
      @ForAll("cumulativeExplicit") CumulativePair b) {
    assertIncreaseCommutesWithMerge(a, b);
  }

  @Property
  void exponentialIncreasesOfTwoSeriesMergedAreTheIncreaseOfTheMergedSeries(
      @ForAll("cumulativeExponential") CumulativePair a,
      @ForAll("cumulativeExponential") CumulativePair b) {
    assertIncreaseCommutesWithMerge(a, b);
  }

  private static void assertIncreaseCommutesWithMerge(CumulativePair a, CumulativePair b) {
    Histogram increaseOfA = a.later().increaseSince(a.earlier()).orElseThrow();
    Histogram increaseOfB = b.later().increaseSince(b.earlier()).orElseThrow();
    Histogram mergedLater = a.later().plus(b.later()).orElseThrow();
    Histogram mergedEarlier = a.earlier().plus(b.earlier()).orElseThrow();

    assertThat(increaseOfA.plus(increaseOfB))
        .isEqualTo(mergedLater.increaseSince(mergedEarlier))
        .isPresent();
  }

  @Property
  void theIncreaseIsWhatWasCountedInBetween(
      @ForAll("explicit") HistogramValue earlier, @ForAll("explicit") HistogramValue counted) {
    Histogram later = earlier.plus(counted).orElseThrow();

    assertThat(later.increaseSince(earlier)).contains(counted);
  }

  @Property
  void aCoarserScaleKeepsTheTotalCount(
      @ForAll("exponential") ExponentialHistogramValue h,
      @ForAll @IntRange(min = 0, max = 6) int by) {
    int coarser = Math.max(ExponentialHistogramValue.MIN_SCALE, h.scale() - by);
    ExponentialHistogramValue downscaled = h.atScale(coarser);

    assertThat(downscaled.scale()).isEqualTo(coarser);
    assertThat(downscaled.count()).isEqualTo(h.count());
    assertThat(downscaled.zeroCount() + downscaled.positive().total())
        .isEqualTo(h.zeroCount() + h.positive().total());
  }

  /**
   * The estimate lies in the bucket holding the exact quantile (the ceil(q·n)-th smallest value),
   * so it is within one bucket width of it.
   */
  @Property
  void quantilesLieWithinOneBucketWidthOfTheExactValue(
      @ForAll @Size(min = 1, max = 200) List<@DoubleRange(min = 0.01, max = 100) Double> values,
      @ForAll("boundsUpTo100") List<Double> bounds,
      @ForAll @DoubleRange(min = 0.01, max = 0.99) double q) {
    long[] counts = new long[bounds.size() + 1];
    for (double v : values) {
      int bucket = 0;
      while (bucket < bounds.size() && v > bounds.get(bucket)) {
        bucket++;
      }
      counts[bucket]++;
    }
    MergedHistograms merged = new MergedHistograms();
    merged.add(
        new HistogramValue(
            values.size(), NONE, NONE, NONE, Arrays.stream(counts).boxed().toList(), bounds));
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    double exact = sorted.get((int) Math.ceil(q * values.size()) - 1);
    int bucket = 0;
    while (bounds.get(bucket) < exact) {
      bucket++;
    }
    double lower = bucket == 0 ? 0 : bounds.get(bucket - 1);
    double width = bounds.get(bucket) - lower;

    assertThat(Math.abs(merged.quantile(q) - exact)).isLessThanOrEqualTo(width + 1e-9);
  }

  /** Increasing positive bounds, the last one 100 so that no generated value overflows. */
  @Provide
  Arbitrary<List<Double>> boundsUpTo100() {
    return Arbitraries.integers()
        .between(1, 99)
        .set()
        .ofMaxSize(15)
        .map(
            set -> {
              List<Double> out = new ArrayList<>();
              set.stream().sorted().forEach(b -> out.add((double) b));
              out.add(100.0);
              return out;
            });
  }
}
