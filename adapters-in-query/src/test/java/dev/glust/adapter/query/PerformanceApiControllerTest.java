package dev.glust.adapter.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.in.query.performance.CallStats;
import dev.glust.application.port.in.query.performance.DependencyGraph;
import dev.glust.application.port.in.query.performance.OperationPerformance;
import dev.glust.application.port.in.query.performance.OperationsPerformance;
import dev.glust.application.port.in.query.performance.PerformancePoint;
import dev.glust.application.port.in.query.performance.PerformanceSearch;
import dev.glust.application.port.in.query.performance.PerformanceStats;
import dev.glust.application.port.in.query.performance.ReadServicePerformanceQuery;
import dev.glust.application.port.in.query.performance.ServicePerformance;
import dev.glust.application.port.in.query.performance.ServicesPerformance;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PerformanceApiControllerTest {
  private static final long T0 = 1_700_000_100_000_000_000L;
  private static final long MINUTE = 60_000_000_000L;

  private static final PerformanceStats BUSY =
      new PerformanceStats(
          new CallStats(120, 6, 2, 0.05),
          OptionalDouble.of(10),
          OptionalDouble.of(95.5),
          OptionalDouble.of(120));
  private static final PerformanceStats IDLE =
      new PerformanceStats(
          new CallStats(0, 0, 0, 0),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          OptionalDouble.empty());

  private final List<PerformanceSearch> searches = new ArrayList<>();
  private final PerformanceApiController controller =
      new PerformanceApiController(
          new ReadServicePerformanceQuery() {
            @Override
            public ServicesPerformance readServicesPerformance(
                TenantId tenant, PerformanceSearch search) {
              searches.add(search);
              return new ServicesPerformance(
                  T0, search.stepNanos(), List.of(new ServicePerformance("api", BUSY, series())));
            }

            @Override
            public OperationsPerformance readOperationsPerformance(
                TenantId tenant, String service, PerformanceSearch search) {
              searches.add(search);
              return new OperationsPerformance(
                  service,
                  T0,
                  search.stepNanos(),
                  BUSY,
                  series(),
                  List.of(
                      new OperationPerformance(
                          "GET /items", SpanKind.SERVER, BUSY, 12.5, series())));
            }
          },
          (tenant, range) ->
              new DependencyGraph(
                  T0,
                  range.endUnixNano(),
                  List.of(new DependencyGraph.Node("cart", new CallStats(60, 0, 0.5, 0))),
                  List.of(
                      new DependencyGraph.Edge(
                          "frontend", "cart", new CallStats(60, 3, 0.5, 0.05)))));

  private static List<PerformancePoint> series() {
    return List.of(new PerformancePoint(T0, BUSY), new PerformancePoint(T0 + MINUTE, IDLE));
  }

  private static MutableHttpRequest<?> get(String path, String... nameValues) {
    MutableHttpRequest<?> request = HttpRequest.GET(path);
    Map<String, List<CharSequence>> values = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      values.computeIfAbsent(nameValues[i], n -> new ArrayList<>()).add(nameValues[i + 1]);
    }
    values.forEach((name, v) -> request.getParameters().add(name, v)); // repeated ones as a list
    return request;
  }

  private static Map<String, Object> stats(Object... startAndMore) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < startAndMore.length; i += 2) {
      out.put((String) startAndMore[i], startAndMore[i + 1]);
    }
    return out;
  }

  private static final Map<String, Object> BUSY_JSON =
      stats(
          "calls",
          120L,
          "errors",
          6L,
          "ratePerSecond",
          2.0,
          "errorRatio",
          0.05,
          "p50Ms",
          10.0,
          "p95Ms",
          95.5,
          "p99Ms",
          120.0);

  private static List<Map<String, Object>> seriesJson() {
    Map<String, Object> first = stats("startUnixNano", Long.toString(T0));
    first.putAll(BUSY_JSON);
    Map<String, Object> second = stats("startUnixNano", Long.toString(T0 + MINUTE));
    second.putAll(
        stats(
            "calls",
            0L,
            "errors",
            0L,
            "ratePerSecond",
            0.0,
            "errorRatio",
            0.0,
            "p50Ms",
            null,
            "p95Ms",
            null,
            "p99Ms",
            null));
    return List.of(first, second);
  }

  @Test
  void servicesAnswerInTheDocumentedShapeWithNullQuantilesWithoutCalls() throws IOException {
    Map<String, Object> out =
        controller.services(
            TenantId.DEFAULT,
            get(
                "/api/v1/services/performance",
                "start",
                Long.toString(T0),
                "end",
                Long.toString(T0 + 60 * MINUTE),
                "step",
                "5m"));

    assertThat(searches.get(0).stepNanos()).isEqualTo(5 * MINUTE);
    assertThat(out.keySet())
        .containsExactly("startUnixNano", "endUnixNano", "stepSeconds", "services");
    assertThat(out)
        .containsEntry("startUnixNano", Long.toString(T0))
        .containsEntry("endUnixNano", Long.toString(T0 + 60 * MINUTE))
        .containsEntry("stepSeconds", 300L);
    Map<String, Object> api = stats("name", "api");
    api.putAll(BUSY_JSON);
    api.put("series", seriesJson());
    assertThat(out.get("services")).isEqualTo(List.of(api));
    // quantiles of a step without calls are written as null, not left out
    assertThat(
            new String(JsonMapper.createDefault().writeValueAsBytes(out), StandardCharsets.UTF_8))
        .contains("\"p50Ms\":null,\"p95Ms\":null,\"p99Ms\":null");
  }

  @Test
  void operationsCarryTheServiceFiguresAndEachOperationsKindAndImpact() {
    Map<String, Object> out =
        controller.operations(
            TenantId.DEFAULT,
            "api",
            get(
                "/api/v1/services/api/operations/performance",
                "start",
                Long.toString(T0),
                "end",
                Long.toString(T0 + 60 * MINUTE)));

    // without step: a round one giving about 120 steps, but never under a minute
    assertThat(searches.get(0).stepNanos()).isEqualTo(MINUTE);
    assertThat(out.keySet())
        .containsExactly(
            "service",
            "startUnixNano",
            "endUnixNano",
            "stepSeconds",
            "calls",
            "errors",
            "ratePerSecond",
            "errorRatio",
            "p50Ms",
            "p95Ms",
            "p99Ms",
            "series",
            "operations");
    Map<String, Object> operation = stats("name", "GET /items", "kind", "SERVER");
    operation.putAll(BUSY_JSON);
    operation.put("impact", 12.5);
    operation.put("series", seriesJson());
    assertThat(out.get("operations")).isEqualTo(List.of(operation));
  }

  @Test
  void aStepOfPartMinutesIsABadParameter() {
    assertThatThrownBy(
            () ->
                controller.services(
                    TenantId.DEFAULT, get("/api/v1/services/performance", "step", "90s")))
        .isInstanceOfSatisfying(
            InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo("step"));
  }

  @Test
  void dependenciesListNodesAndEdgesWithTheirCalls() {
    Map<String, Object> out =
        controller.dependencies(
            TenantId.DEFAULT, get("/api/v1/dependencies", "end", Long.toString(T0 + MINUTE)));

    assertThat(out.keySet()).containsExactly("startUnixNano", "endUnixNano", "nodes", "edges");
    assertThat(out.get("nodes"))
        .isEqualTo(
            List.of(
                stats(
                    "name",
                    "cart",
                    "calls",
                    60L,
                    "errors",
                    0L,
                    "ratePerSecond",
                    0.5,
                    "errorRatio",
                    0.0)));
    assertThat(out.get("edges"))
        .isEqualTo(
            List.of(
                stats(
                    "parent",
                    "frontend",
                    "child",
                    "cart",
                    "calls",
                    60L,
                    "errors",
                    3L,
                    "ratePerSecond",
                    0.5,
                    "errorRatio",
                    0.05)));
  }
}
