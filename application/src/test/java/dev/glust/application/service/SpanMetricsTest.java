package dev.glust.application.service;

import static dev.glust.application.service.InMemoryRollups.MINUTE;
import static dev.glust.application.service.InMemoryRollups.errorKey;
import static dev.glust.application.service.InMemoryRollups.key;
import static dev.glust.application.service.PerformanceQueryServiceTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.glust.application.port.in.query.metric.MetricAggregation;
import dev.glust.application.port.in.query.metric.MetricQuery;
import dev.glust.application.port.in.query.metric.MetricQueryResult;
import dev.glust.application.port.in.query.performance.PerformancePoint;
import dev.glust.application.port.in.query.performance.PerformanceSearch;
import dev.glust.application.port.in.query.performance.ServicePerformance;
import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.application.port.out.LoadMetricCatalogPort;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.performance.OperationKey;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SpanMetricsTest {
  private static final TimeRange THREE_MINUTES = new TimeRange(T0, T0 + 2 * MINUTE);

  private final InMemoryRollups rollups = new InMemoryRollups();
  private final InMemoryMetrics stored = new InMemoryMetrics();

  /** The stored catalog, listing no metrics of its own. */
  private final LoadMetricCatalogPort catalog =
      new LoadMetricCatalogPort() {
        @Override
        public List<MetricSummary> loadMetrics(
            TenantId tenant, Optional<String> service, TimeRange range, int limit) {
          return List.of();
        }

        @Override
        public List<MetricKind> loadMetricKinds(TenantId tenant, String metricName) {
          return stored.loadMetricKinds(tenant, metricName);
        }

        @Override
        public List<MetricSeries> loadMetricSeries(TenantId tenant, MetricSeriesSearch search) {
          return stored.loadMetricSeries(tenant, search);
        }
      };

  private final SpanMetrics spanMetrics = new SpanMetrics(catalog, stored, rollups);
  private final MetricQueryService metrics = new MetricQueryService(spanMetrics, spanMetrics);
  private final PerformanceQueryService performance = new PerformanceQueryService(rollups, rollups);

  /** api served 1 … 600 ms in the first minute (two writers' rollups), 1 … 300 ms in the second. */
  private void api() {
    rollups.add(
        T0, key("api", "GET /a", SpanKind.SERVER), LongStream.rangeClosed(1, 300).toArray());
    rollups.add(
        T0, key("api", "GET /a", SpanKind.SERVER), LongStream.rangeClosed(301, 600).toArray());
    rollups.add(
        T0 + MINUTE,
        key("api", "GET /a", SpanKind.SERVER),
        LongStream.rangeClosed(1, 270).toArray());
    rollups.add(
        T0 + MINUTE,
        errorKey("api", "GET /a", SpanKind.SERVER),
        LongStream.rangeClosed(271, 300).toArray());
    rollups.addSame(T0, key("web", "GET /", SpanKind.SERVER), 6, 40);
  }

  private MetricQueryResult query(String name, String agg, Map<String, String> labels) {
    return metrics
        .queryMetric(
            TenantId.DEFAULT,
            new MetricQuery(
                name,
                Optional.of("api"),
                labels,
                THREE_MINUTES,
                MINUTE,
                Optional.of(MetricAggregation.parse(agg)),
                Optional.empty()))
        .orElseThrow();
  }

  private ServicePerformance apiPerformance() {
    return performance
        .readServicesPerformance(TenantId.DEFAULT, new PerformanceSearch(THREE_MINUTES, MINUTE))
        .services()
        .get(0);
  }

  @Test
  void aRateOfTheCallsMetricIsTheRollupsCallRate() {
    api();

    MetricQueryResult result = query(SpanMetrics.CALLS, "rate", Map.of());

    assertThat(result.kind()).isEqualTo(MetricKind.SUM);
    assertThat(result.series()).hasSize(1);
    assertThat(result.series().get(0).seriesCount()).isEqualTo(2); // ok and error series
    assertThat(result.series().get(0).points())
        .containsExactly(
            new MetricQueryResult.Point(T0, 10.0), new MetricQueryResult.Point(T0 + MINUTE, 5.0));
    List<PerformancePoint> native_ = apiPerformance().series();
    assertThat(native_.get(0).stats().calls().ratePerSecond()).isEqualTo(10.0);
    assertThat(native_.get(1).stats().calls().ratePerSecond()).isEqualTo(5.0);
    // the errors alone, by their status code
    assertThat(
            query(SpanMetrics.CALLS, "sum", Map.of("status.code", "STATUS_CODE_ERROR"))
                .series()
                .get(0)
                .points())
        .containsExactly(new MetricQueryResult.Point(T0 + MINUTE, 30.0));
  }

  @Test
  void aP95OfTheDurationMetricIsTheRollupsP95() {
    api();

    MetricQueryResult result = query(SpanMetrics.DURATION, "p95", Map.of());

    assertThat(result.kind()).isEqualTo(MetricKind.EXPONENTIAL_HISTOGRAM);
    assertThat(result.unit()).isEqualTo("ms");
    List<PerformancePoint> native_ = apiPerformance().series();
    List<MetricQueryResult.Point> points = result.series().get(0).points();
    assertThat(points)
        .extracting(MetricQueryResult.Point::startUnixNano)
        .containsExactly(T0, T0 + MINUTE);
    for (int i = 0; i < points.size(); i++) {
      double p95 = native_.get(i).stats().p95Ms().getAsDouble();
      assertThat(points.get(i).value()).isCloseTo(p95, within(p95 * 1e-9));
    }
    assertThat(native_.get(0).stats().p95Ms().getAsDouble()).isBetween(570 * 0.978, 570 * 1.022);
  }

  @Test
  void seriesCarryTheConnectorsLabelsAndIdsNoStoredSeriesCanHave() {
    api();

    List<MetricSeries> series =
        metrics
            .listMetricSeries(
                TenantId.DEFAULT,
                new MetricSeriesSearch(
                    SpanMetrics.CALLS,
                    Optional.empty(),
                    Optional.empty(),
                    Map.of("span.name", "GET /"),
                    THREE_MINUTES,
                    10))
            .orElseThrow();

    assertThat(series).hasSize(1);
    MetricSeries web = series.get(0);
    assertThat(web.id()).doesNotMatch("[0-9a-f]*");
    assertThat(web.temporality()).isEqualTo(AggregationTemporality.DELTA);
    assertThat(web.monotonic()).isTrue();
    assertThat(web.labelText("service.name")).isEqualTo("web");
    assertThat(web.labelText("span.kind")).isEqualTo("SPAN_KIND_SERVER");
    assertThat(web.labelText("status.code")).isEqualTo("STATUS_CODE_UNSET");
  }

  @Test
  void keysSurviveTheirIdWhateverTheirNames() {
    OperationKey odd =
        new OperationKey("svc\n:/", "GET /ünï\u0000code", SpanKind.CONSUMER, SpanStatus.Code.OK);

    assertThat(SpanMetrics.decode(SpanMetrics.encode(odd))).contains(odd);
    assertThat(SpanMetrics.decode("not base64!")).isEmpty();
    assertThat(SpanMetrics.decode(SpanMetrics.encode(odd) + "AAAA")).isEmpty();
  }

  @Test
  void theCatalogListsTheSpanMetricsWhenRollupsExistAndStoredMetricsOfTheNameWin() {
    assertThat(spanMetrics.loadMetrics(TenantId.DEFAULT, Optional.empty(), THREE_MINUTES, 10))
        .isEmpty();
    api();

    List<MetricSummary> listed =
        spanMetrics.loadMetrics(TenantId.DEFAULT, Optional.empty(), THREE_MINUTES, 10);

    assertThat(listed)
        .extracting(MetricSummary::name, MetricSummary::kind, MetricSummary::seriesCount)
        .containsExactly(
            tuple(SpanMetrics.CALLS, MetricKind.SUM, 3L),
            tuple(SpanMetrics.DURATION, MetricKind.EXPONENTIAL_HISTOGRAM, 3L));

    MetricSeries real =
        stored.addSeries(SpanMetrics.CALLS, MetricKind.SUM, AggregationTemporality.DELTA, true);
    assertThat(
            spanMetrics.loadMetricSeries(
                TenantId.DEFAULT,
                new MetricSeriesSearch(
                    SpanMetrics.CALLS,
                    Optional.empty(),
                    Optional.empty(),
                    Map.of(),
                    THREE_MINUTES,
                    10)))
        .containsExactly(real);
  }
}
