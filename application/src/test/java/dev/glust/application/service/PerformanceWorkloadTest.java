package dev.glust.application.service;

import static dev.glust.application.service.InMemoryRollups.MINUTE;
import static dev.glust.application.service.PerformanceQueryServiceTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.glust.application.port.in.query.metric.MetricAggregation;
import dev.glust.application.port.in.query.metric.MetricQuery;
import dev.glust.application.port.in.query.metric.MetricQueryResult;
import dev.glust.application.port.in.query.performance.CallStats;
import dev.glust.application.port.in.query.performance.OperationsPerformance;
import dev.glust.application.port.in.query.performance.PerformanceSearch;
import dev.glust.application.port.in.query.performance.PerformanceStats;
import dev.glust.application.port.in.query.performance.ServicePerformance;
import dev.glust.application.port.in.query.performance.SpanMetricSeries;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch.Measure;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.performance.OperationRollups;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A known workload, from spans to every answer: frontend serves 250 checkouts (30 ms) and calls
 * cart 200 times (cart: 150 × 10 ms, 50 × 40 ms) and payments 50 times (payments: 200 ms, 5 of them
 * errors), over two minutes. The rollups are the domain's own ({@link OperationRollups}), split as
 * two writers would store them.
 */
class PerformanceWorkloadTest {
  private static final long MS = 1_000_000L;
  private static final double QUANTILE_ERROR = 0.022;
  private static final TimeRange TWO_MINUTES = new TimeRange(T0, T0 + 2 * MINUTE);

  private final InMemoryRollups rollups = new InMemoryRollups();
  private final PerformanceQueryService performance = new PerformanceQueryService(rollups, rollups);
  private final InMemoryMetrics stored = new InMemoryMetrics();
  private final SpanMetrics spanMetrics = new SpanMetrics(stored, stored, rollups);
  private final MetricQueryService metrics = new MetricQueryService(spanMetrics, spanMetrics);
  private int nextId = 1;

  PerformanceWorkloadTest() {
    List<Span> writerA = new ArrayList<>();
    List<Span> writerB = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      long start = T0 + (i % 2) * MINUTE + i * 100 * MS;
      List<Span> writer = i % 3 == 0 ? writerA : writerB;
      writer.add(span("frontend", "POST /checkout", SpanKind.SERVER, start, 30, false));
      if (i < 200) {
        writer.add(span("frontend", "GET cart", SpanKind.CLIENT, start, 12, false));
        writer.add(span("cart", "GET /cart", SpanKind.SERVER, start, i < 150 ? 10 : 40, false));
      } else {
        boolean error = i >= 245;
        writer.add(span("frontend", "POST pay", SpanKind.CLIENT, start, 202, error));
        writer.add(span("payments", "POST /pay", SpanKind.SERVER, start, 200, error));
      }
    }
    rollups.operations.addAll(OperationRollups.of(writerA));
    rollups.operations.addAll(OperationRollups.of(writerB));
  }

  private Span span(
      String service, String name, SpanKind kind, long start, long millis, boolean error) {
    return new Span(
        new TraceId(1, nextId),
        new SpanId(nextId++),
        "",
        null,
        1,
        name,
        kind,
        start,
        start + millis * MS,
        Attributes.EMPTY,
        List.of(),
        0,
        List.of(),
        0,
        new SpanStatus(error ? SpanStatus.Code.ERROR : SpanStatus.Code.UNSET, ""),
        SampleTelemetry.resource(service),
        SampleTelemetry.scope());
  }

  private static void assertQuantile(double actual, double exact) {
    assertThat(actual).isCloseTo(exact, within(exact * QUANTILE_ERROR));
  }

  @Test
  void theNativeApiCountsExactlyAndReadsQuantilesWithinTheirError() {
    List<ServicePerformance> services =
        performance
            .readServicesPerformance(TenantId.DEFAULT, new PerformanceSearch(TWO_MINUTES, MINUTE))
            .services();

    assertThat(services)
        .extracting(
            ServicePerformance::name,
            s -> s.stats().calls().calls(),
            s -> s.stats().calls().errors())
        .containsExactly(
            tuple("cart", 200L, 0L), tuple("frontend", 250L, 0L), tuple("payments", 50L, 5L));
    PerformanceStats cart = services.get(0).stats();
    assertQuantile(cart.p50Ms().getAsDouble(), 10);
    assertQuantile(cart.p95Ms().getAsDouble(), 40);
    assertThat(services.get(2).stats().calls()).isEqualTo(new CallStats(50, 5, 50 / 120.0, 0.1));

    OperationsPerformance frontend =
        performance.readOperationsPerformance(
            TenantId.DEFAULT, "frontend", new PerformanceSearch(TWO_MINUTES, MINUTE));
    assertThat(frontend.operations())
        .extracting(o -> o.name(), o -> o.stats().calls().calls(), o -> o.stats().calls().errors())
        .containsExactly(
            // impact (ms per s): 50 × 202 ms, 250 × 30 ms, 200 × 12 ms over 120 s
            tuple("POST pay", 50L, 5L),
            tuple("POST /checkout", 250L, 0L),
            tuple("GET cart", 200L, 0L));
    assertThat(frontend.operations().get(0).impact()).isCloseTo(50 * 202 / 120.0, within(1e-9));
    assertQuantile(frontend.operations().get(0).stats().p95Ms().getAsDouble(), 202);
  }

  @Test
  void jaegersMetricsApiAnswersTheSameOverAWindowHoldingTheWorkload() {
    SpanMetricsSearch.Measure[] measures = {Measure.CALL_RATE, Measure.ERROR_RATIO};
    double[] expected = {50 / 600.0, 0.1};
    for (int i = 0; i < measures.length; i++) {
      List<SpanMetricSeries> series = jaeger(measures[i], 0);
      assertThat(series.get(0).points().get(0).value()).isCloseTo(expected[i], within(1e-12));
    }
    assertQuantile(jaeger(Measure.LATENCY, 0.95).get(0).points().get(0).value(), 200);
  }

  /** One point at T0 + 10 min over the 10 minutes before it, for payments. */
  private List<SpanMetricSeries> jaeger(Measure measure, double quantile) {
    return performance.readSpanMetrics(
        TenantId.DEFAULT,
        new SpanMetricsSearch(
            measure,
            quantile,
            Set.of("payments"),
            Set.of(SpanKind.SERVER),
            false,
            T0 + 10 * MINUTE,
            0,
            MINUTE,
            10 * MINUTE));
  }

  @Test
  void theMetricsApiAnswersTheSameFromTheSpanMetrics() {
    MetricQueryResult calls = query(SpanMetrics.CALLS, "sum", "service.name");
    assertThat(calls.series())
        .extracting(s -> s.labels().get("service.name"), s -> sum(s))
        .containsExactly(tuple("cart", 200.0), tuple("frontend", 500.0), tuple("payments", 50.0));

    MetricQueryResult errors =
        metrics
            .queryMetric(
                TenantId.DEFAULT,
                new MetricQuery(
                    SpanMetrics.CALLS,
                    Optional.of("payments"),
                    Map.of("status.code", "STATUS_CODE_ERROR"),
                    TWO_MINUTES,
                    3 * MINUTE,
                    Optional.of(MetricAggregation.parse("sum")),
                    Optional.empty()))
            .orElseThrow();
    assertThat(sum(errors.series().get(0))).isEqualTo(5.0);

    MetricQueryResult p95 =
        metrics
            .queryMetric(
                TenantId.DEFAULT,
                new MetricQuery(
                    SpanMetrics.DURATION,
                    Optional.of("cart"),
                    Map.of(),
                    TWO_MINUTES,
                    3 * MINUTE,
                    Optional.of(MetricAggregation.parse("p95")),
                    Optional.empty()))
            .orElseThrow();
    assertQuantile(p95.series().get(0).points().get(0).value(), 40);
  }

  private MetricQueryResult query(String name, String agg, String by) {
    return metrics
        .queryMetric(
            TenantId.DEFAULT,
            new MetricQuery(
                name,
                Optional.empty(),
                Map.of(),
                TWO_MINUTES,
                MINUTE,
                Optional.of(MetricAggregation.parse(agg)),
                Optional.of(by)))
        .orElseThrow();
  }

  private static double sum(MetricQueryResult.Series series) {
    return series.points().stream().mapToDouble(MetricQueryResult.Point::value).sum();
  }
}
