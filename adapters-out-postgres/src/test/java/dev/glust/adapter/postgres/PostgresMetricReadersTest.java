package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.MetricRows;
import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.model.MetricExemplar;
import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.application.port.out.LoadMetricPointsPort.ExponentialHistogramPoint;
import dev.glust.application.port.out.LoadMetricPointsPort.HistogramPoint;
import dev.glust.application.port.out.LoadMetricPointsPort.NumberPoint;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The metric catalog and point reader against a real PostgreSQL, rows written with plain SQL. */
class PostgresMetricReadersTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long S = 1_000_000_000L;
  private static final long HOUR = 3600 * S;
  private static final TimeRange AROUND_T0 = new TimeRange(T0 - HOUR, T0 + HOUR);
  private static final String TRACE = "5b8efff798038103d269b633813fc60c";
  private static final String SPAN = "eee19b7ec3c1b174";

  private static PostgresStorage storage;
  private static String getSeries;
  private static String postSeries;
  private static String cartSeries;
  private static String histogramSeries;
  private static String exponentialSeries;

  @BeforeAll
  static void load() throws Exception {
    TestPostgres.Database db = TestPostgres.server().createDatabase();
    storage = PostgresStorage.open(db.settings());
    try (MetricRows rows = new MetricRows(db)) {
      getSeries =
          rows.series("http.server.requests", MetricKind.SUM)
              .temporality(AggregationTemporality.CUMULATIVE)
              .monotonic(true)
              .unit("{request}")
              .labels("{\"method\": \"GET\", \"code\": 200}")
              .seen(T0 - HOUR, T0 + HOUR)
              .insert();
      postSeries =
          rows.series("http.server.requests", MetricKind.SUM)
              .temporality(AggregationTemporality.CUMULATIVE)
              .monotonic(true)
              .unit("{request}")
              .description("Requests served")
              .labels("{\"method\": \"POST\", \"code\": 500, \"route\": \"/pay\"}")
              .seen(T0 - HOUR, T0 + HOUR)
              .insert();
      cartSeries =
          rows.series("http.server.requests", MetricKind.SUM)
              .temporality(AggregationTemporality.CUMULATIVE)
              .monotonic(true)
              .service("cart")
              .labels("{\"method\": \"GET\"}")
              .seen(T0 - HOUR, T0 + HOUR)
              .insert();
      // last seen 3 hours before T0: outside AROUND_T0 even with the hour of lag
      rows.series("old.gauge", MetricKind.GAUGE).seen(T0 - 10 * HOUR, T0 - 3 * HOUR).insert();
      // last seen 30 minutes before the range: last_seen may lag an hour, so it is listed
      rows.series("lagging.gauge", MetricKind.GAUGE)
          .seen(T0 - 10 * HOUR, T0 - HOUR - 30 * 60 * S)
          .insert();
      histogramSeries =
          rows.series("http.server.duration", MetricKind.HISTOGRAM)
              .temporality(AggregationTemporality.DELTA)
              .unit("ms")
              .seen(T0 - HOUR, T0 + HOUR)
              .insert();
      exponentialSeries =
          rows.series("payload.size", MetricKind.EXPONENTIAL_HISTOGRAM)
              .temporality(AggregationTemporality.CUMULATIVE)
              .unit("By")
              .seen(T0 - HOUR, T0 + HOUR)
              .insert();

      rows.number(getSeries, T0 - 1, T0 - HOUR, 1.0, "[]"); // just before the ranges below
      rows.number(
          getSeries,
          T0,
          T0 - HOUR,
          2.5,
          "[{\"timeUnixNano\": "
              + (T0 - 7)
              + ", \"value\": 12.5, \"traceId\": \""
              + TRACE
              + "\", \"spanId\": \""
              + SPAN
              + "\", \"filteredAttributes\": {\"user\": \"u1\"}, \"droppedAttributesCount\": 0},"
              + " {\"timeUnixNano\": 5, \"value\": 3},"
              + " {\"timeUnixNano\": 6, \"value\": {\"doubleValue\": \"NaN\"}}]");
      rows.numberInt(getSeries, T0 + 10 * S, T0 - HOUR, 7);
      rows.numberInt(postSeries, T0 + 5 * S, T0 - HOUR, 1);
      rows.numberInt(getSeries, T0 + 20 * S + 1, T0 - HOUR, 9); // just after the ranges below
      // a day later: another partition
      rows.numberInt(getSeries, T0 + 24 * HOUR, T0 - HOUR, 100);
      rows.histogram(histogramSeries, T0 + S, T0, new double[] {5, 10}, new long[] {1, 2, 3}, null);
      rows.histogram(
          histogramSeries, T0 + 2 * S, T0 + S, new double[] {5, 10}, new long[] {0, 4, 0}, 30.0);
      rows.exponentialHistogram(
          exponentialSeries, T0 + S, T0 - HOUR, 3, 2, -4, new long[] {1, 0, 5}, 1, new long[] {7});
    }
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Test
  void listsMetricsSeenInTheRangeWithTheirLabelKeys() {
    List<MetricSummary> metrics =
        storage.metricCatalog().loadMetrics(TenantId.DEFAULT, Optional.empty(), AROUND_T0, 100);

    assertThat(metrics)
        .extracting(MetricSummary::name)
        .containsExactly(
            "http.server.duration", "http.server.requests", "lagging.gauge", "payload.size");
    MetricSummary requests = metrics.get(1);
    assertThat(requests.kind()).isEqualTo(MetricKind.SUM);
    assertThat(requests.temporality()).isEqualTo(AggregationTemporality.CUMULATIVE);
    assertThat(requests.monotonic()).isTrue();
    assertThat(requests.unit()).isEqualTo("{request}");
    assertThat(requests.description()).isEqualTo("Requests served");
    assertThat(requests.labelKeys()).containsExactly("code", "method", "route");
    assertThat(requests.seriesCount()).isEqualTo(3);
    assertThat(metrics.get(2).labelKeys()).isEmpty();

    assertThat(
            storage
                .metricCatalog()
                .loadMetrics(TenantId.DEFAULT, Optional.of("cart"), AROUND_T0, 100))
        .singleElement()
        .satisfies(m -> assertThat(m.seriesCount()).isEqualTo(1))
        .satisfies(m -> assertThat(m.labelKeys()).containsExactly("method"));
    assertThat(
            storage.metricCatalog().loadMetrics(TenantId.DEFAULT, Optional.empty(), AROUND_T0, 2))
        .hasSize(2);
    assertThat(
            storage
                .metricCatalog()
                .loadMetrics(
                    TenantId.DEFAULT, Optional.empty(), new TimeRange(T0 - 10 * HOUR, T0), 100))
        .extracting(MetricSummary::name)
        .contains("old.gauge");
  }

  @Test
  void knowsTheKindsOfAName() {
    assertThat(storage.metricCatalog().loadMetricKinds(TenantId.DEFAULT, "http.server.requests"))
        .containsExactly(MetricKind.SUM);
    assertThat(storage.metricCatalog().loadMetricKinds(TenantId.DEFAULT, "nothing")).isEmpty();
  }

  private static List<MetricSeries> series(Map<String, String> labels, Optional<String> service) {
    return storage
        .metricCatalog()
        .loadMetricSeries(
            TenantId.DEFAULT,
            new MetricSeriesSearch(
                "http.server.requests", Optional.empty(), service, labels, AROUND_T0, 100));
  }

  @Test
  void filtersSeriesByLabelsResourceAndService() {
    assertThat(series(Map.of(), Optional.empty())).hasSize(3);
    assertThat(series(Map.of("method", "GET"), Optional.empty()))
        .extracting(MetricSeries::id)
        .containsExactlyInAnyOrder(getSeries, cartSeries);
    // the int label 200 matches the text "200"
    assertThat(series(Map.of("code", "200"), Optional.empty()))
        .singleElement()
        .satisfies(s -> assertThat(s.id()).isEqualTo(getSeries))
        .satisfies(s -> assertThat(s.labels().get("code")).contains(AnyValue.of(200L)))
        .satisfies(s -> assertThat(s.labelText("service.name")).isEqualTo("checkout"))
        .satisfies(s -> assertThat(s.scopeName()).isEqualTo("test-scope"));
    assertThat(series(Map.of("service.name", "cart"), Optional.empty()))
        .extracting(MetricSeries::id)
        .containsExactly(cartSeries);
    assertThat(series(Map.of("method", "GET"), Optional.of("checkout")))
        .extracting(MetricSeries::id)
        .containsExactly(getSeries);
    assertThat(series(Map.of("method", "PUT"), Optional.empty())).isEmpty();
    assertThat(
            storage
                .metricCatalog()
                .loadMetricSeries(
                    TenantId.DEFAULT,
                    new MetricSeriesSearch(
                        "http.server.requests",
                        Optional.of(MetricKind.GAUGE),
                        Optional.empty(),
                        Map.of(),
                        AROUND_T0,
                        100)))
        .isEmpty();
  }

  @Test
  void readsNumberPointsOfTheSeriesInTheExactRangeInOrder() {
    List<NumberPoint> points =
        storage
            .metricPoints()
            .loadNumberPoints(
                TenantId.DEFAULT,
                List.of(getSeries, postSeries),
                new TimeRange(T0, T0 + 20 * S),
                100);

    assertThat(points)
        .extracting(NumberPoint::seriesId, NumberPoint::timeUnixNano, NumberPoint::value)
        .containsExactlyInAnyOrder(
            org.assertj.core.api.Assertions.tuple(getSeries, T0, 2.5),
            org.assertj.core.api.Assertions.tuple(getSeries, T0 + 10 * S, 7.0),
            org.assertj.core.api.Assertions.tuple(postSeries, T0 + 5 * S, 1.0));
    NumberPoint first = points.stream().filter(p -> p.timeUnixNano() == T0).findFirst().get();
    assertThat(first.startTimeUnixNano()).isEqualTo(T0 - HOUR);
    assertThat(first.exemplars()).hasSize(3);
    MetricExemplar linked = first.exemplars().get(0);
    assertThat(linked.timeUnixNano()).isEqualTo(T0 - 7);
    assertThat(linked.value()).isEqualTo(12.5);
    assertThat(linked.traceId()).isEqualTo(TraceId.fromHex(TRACE));
    assertThat(linked.spanId()).isEqualTo(SpanId.fromHex(SPAN));
    assertThat(first.exemplars().get(1).traceId()).isNull();
    assertThat(first.exemplars().get(1).value()).isEqualTo(3.0);
    assertThat(first.exemplars().get(2).value()).isNaN();

    assertThat(
            storage
                .metricPoints()
                .loadNumberPoints(
                    TenantId.DEFAULT,
                    List.of(getSeries),
                    new TimeRange(T0 - 10, T0 + 25 * HOUR),
                    100))
        .extracting(NumberPoint::timeUnixNano)
        .containsExactlyInAnyOrder(T0 - 1, T0, T0 + 10 * S, T0 + 20 * S + 1, T0 + 24 * HOUR);
    assertThat(
            storage
                .metricPoints()
                .loadNumberPoints(
                    TenantId.DEFAULT,
                    List.of(getSeries),
                    new TimeRange(T0 - 10, T0 + 25 * HOUR),
                    3))
        .hasSize(3);
    assertThat(
            storage
                .metricPoints()
                .loadNumberPoints(
                    TenantId.DEFAULT,
                    List.of(getSeries),
                    new TimeRange(T0 + HOUR, T0 + 25 * HOUR),
                    10))
        .extracting(NumberPoint::value)
        .containsExactly(100.0);
  }

  @Test
  void readsPointsOverTheWidestRangeWithoutOverflowingItsBounds() {
    assertThat(
            storage
                .metricPoints()
                .loadNumberPoints(
                    TenantId.DEFAULT,
                    List.of(getSeries),
                    new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE),
                    100))
        .extracting(NumberPoint::timeUnixNano)
        .contains(T0 - 1, T0, T0 + 24 * HOUR);
  }

  @Test
  void readsHistogramPointsWithTheirBuckets() {
    List<HistogramPoint> points =
        storage
            .metricPoints()
            .loadHistogramPoints(TenantId.DEFAULT, List.of(histogramSeries), AROUND_T0, 100);

    assertThat(points).hasSize(2);
    assertThat(points.get(0).value().explicitBounds()).containsExactly(5.0, 10.0);
    assertThat(points.get(0).value().bucketCounts()).containsExactly(1L, 2L, 3L);
    assertThat(points.get(0).value().count()).isEqualTo(6);
    assertThat(points.get(0).value().sum()).isEmpty();
    assertThat(points.get(1).value().sum()).hasValue(30.0);
    assertThat(points.get(1).startTimeUnixNano()).isEqualTo(T0 + S);

    List<ExponentialHistogramPoint> exponential =
        storage
            .metricPoints()
            .loadExponentialHistogramPoints(
                TenantId.DEFAULT, List.of(exponentialSeries), AROUND_T0, 100);
    assertThat(exponential)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.value().scale()).isEqualTo(3);
              assertThat(p.value().zeroCount()).isEqualTo(2);
              assertThat(p.value().positive()).isEqualTo(new Buckets(-4, List.of(1L, 0L, 5L)));
              assertThat(p.value().negative()).isEqualTo(new Buckets(1, List.of(7L)));
              assertThat(p.value().count()).isEqualTo(15);
            });
  }
}
