package dev.glust.adapter.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.in.query.performance.CallStats;
import dev.glust.application.port.in.query.performance.DependencyGraph;
import dev.glust.application.port.in.query.performance.SpanMetricSeries;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch.Measure;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JaegerMonitorControllerTest {
  /** 2023-11-14T22:15:00Z in unix milliseconds. */
  private static final long END_MS = 1_700_000_100_000L;

  private static final long MS = 1_000_000L;

  private final List<SpanMetricsSearch> searches = new ArrayList<>();
  private final List<TimeRange> ranges = new ArrayList<>();
  private final JaegerMonitorController controller =
      new JaegerMonitorController(
          (tenant, search) -> {
            searches.add(search);
            List<SpanMetricSeries.Point> points =
                List.of(
                    new SpanMetricSeries.Point(END_MS * MS - 60_000 * MS, 1.5),
                    new SpanMetricSeries.Point(END_MS * MS, Double.NaN));
            return List.of(
                new SpanMetricSeries(
                    "api",
                    search.groupByOperation() ? Optional.of("GET /items") : Optional.empty(),
                    points));
          },
          (tenant, range) -> {
            ranges.add(range);
            return new DependencyGraph(
                range.startUnixNano(),
                range.endUnixNano(),
                List.of(),
                List.of(
                    new DependencyGraph.Edge("frontend", "cart", new CallStats(40, 0, 1, 0)),
                    new DependencyGraph.Edge("frontend", "payments", new CallStats(9, 3, 1, 0)),
                    new DependencyGraph.Edge("cart", "redis", new CallStats(80, 0, 1, 0))));
          });

  private static MutableHttpRequest<?> get(String path, String... nameValues) {
    MutableHttpRequest<?> request = HttpRequest.GET(path);
    Map<String, List<CharSequence>> values = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      values.computeIfAbsent(nameValues[i], n -> new ArrayList<>()).add(nameValues[i + 1]);
    }
    values.forEach((name, v) -> request.getParameters().add(name, v)); // repeated ones as a list
    return request;
  }

  @Test
  void theMonitorTabsQueryIsReadWithJaegersParameterNamesAndUnits() {
    Map<String, Object> family =
        controller.calls(
            TenantId.DEFAULT,
            get(
                "/api/metrics/calls",
                "service",
                "api",
                "groupByOperation",
                "true",
                "spanKind",
                "server",
                "spanKind",
                "client",
                "endTs",
                Long.toString(END_MS),
                "lookback",
                "600000",
                "step",
                "60000",
                "ratePer",
                "120000"));

    SpanMetricsSearch search = searches.get(0);
    assertThat(search.measure()).isEqualTo(Measure.CALL_RATE);
    assertThat(search.services()).containsExactly("api");
    assertThat(search.kinds()).containsExactlyInAnyOrder(SpanKind.SERVER, SpanKind.CLIENT);
    assertThat(search.groupByOperation()).isTrue();
    assertThat(search.endUnixNano()).isEqualTo(END_MS * MS);
    assertThat(search.lookbackNanos()).isEqualTo(600_000 * MS);
    assertThat(search.stepNanos()).isEqualTo(60_000 * MS);
    assertThat(search.windowNanos()).isEqualTo(120_000 * MS);

    assertThat(family)
        .containsEntry("name", "service_operation_call_rate")
        .containsEntry("type", "GAUGE")
        .containsEntry("help", "calls/sec, grouped by service & operation");
    List<?> metrics = (List<?>) family.get("metrics");
    Map<?, ?> metric = (Map<?, ?>) metrics.get(0);
    assertThat(metric.get("labels"))
        .isEqualTo(
            List.of(
                Map.of("name", "service_name", "value", "api"),
                Map.of("name", "operation", "value", "GET /items")));
    assertThat(metric.get("metricPoints"))
        .isEqualTo(
            List.of(
                Map.of(
                    "gaugeValue", Map.of("doubleValue", 1.5), "timestamp", "2023-11-14T22:14:00Z"),
                Map.of(
                    "gaugeValue",
                    Map.of("doubleValue", "NaN"),
                    "timestamp",
                    "2023-11-14T22:15:00Z")));
  }

  @Test
  void defaultsAreJaegers() {
    Map<String, Object> family =
        controller.latencies(
            TenantId.DEFAULT, get("/api/metrics/latencies", "service", "api", "quantile", "0.95"));

    SpanMetricsSearch search = searches.get(0);
    assertThat(search.measure()).isEqualTo(Measure.LATENCY);
    assertThat(search.quantile()).isEqualTo(0.95);
    assertThat(search.kinds()).containsExactly(SpanKind.SERVER);
    assertThat(search.groupByOperation()).isFalse();
    assertThat(search.lookbackNanos()).isEqualTo(3_600_000 * MS);
    assertThat(search.stepNanos()).isEqualTo(5_000 * MS);
    assertThat(search.windowNanos()).isEqualTo(600_000 * MS);
    assertThat(family)
        .containsEntry("name", "service_latencies")
        .containsEntry("help", "0.95th quantile latency, grouped by service");
    Map<?, ?> metric = (Map<?, ?>) ((List<?>) family.get("metrics")).get(0);
    assertThat(metric.get("labels"))
        .isEqualTo(List.of(Map.of("name", "service_name", "value", "api")));

    Map<String, Object> errors =
        controller.errors(TenantId.DEFAULT, get("/api/metrics/errors", "service", "api"));
    assertThat(searches.get(1).measure()).isEqualTo(Measure.ERROR_RATIO);
    assertThat(errors).containsEntry("name", "service_error_rate");
  }

  @Test
  void badParametersAreInvalidQueriesNamingThem() {
    assertInvalid("service", () -> controller.calls(TenantId.DEFAULT, get("/api/metrics/calls")));
    assertInvalid(
        "spanKind",
        () ->
            controller.calls(
                TenantId.DEFAULT,
                get("/api/metrics/calls", "service", "a", "spanKind", "server_x")));
    assertInvalid(
        "quantile",
        () ->
            controller.latencies(TenantId.DEFAULT, get("/api/metrics/latencies", "service", "a")));
    assertInvalid(
        "quantile",
        () ->
            controller.latencies(
                TenantId.DEFAULT,
                get("/api/metrics/latencies", "service", "a", "quantile", "1.5")));
    assertInvalid(
        "step",
        () ->
            controller.calls(
                TenantId.DEFAULT, get("/api/metrics/calls", "service", "a", "step", "5s")));
    assertInvalid(
        "groupByOperation",
        () ->
            controller.calls(
                TenantId.DEFAULT,
                get("/api/metrics/calls", "service", "a", "groupByOperation", "yes")));
    assertInvalid(
        "endTs",
        () ->
            controller.dependencies(
                TenantId.DEFAULT, get("/api/dependencies", "endTs", "99999999999999999")));
  }

  private static void assertInvalid(String parameter, Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo(parameter));
  }

  @Test
  void dependenciesAreJaegersLinksOverTheLookbackAndMayBeNarrowedToAService() {
    Map<String, Object> all =
        controller.dependencies(
            TenantId.DEFAULT,
            get("/api/dependencies", "endTs", Long.toString(END_MS), "lookback", "3600000"));

    assertThat(ranges.get(0)).isEqualTo(new TimeRange((END_MS - 3_600_000) * MS, END_MS * MS));
    assertThat(all.get("data"))
        .isEqualTo(
            List.of(
                Map.of("parent", "frontend", "child", "cart", "callCount", 40L),
                Map.of("parent", "frontend", "child", "payments", "callCount", 9L),
                Map.of("parent", "cart", "child", "redis", "callCount", 80L)));
    assertThat(all).containsEntry("total", 3).containsEntry("errors", null);

    Map<String, Object> cart =
        controller.dependencies(TenantId.DEFAULT, get("/api/dependencies", "service", "cart"));
    assertThat((List<?>) cart.get("data")).hasSize(2);
    // Jaeger's default lookback: a day
    TimeRange byDefault = ranges.get(1);
    assertThat(byDefault.endUnixNano() - byDefault.startUnixNano()).isEqualTo(86_400_000 * MS);
  }
}
