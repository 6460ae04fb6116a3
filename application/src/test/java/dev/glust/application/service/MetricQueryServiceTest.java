package dev.glust.application.service;

import static dev.glust.application.service.InMemoryMetrics.label;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.glust.application.port.in.query.metric.MetricAggregation;
import dev.glust.application.port.in.query.metric.MetricQuery;
import dev.glust.application.port.in.query.metric.MetricQueryResult;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.MetricExemplar;
import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.out.LoadMetricPointsPort.ExponentialHistogramPoint;
import dev.glust.application.port.out.LoadMetricPointsPort.HistogramPoint;
import dev.glust.application.port.out.LoadMetricPointsPort.NumberPoint;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MetricQueryServiceTest {
  /** A multiple of 10 s, so buckets of 10 s start at T0. */
  private static final long T0 = 1_700_000_000_000_000_000L;

  private static final long S = 1_000_000_000L;
  private static final List<Double> TENS =
      List.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0);
  private static final OptionalDouble NONE = OptionalDouble.empty();

  private final InMemoryMetrics storage = new InMemoryMetrics();
  private final MetricQueryService service = new MetricQueryService(storage, storage);

  private static MetricQuery query(String name, String agg, Optional<String> by) {
    return new MetricQuery(
        name,
        Optional.empty(),
        Map.of(),
        new TimeRange(T0, T0 + 40 * S),
        10 * S,
        Optional.ofNullable(agg).map(MetricAggregation::parse),
        by);
  }

  private MetricQueryResult run(String name, String agg) {
    return service.queryMetric(TenantId.DEFAULT, query(name, agg, Optional.empty())).orElseThrow();
  }

  /** bucket start (seconds after T0) → value, of the only output series. */
  private static Map<Long, Double> values(MetricQueryResult result) {
    assertThat(result.series()).hasSize(1);
    return values(result.series().get(0));
  }

  private static Map<Long, Double> values(MetricQueryResult.Series series) {
    Map<Long, Double> out = new LinkedHashMap<>();
    series.points().forEach(p -> out.put((p.startUnixNano() - T0) / S, p.value()));
    return out;
  }

  private void number(MetricSeries s, long time, long start, double value) {
    storage.numbers.add(new NumberPoint(s.id(), time, start, value, List.of()));
  }

  @Test
  void rateOfACumulativeCounterCountsIncreasesPerSecondAndSurvivesResets() {
    MetricSeries c =
        storage.addSeries("requests", MetricKind.SUM, AggregationTemporality.CUMULATIVE, true);
    long s0 = T0 - 100 * S;
    long s1 = T0 + 20 * S;
    number(c, T0 - 15 * S, s0, 10); // before the read window: never read
    number(c, T0 - 5 * S, s0, 100); // the step before the first bucket: the base of its increase
    number(c, T0 + 5 * S, s0, 150); // +50
    number(c, T0 + 15 * S, s0, 250); // +100
    number(c, T0 + 25 * S, s1, 30); // new start time: a reset, 30 since
    number(c, T0 + 32 * S, s1, 70); // +40
    number(c, T0 + 38 * S, s1, 10); // went down with the same start: a reset too, 10 since

    MetricQueryResult result = run("requests", "rate");

    assertThat(values(result))
        .containsExactly(
            Map.entry(0L, 5.0), Map.entry(10L, 10.0), Map.entry(20L, 3.0), Map.entry(30L, 5.0));
    assertThat(result.aggregation().label()).isEqualTo("rate");
    assertThat(run("requests", null).aggregation().label()).isEqualTo("rate");
  }

  @Test
  void aCumulativeRunThatStartedInTheWindowCountsFromItsStart() {
    MetricSeries c =
        storage.addSeries("requests", MetricKind.SUM, AggregationTemporality.CUMULATIVE, true);
    number(c, T0 + 9 * S, T0 + 1 * S, 20); // born at T0 + 1 s: 20 counted since
    number(c, T0 + 12 * S, T0 + 1 * S, 50);

    assertThat(values(run("requests", "rate")))
        .containsExactly(Map.entry(0L, 2.0), Map.entry(10L, 3.0));
  }

  @Test
  void aNonMonotonicCumulativeSumMayGoDownWithoutAReset() {
    MetricSeries c =
        storage.addSeries("queue", MetricKind.SUM, AggregationTemporality.CUMULATIVE, false);
    number(c, T0 - 5 * S, T0 - 100 * S, 100);
    number(c, T0 + 5 * S, T0 - 100 * S, 60);

    assertThat(values(run("queue", "rate"))).containsExactly(Map.entry(0L, -4.0));
    assertThat(run("queue", null).aggregation().label()).isEqualTo("avg");
  }

  @Test
  void rateOfADeltaSumIsTheSumOfItsDeltasPerSecond() {
    MetricSeries d = storage.addSeries("bytes", MetricKind.SUM, AggregationTemporality.DELTA, true);
    number(d, T0 + 1 * S, T0, 10);
    number(d, T0 + 2 * S, T0 + 1 * S, 20);
    number(d, T0 + 12 * S, T0 + 2 * S, 5);

    assertThat(values(run("bytes", "rate")))
        .containsExactly(Map.entry(0L, 3.0), Map.entry(10L, 0.5));
    assertThat(values(run("bytes", "sum")))
        .containsExactly(Map.entry(0L, 30.0), Map.entry(10L, 5.0));
  }

  @Test
  void gaugesAggregateTheValuesOfEachBucket() {
    MetricSeries g =
        storage.addSeries(
            "temperature", MetricKind.GAUGE, AggregationTemporality.UNSPECIFIED, false);
    number(g, T0 + 1 * S, 0, 1);
    number(g, T0 + 2 * S, 0, 3);
    number(g, T0 + 3 * S, 0, 8);
    number(g, T0 + 31 * S, 0, -2);

    assertThat(values(run("temperature", "avg")))
        .containsExactly(Map.entry(0L, 4.0), Map.entry(30L, -2.0));
    assertThat(values(run("temperature", "sum")).get(0L)).isEqualTo(12.0);
    assertThat(values(run("temperature", "min")).get(0L)).isEqualTo(1.0);
    assertThat(values(run("temperature", "max")).get(0L)).isEqualTo(8.0);
    assertThat(values(run("temperature", "count")).get(0L)).isEqualTo(3.0);
    assertThat(run("temperature", null).aggregation().label()).isEqualTo("avg");
  }

  @Test
  void cumulativeSumsReadAsTheirLatestTotalInEachBucket() {
    MetricSeries a =
        storage.addSeries(
            "total", MetricKind.SUM, AggregationTemporality.CUMULATIVE, true, label("k", "a"));
    MetricSeries b =
        storage.addSeries(
            "total", MetricKind.SUM, AggregationTemporality.CUMULATIVE, true, label("k", "b"));
    number(a, T0 + 1 * S, T0 - S, 90);
    number(a, T0 + 2 * S, T0 - S, 100);
    number(b, T0 + 3 * S, T0 - S, 200);

    assertThat(values(run("total", "sum"))).containsExactly(Map.entry(0L, 300.0));
    assertThat(values(run("total", "avg"))).containsExactly(Map.entry(0L, 150.0));
    assertThat(values(run("total", "count"))).containsExactly(Map.entry(0L, 3.0));
  }

  @Test
  void groupByMakesOneSeriesPerLabelValueFromLabelsOrResource() {
    MetricSeries get =
        storage.addSeries(
            "calls", MetricKind.SUM, AggregationTemporality.DELTA, true, label("method", "GET"));
    MetricSeries get2 =
        storage.addSeries(
            "calls",
            MetricKind.SUM,
            AggregationTemporality.DELTA,
            true,
            label("method", "GET"),
            label("route", "/b"));
    MetricSeries post =
        storage.addSeries(
            "calls", MetricKind.SUM, AggregationTemporality.DELTA, true, label("method", "POST"));
    MetricSeries none =
        storage.addSeries("calls", MetricKind.SUM, AggregationTemporality.DELTA, true);
    number(get, T0 + 1 * S, T0, 10);
    number(get2, T0 + 2 * S, T0, 30);
    number(post, T0 + 3 * S, T0, 7);
    number(none, T0 + 4 * S, T0, 1);

    MetricQueryResult byMethod =
        service
            .queryMetric(TenantId.DEFAULT, query("calls", "sum", Optional.of("method")))
            .orElseThrow();

    assertThat(byMethod.series())
        .extracting(MetricQueryResult.Series::labels)
        .containsExactly(Map.of("method", ""), Map.of("method", "GET"), Map.of("method", "POST"));
    assertThat(byMethod.series())
        .extracting(MetricQueryResult.Series::seriesCount)
        .containsExactly(1, 2, 1);
    assertThat(values(byMethod.series().get(1))).containsExactly(Map.entry(0L, 40.0));
    assertThat(values(byMethod.series().get(2))).containsExactly(Map.entry(0L, 7.0));

    MetricQueryResult byService =
        service
            .queryMetric(TenantId.DEFAULT, query("calls", "sum", Optional.of("service.name")))
            .orElseThrow();
    assertThat(byService.series())
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).isEqualTo(Map.of("service.name", "checkout")));
    assertThat(values(byService)).containsExactly(Map.entry(0L, 48.0));

    MetricQuery onlyPost =
        new MetricQuery(
            "calls",
            Optional.empty(),
            Map.of("method", "POST"),
            new TimeRange(T0, T0 + 40 * S),
            10 * S,
            Optional.empty(),
            Optional.empty());
    assertThat(values(service.queryMetric(TenantId.DEFAULT, onlyPost).orElseThrow()))
        .containsExactly(Map.entry(0L, 0.7));
  }

  @Test
  void bucketsAreAlignedOnMultiplesOfTheStep() {
    MetricSeries g =
        storage.addSeries(
            "temperature", MetricKind.GAUGE, AggregationTemporality.UNSPECIFIED, false);
    number(g, T0 + 1 * S, 0, 1); // before start, in the first (aligned) bucket
    number(g, T0 + 24 * S, 0, 5);
    number(g, T0 + 26 * S, 0, 9); // after end: not read

    MetricQuery q =
        new MetricQuery(
            "temperature",
            Optional.empty(),
            Map.of(),
            new TimeRange(T0 + 3 * S, T0 + 25 * S),
            10 * S,
            Optional.empty(),
            Optional.empty());
    MetricQueryResult result = service.queryMetric(TenantId.DEFAULT, q).orElseThrow();

    assertThat(result.alignedStartUnixNano()).isEqualTo(T0);
    assertThat(result.bucketCount()).isEqualTo(3);
    assertThat(values(result)).containsExactly(Map.entry(0L, 1.0), Map.entry(20L, 5.0));
  }

  private void histogram(MetricSeries s, long time, long start, long[] counts, double sum) {
    long count = 0;
    for (long c : counts) {
      count += c;
    }
    HistogramValue value =
        new HistogramValue(count, OptionalDouble.of(sum), NONE, NONE, boxed(counts), TENS);
    storage.histograms.add(new HistogramPoint(s.id(), time, start, value, List.of()));
  }

  private static List<Long> boxed(long[] counts) {
    return java.util.Arrays.stream(counts).boxed().toList();
  }

  private static long[] each(long perBucket, long overflow) {
    long[] counts = new long[11];
    java.util.Arrays.fill(counts, perBucket);
    counts[10] = overflow;
    return counts;
  }

  @Test
  void histogramQuantilesInterpolateInsideTheBucketOfTheIncrease() {
    MetricSeries h =
        storage.addSeries(
            "latency", MetricKind.HISTOGRAM, AggregationTemporality.CUMULATIVE, false);
    long start = T0 - 100 * S;
    // before the window: 1 per bucket, with 1000 more below 10 and above 100 that the increase
    // must cancel out
    long[] base = each(1, 1000);
    base[0] = 1001;
    histogram(h, T0 - 5 * S, start, base, 1e6);
    // then 10 observations in each bucket of 10 from 0 to 100: uniform over (0, 100]
    long[] later = each(11, 1000);
    later[0] = 1011;
    histogram(h, T0 + 5 * S, start, later, 1e6 + 5000);

    assertThat(values(run("latency", "p50")).get(0L)).isCloseTo(50.0, within(1e-9));
    assertThat(values(run("latency", "p95")).get(0L)).isCloseTo(95.0, within(1e-9));
    assertThat(values(run("latency", "p99.9")).get(0L)).isCloseTo(99.9, within(1e-9));
    assertThat(values(run("latency", "p1")).get(0L)).isCloseTo(1.0, within(1e-9));
    assertThat(values(run("latency", "count")).get(0L)).isEqualTo(100.0);
    assertThat(values(run("latency", "rate")).get(0L)).isEqualTo(10.0);
    assertThat(values(run("latency", "avg")).get(0L)).isEqualTo(50.0);
    assertThat(run("latency", null).aggregation().label()).isEqualTo("p95");
  }

  @Test
  void aHistogramResetCountsItsNewTotals() {
    MetricSeries h =
        storage.addSeries(
            "latency", MetricKind.HISTOGRAM, AggregationTemporality.CUMULATIVE, false);
    histogram(h, T0 - 5 * S, T0 - 100 * S, each(50, 0), 0);
    long[] afterRestart = new long[11];
    afterRestart[4] = 4; // 4 observations in (40, 50], counted since a new start
    histogram(h, T0 + 5 * S, T0 + 1 * S, afterRestart, 180);

    assertThat(values(run("latency", "p50")).get(0L)).isCloseTo(45.0, within(1e-9));
    assertThat(values(run("latency", "count")).get(0L)).isEqualTo(4.0);
  }

  @Test
  void deltaHistogramsAddTheirCountsAndTheOverflowBucketReadsAsTheHighestBound() {
    MetricSeries h =
        storage.addSeries("latency", MetricKind.HISTOGRAM, AggregationTemporality.DELTA, false);
    histogram(h, T0 + 1 * S, T0, each(5, 0), 0);
    histogram(h, T0 + 2 * S, T0 + 1 * S, each(5, 0), 0);
    long[] slow = new long[11];
    slow[10] = 10;
    slow[0] = 90;
    histogram(h, T0 + 11 * S, T0 + 2 * S, slow, 0);

    Map<Long, Double> p50 = values(run("latency", "p50"));
    assertThat(p50.get(0L)).isCloseTo(50.0, within(1e-9));
    assertThat(p50.get(10L)).isCloseTo(10 * 50.0 / 90, within(1e-9)); // first bucket from 0
    assertThat(values(run("latency", "p95")).get(10L)).isEqualTo(100.0);
  }

  private void exponential(
      MetricSeries s, long time, int scale, long zero, int offset, long[] positive) {
    long count = zero;
    for (long c : positive) {
      count += c;
    }
    ExponentialHistogramValue value =
        new ExponentialHistogramValue(
            count,
            NONE,
            NONE,
            NONE,
            scale,
            zero,
            0,
            new Buckets(offset, boxed(positive)),
            Buckets.EMPTY);
    storage.exponential.add(new ExponentialHistogramPoint(s.id(), time, T0, value, List.of()));
  }

  @Test
  void exponentialHistogramQuantilesUseBucketBoundsFromTheScaleAndTheZeroBucket() {
    MetricSeries e =
        storage.addSeries(
            "size", MetricKind.EXPONENTIAL_HISTOGRAM, AggregationTemporality.DELTA, false);
    // scale 0: base 2; buckets (1,2], (2,4], (4,8]
    exponential(e, T0 + 1 * S, 0, 0, 0, new long[] {4, 4, 8});
    // zero bucket (threshold 0: the value 0) and a bucket at offset -1: (0.5, 1]
    exponential(e, T0 + 11 * S, 0, 5, -1, new long[] {5});

    Map<Long, Double> p50 = values(run("size", "p50"));
    assertThat(p50.get(0L)).isCloseTo(4.0, within(1e-9));
    assertThat(values(run("size", "p75")).get(0L)).isCloseTo(6.0, within(1e-9));
    assertThat(values(run("size", "p40")).get(10L)).isEqualTo(0.0);
    assertThat(values(run("size", "p80")).get(10L)).isCloseTo(0.8, within(1e-9));
  }

  @Test
  void exponentialHistogramsOfDifferentScalesMergeAtTheCoarserOne() {
    MetricSeries a =
        storage.addSeries(
            "size",
            MetricKind.EXPONENTIAL_HISTOGRAM,
            AggregationTemporality.DELTA,
            false,
            label("k", "a"));
    MetricSeries b =
        storage.addSeries(
            "size",
            MetricKind.EXPONENTIAL_HISTOGRAM,
            AggregationTemporality.DELTA,
            false,
            label("k", "b"));
    exponential(a, T0 + 1 * S, 0, 0, 0, new long[] {4, 4, 8});
    // scale 1 (base √2): indexes 2 and 3 are (2, 2.83] and (2.83, 4], i.e. index 1 at scale 0
    exponential(b, T0 + 2 * S, 1, 0, 2, new long[] {2, 2});

    // merged at scale 0: (1,2]: 4, (2,4]: 8, (4,8]: 8; rank 10 lies 6/8 into (2,4]
    assertThat(values(run("size", "p50")).get(0L)).isCloseTo(3.5, within(1e-9));
  }

  @Test
  void cumulativeExponentialHistogramsUseTheIncreaseAcrossAScaleChange() {
    MetricSeries e =
        storage.addSeries(
            "size", MetricKind.EXPONENTIAL_HISTOGRAM, AggregationTemporality.CUMULATIVE, false);
    exponential(e, T0 - 5 * S, 1, 0, 0, new long[] {10, 10}); // (1, 1.41], (1.41, 2]
    exponential(e, T0 + 5 * S, 0, 0, 0, new long[] {20, 8}); // downscaled: +0 in (1,2], +8 (2,4]

    assertThat(values(run("size", "p50")).get(0L)).isCloseTo(3.0, within(1e-9));
    assertThat(values(run("size", "count")).get(0L)).isEqualTo(8.0);
  }

  @Test
  void exemplarsInTheRangeComeWithTheirOutputSeriesBounded() {
    MetricSeries g =
        storage.addSeries(
            "temperature", MetricKind.GAUGE, AggregationTemporality.UNSPECIFIED, false);
    TraceId trace = TraceId.fromHex("5b8efff798038103d269b633813fc60c");
    SpanId span = SpanId.fromHex("eee19b7ec3c1b174");
    storage.numbers.add(
        new NumberPoint(
            g.id(),
            T0 - 5 * S,
            0,
            1,
            List.of(new MetricExemplar(T0 - 5 * S, 1, trace, span)))); // before the range
    List<MetricExemplar> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      many.add(new MetricExemplar(T0 + S + i, i, trace, span));
    }
    storage.numbers.add(new NumberPoint(g.id(), T0 + S, 0, 1, many));

    List<MetricExemplar> shown = run("temperature", "avg").series().get(0).exemplars();

    assertThat(shown).hasSize(MetricGroup.MAX_EXEMPLARS);
    assertThat(shown).allSatisfy(x -> assertThat(x.timeUnixNano()).isGreaterThan(T0));
    assertThat(shown.get(0).traceId()).isEqualTo(trace);
    assertThat(shown.get(99).value()).isEqualTo(297.0);
  }

  @Test
  void anUnknownMetricIsEmptyAndAKnownOneWithoutDataHasNoSeries() {
    assertThat(service.queryMetric(TenantId.DEFAULT, query("nothing", null, Optional.empty())))
        .isEmpty();
    assertThat(
            service.listMetricSeries(
                TenantId.DEFAULT,
                new MetricSeriesSearch(
                    "nothing",
                    Optional.empty(),
                    Optional.empty(),
                    Map.of(),
                    new TimeRange(T0, T0),
                    10)))
        .isEmpty();

    storage.addSeries("temperature", MetricKind.GAUGE, AggregationTemporality.UNSPECIFIED, false);
    MetricQueryResult result = run("temperature", null);
    assertThat(result.series()).singleElement().satisfies(s -> assertThat(s.points()).isEmpty());
    assertThat(
            service
                .listMetricSeries(
                    TenantId.DEFAULT,
                    new MetricSeriesSearch(
                        "temperature",
                        Optional.empty(),
                        Optional.empty(),
                        Map.of(),
                        new TimeRange(T0, T0),
                        10))
                .orElseThrow())
        .hasSize(1);
  }

  @Test
  void badQueriesAreRefusedNamingTheParameter() {
    TimeRange hour = new TimeRange(T0, T0 + 3600 * S);
    assertThatThrownBy(
            () ->
                new MetricQuery(
                    "m", Optional.empty(), Map.of(), hour, 0, Optional.empty(), Optional.empty()))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("step");
    // an hour: 3,601 buckets of a second fit, 36,001 of 100 ms do not
    new MetricQuery("m", Optional.empty(), Map.of(), hour, S, Optional.empty(), Optional.empty());
    assertThatThrownBy(
            () ->
                new MetricQuery(
                    "m",
                    Optional.empty(),
                    Map.of(),
                    hour,
                    S / 10,
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("36001 buckets");
    assertThatThrownBy(() -> MetricAggregation.parse("median"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("agg");
    assertThatThrownBy(() -> MetricAggregation.parse("p100"))
        .isInstanceOf(InvalidQueryException.class);
    assertThatThrownBy(() -> MetricAggregation.parse("p0"))
        .isInstanceOf(InvalidQueryException.class);
    assertThatThrownBy(() -> MetricAggregation.parse("pabc"))
        .isInstanceOf(InvalidQueryException.class);

    storage.addSeries("temperature", MetricKind.GAUGE, AggregationTemporality.UNSPECIFIED, false);
    storage.addSeries("requests", MetricKind.SUM, AggregationTemporality.DELTA, true);
    storage.addSeries("latency", MetricKind.HISTOGRAM, AggregationTemporality.DELTA, false);
    storage.addSeries("legacy", MetricKind.SUMMARY, AggregationTemporality.UNSPECIFIED, false);
    assertThatThrownBy(() -> run("temperature", "rate")).hasMessageContaining("is a gauge");
    assertThatThrownBy(() -> run("requests", "p99")).hasMessageContaining("need a histogram");
    assertThatThrownBy(() -> run("latency", "max")).hasMessageContaining("use a quantile");
    assertThatThrownBy(() -> run("legacy", null)).hasMessageContaining("summary");
  }

  @Test
  void seriesAndPointsReadAreBounded() {
    MetricQueryService small = new MetricQueryService(storage, storage, 2, 3);
    MetricSeries a =
        storage.addSeries("t", MetricKind.GAUGE, AggregationTemporality.UNSPECIFIED, false);
    for (int i = 0; i < 4; i++) {
      number(a, T0 + i * S, 0, i);
    }
    assertThatThrownBy(
            () -> small.queryMetric(TenantId.DEFAULT, query("t", "avg", Optional.empty())))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("more than 3 data points");

    storage.addSeries("t", MetricKind.GAUGE, AggregationTemporality.UNSPECIFIED, false);
    storage.addSeries("t", MetricKind.GAUGE, AggregationTemporality.UNSPECIFIED, false);
    assertThatThrownBy(
            () -> small.queryMetric(TenantId.DEFAULT, query("t", "avg", Optional.empty())))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("more than 2 series");
  }

  @Test
  void metricsOverALongerRangeThanTheLimitAreRefused() {
    assertThatThrownBy(
            () ->
                service.listMetrics(
                    TenantId.DEFAULT,
                    Optional.empty(),
                    new TimeRange(0, java.time.Duration.ofDays(40).toNanos())))
        .isInstanceOf(InvalidQueryException.class);
  }
}
