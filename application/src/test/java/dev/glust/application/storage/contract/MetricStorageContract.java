package dev.glust.application.storage.contract;

import static dev.glust.domain.testing.SampleTelemetry.metric;
import static dev.glust.domain.testing.SampleTelemetry.metricPoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.model.MetricExemplar;
import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.application.port.out.LoadMetricCatalogPort;
import dev.glust.application.port.out.LoadMetricPointsPort;
import dev.glust.application.port.out.LoadMetricPointsPort.ExponentialHistogramPoint;
import dev.glust.application.port.out.LoadMetricPointsPort.HistogramPoint;
import dev.glust.application.port.out.LoadMetricPointsPort.NumberPoint;
import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.application.port.out.Storage;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metric ports of a storage adapter ({@link SaveMetricsPort}, {@link LoadMetricCatalogPort},
 * {@link LoadMetricPointsPort}): a retried batch is stored once, and what was saved reads back as
 * catalog, series and points of every kind the query side charts. A subclass per adapter supplies
 * an empty storage per test.
 */
public abstract class MetricStorageContract {
  /**
   * Now (to the second): PostgreSQL's catalog counts a series as seen when its points were written,
   * which for live telemetry is when they were taken; the port asks for the latter.
   */
  private static final long T0 = System.currentTimeMillis() / 1000 * 1_000_000_000L;

  private static final long SECOND = 1_000_000_000L;
  private static final TimeRange AROUND_T0 = new TimeRange(T0 - 60 * SECOND, T0 + 60 * SECOND);

  private static final Metric REQUESTS = metric("http.requests", MetricKind.SUM);
  private static final Metric QUEUE = metric("queue.size", MetricKind.GAUGE);
  private static final Metric DURATION = metric("http.duration", MetricKind.HISTOGRAM);
  private static final Metric PAYLOAD = metric("payload.size", MetricKind.EXPONENTIAL_HISTOGRAM);

  private Storage storage;

  /** A storage holding nothing, for one test; closed after it. */
  protected abstract Storage openEmptyStorage();

  /**
   * How the contract saves metric points into {@code storage}: through its own port, unless a
   * subclass puts a way in between (a queue and its writer). Saved points must be readable when the
   * call returns.
   */
  protected SaveMetricsPort metricsInto(Storage storage) {
    return storage.metrics();
  }

  @BeforeEach
  void open() {
    storage = openEmptyStorage();
    List<MetricPoint> batch =
        List.of(
            metricPoint(REQUESTS, T0),
            metricPoint(REQUESTS, T0 + 10 * SECOND),
            metricPoint(QUEUE, T0),
            metricPoint(DURATION, T0),
            metricPoint(PAYLOAD, T0));
    metricsInto(storage).saveMetrics(TenantId.DEFAULT, batch);
    metricsInto(storage).saveMetrics(TenantId.DEFAULT, batch); // a retry
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private MetricSeries onlySeries(Metric metric) {
    List<MetricSeries> series =
        storage
            .metricCatalog()
            .loadMetricSeries(
                TenantId.DEFAULT,
                new MetricSeriesSearch(
                    metric.name(), Optional.empty(), Optional.empty(), Map.of(), AROUND_T0, 10));
    assertThat(series).hasSize(1);
    return series.get(0);
  }

  @Test
  void theCatalogListsEachMetricOnceByNameThenKind() {
    assertThat(
            storage.metricCatalog().loadMetrics(TenantId.DEFAULT, Optional.empty(), AROUND_T0, 100))
        .containsExactly(summary(DURATION), summary(REQUESTS), summary(PAYLOAD), summary(QUEUE));
    assertThat(
            storage.metricCatalog().loadMetrics(TenantId.DEFAULT, Optional.empty(), AROUND_T0, 2))
        .containsExactly(summary(DURATION), summary(REQUESTS));
    assertThat(
            storage
                .metricCatalog()
                .loadMetrics(TenantId.DEFAULT, Optional.of("nobody"), AROUND_T0, 100))
        .isEmpty();
    assertThat(storage.metricCatalog().loadMetricKinds(TenantId.DEFAULT, "http.requests"))
        .containsExactly(MetricKind.SUM);
    assertThat(storage.metricCatalog().loadMetricKinds(TenantId.DEFAULT, "nothing")).isEmpty();
  }

  private static MetricSummary summary(Metric metric) {
    return new MetricSummary(
        metric.name(),
        metric.kind(),
        "ms",
        metric.description(),
        metric.temporality(),
        metric.monotonic(),
        List.of("code", "route"),
        1);
  }

  @Test
  void seriesAreFoundByLabelsResourceAndService() {
    MetricSeries requests = onlySeries(REQUESTS);
    assertThat(requests.metricName()).isEqualTo("http.requests");
    assertThat(requests.kind()).isEqualTo(MetricKind.SUM);
    assertThat(requests.temporality()).isEqualTo(AggregationTemporality.CUMULATIVE);
    assertThat(requests.unit()).isEqualTo("ms");
    assertThat(requests.serviceName()).isEqualTo("checkout");
    assertThat(requests.labels().get("code")).contains(AnyValue.of(200L));
    assertThat(requests.labelText("route")).isEqualTo("/checkout");
    assertThat(requests.labelText("host.name")).isEqualTo("h1");
    assertThat(requests.scopeName()).isEqualTo("io.glust.test");
    assertThat(requests.scopeVersion()).isEqualTo("1.2.3");

    assertThat(series(Map.of("code", "200"), Optional.of("checkout"), Optional.empty()))
        .containsExactly(requests);
    assertThat(series(Map.of("host.name", "h1"), Optional.empty(), Optional.of(MetricKind.SUM)))
        .containsExactly(requests);
    assertThat(series(Map.of("code", "500"), Optional.empty(), Optional.empty())).isEmpty();
    assertThat(series(Map.of(), Optional.of("cart"), Optional.empty())).isEmpty();
    assertThat(series(Map.of(), Optional.empty(), Optional.of(MetricKind.GAUGE))).isEmpty();
  }

  /**
   * Points three hours older than their arrival (sent late, or backfilled): a range around their
   * time, which ends long before they arrived, finds their series and points, whether the series is
   * new or was stored (and its row cached by a writer) with a point of now.
   */
  @Test
  void seriesAreFoundByTheTimesOfTheirPointsNotTheirArrival() {
    Metric backfilled = metric("backfilled.gauge", MetricKind.GAUGE);
    long threeHoursAgo = T0 - 3 * 3600 * SECOND;
    metricsInto(storage)
        .saveMetrics(
            TenantId.DEFAULT,
            List.of(metricPoint(backfilled, threeHoursAgo), metricPoint(REQUESTS, threeHoursAgo)));
    TimeRange thatMinute = new TimeRange(threeHoursAgo - 30 * SECOND, threeHoursAgo + 30 * SECOND);

    for (Metric metric : List.of(backfilled, REQUESTS)) {
      List<MetricSeries> found =
          storage
              .metricCatalog()
              .loadMetricSeries(
                  TenantId.DEFAULT,
                  new MetricSeriesSearch(
                      metric.name(), Optional.empty(), Optional.empty(), Map.of(), thatMinute, 10));
      assertThat(found).as(metric.name()).hasSize(1);
      assertThat(
              storage
                  .metricPoints()
                  .loadNumberPoints(TenantId.DEFAULT, List.of(found.get(0).id()), thatMinute, 10))
          .extracting(NumberPoint::timeUnixNano)
          .containsExactly(threeHoursAgo);
    }
    assertThat(
            storage.metricCatalog().loadMetrics(TenantId.DEFAULT, Optional.empty(), thatMinute, 10))
        .extracting(MetricSummary::name)
        .containsExactly("backfilled.gauge", "http.requests");
  }

  private List<MetricSeries> series(
      Map<String, String> labels, Optional<String> service, Optional<MetricKind> kind) {
    return storage
        .metricCatalog()
        .loadMetricSeries(
            TenantId.DEFAULT,
            new MetricSeriesSearch("http.requests", kind, service, labels, AROUND_T0, 10));
  }

  private static List<MetricExemplar> exemplars(long time) {
    return List.of(
        new MetricExemplar(time - 5, 12.5, SampleTelemetry.TRACE_ID, SampleTelemetry.SPAN_ID),
        new MetricExemplar(time - 3, 4.0, null, null));
  }

  @Test
  void numberPointsReadBackAsDoublesWithTheirExemplarsOnlyInTheRange() {
    String requests = onlySeries(REQUESTS).id();
    String queue = onlySeries(QUEUE).id();
    TimeRange firstTen = new TimeRange(T0, T0 + 10 * SECOND - 1);

    assertThat(
            storage
                .metricPoints()
                .loadNumberPoints(TenantId.DEFAULT, List.of(requests, queue), AROUND_T0, 100))
        .containsExactlyInAnyOrder(
            new NumberPoint(
                requests, T0, SampleTelemetry.START_NANOS, 9_007_199_254_740_993d, exemplars(T0)),
            new NumberPoint(
                requests,
                T0 + 10 * SECOND,
                SampleTelemetry.START_NANOS,
                9_007_199_254_740_993d,
                exemplars(T0 + 10 * SECOND)),
            new NumberPoint(queue, T0, SampleTelemetry.START_NANOS, 0.25, exemplars(T0)));
    assertThat(
            storage
                .metricPoints()
                .loadNumberPoints(TenantId.DEFAULT, List.of(requests), firstTen, 100))
        .extracting(NumberPoint::timeUnixNano)
        .containsExactly(T0);
    assertThat(
            storage
                .metricPoints()
                .loadNumberPoints(TenantId.DEFAULT, List.of(requests, queue), AROUND_T0, 2))
        .hasSize(2);
  }

  @Test
  void histogramPointsReadBackWithTheirBucketsWithoutMinAndMax() {
    String duration = onlySeries(DURATION).id();
    String payload = onlySeries(PAYLOAD).id();
    OptionalDouble none = OptionalDouble.empty();

    assertThat(
            storage
                .metricPoints()
                .loadHistogramPoints(TenantId.DEFAULT, List.of(duration), AROUND_T0, 10))
        .containsExactly(
            new HistogramPoint(
                duration,
                T0,
                SampleTelemetry.START_NANOS,
                new HistogramValue(
                    6,
                    OptionalDouble.of(31.5),
                    none,
                    none,
                    List.of(1L, 2L, 3L),
                    List.of(1.0, 10.0)),
                exemplars(T0)));
    assertThat(
            storage
                .metricPoints()
                .loadExponentialHistogramPoints(TenantId.DEFAULT, List.of(payload), AROUND_T0, 10))
        .containsExactly(
            new ExponentialHistogramPoint(
                payload,
                T0,
                SampleTelemetry.START_NANOS,
                new ExponentialHistogramValue(
                    7,
                    OptionalDouble.of(-2.5),
                    none,
                    none,
                    3,
                    1,
                    0.001,
                    new Buckets(-2, List.of(1L, 0L, 3L)),
                    new Buckets(4, List.of(2L))),
                exemplars(T0)));
    assertThat(
            storage
                .metricPoints()
                .loadHistogramPoints(TenantId.DEFAULT, List.of(payload), AROUND_T0, 10))
        .isEmpty();
  }
}
