package dev.glust.domain.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MergedHistogramsTest {
  private static final OptionalDouble NONE = OptionalDouble.empty();

  private static HistogramValue explicit(List<Double> bounds, List<Long> counts, double sum) {
    long count = counts.stream().mapToLong(Long::longValue).sum();
    return new HistogramValue(count, OptionalDouble.of(sum), NONE, NONE, counts, bounds);
  }

  private static MergedHistograms merged(Histogram... histograms) {
    MergedHistograms out = new MergedHistograms();
    for (Histogram h : histograms) {
      out.add(h);
    }
    return out;
  }

  @Test
  void quantilesFollowPrometheusAtTheEdges() {
    assertThat(new MergedHistograms().quantile(0.5)).isNaN();

    MergedHistograms negative = merged(explicit(List.of(-5.0, 5.0), List.of(10L, 10L, 0L), 0));
    // the first bucket ends at or below 0: its observations sit at its bound
    assertThat(negative.quantile(0.25)).isEqualTo(-5.0);
    assertThat(negative.quantile(0.75)).isCloseTo(0.0, within(1e-9));

    MergedHistograms single = merged(explicit(List.of(), List.of(7L), 0));
    assertThat(single.quantile(0.5)).isNaN(); // one bucket over everything: no estimate
  }

  @Test
  void observationsSpreadEvenlyOverTheirBucketAndTheFirstPositiveBucketStartsAtZero() {
    MergedHistograms h = merged(explicit(List.of(10.0, 20.0), List.of(10L, 10L, 0L), 300));

    assertThat(h.quantile(0.25)).isCloseTo(5.0, within(1e-9));
    assertThat(h.quantile(0.75)).isCloseTo(15.0, within(1e-9));
    assertThat(h.count()).isEqualTo(20);
    assertThat(h.sum()).isEqualTo(300.0);
  }

  @Test
  void layoutsThatCannotMergeAreKeptApartAndTheirDistributionsSummed() {
    // (0, 10] with 10 observations and, with other bounds, (10, 30] with 10
    MergedHistograms h =
        merged(
            explicit(List.of(10.0), List.of(10L, 0L), 50),
            explicit(List.of(10.0, 30.0), List.of(0L, 10L, 0L), 200));

    assertThat(h.quantile(0.5)).isCloseTo(10.0, within(1e-9));
    assertThat(h.quantile(0.75)).isCloseTo(20.0, within(1e-9));
    assertThat(h.count()).isEqualTo(20);
  }

  @Test
  void theSumIsUnknownOnceAPointWithoutOneIsAdded() {
    MergedHistograms h = merged(explicit(List.of(), List.of(3L), 5));
    h.add(new HistogramValue(2, NONE, NONE, NONE, List.of(), List.of()));

    assertThat(h.count()).isEqualTo(5);
    assertThat(h.sum()).isNaN();
  }

  @Test
  void exponentialBucketsFarApartStaySparseAndGiveTheirQuantiles() {
    // scale 20: a bucket is a millionth wide; these two lie about ten million buckets apart
    int one = 0;
    int thousand = (int) Math.round(Math.log(1000) / Math.log(2) * (1 << 20));
    MergedHistograms h =
        merged(exponential(20, thousand, List.of(1L)), exponential(20, one, List.of(3L)));

    assertThat(h.count()).isEqualTo(4);
    assertThat(h.quantile(0.5)).isCloseTo(1.0, within(1e-3));
    assertThat(h.quantile(0.99)).isCloseTo(1000.0, within(0.01));
  }

  private static ExponentialHistogramValue exponential(int scale, int offset, List<Long> counts) {
    long count = counts.stream().mapToLong(Long::longValue).sum();
    return new ExponentialHistogramValue(
        count, NONE, NONE, NONE, scale, 0, 0, new Buckets(offset, counts), Buckets.EMPTY);
  }
}
