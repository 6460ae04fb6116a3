package dev.glust.adapter.query;

import dev.glust.application.port.in.query.performance.CallStats;
import dev.glust.application.port.in.query.performance.DependencyGraph;
import dev.glust.application.port.in.query.performance.OperationPerformance;
import dev.glust.application.port.in.query.performance.OperationsPerformance;
import dev.glust.application.port.in.query.performance.PerformancePoint;
import dev.glust.application.port.in.query.performance.PerformanceSearch;
import dev.glust.application.port.in.query.performance.PerformanceStats;
import dev.glust.application.port.in.query.performance.ReadDependenciesQuery;
import dev.glust.application.port.in.query.performance.ReadServicePerformanceQuery;
import dev.glust.application.port.in.query.performance.ServicePerformance;
import dev.glust.application.port.in.query.performance.ServicesPerformance;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Rate, errors and duration per service and operation, and the service dependency graph, from the
 * span rollups ({@code /api/v1/services/performance}, {@code /api/v1/dependencies}; openapi.yml and
 * docs/api.md, "Service performance").
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING) // queries wait on the database: keep them off the event loop
class PerformanceApiController {
  /** Without {@code step}, the range is cut into about this many steps (each at least a minute). */
  static final int DEFAULT_STEPS = 120;

  private static final long MINUTE_NANOS = 60_000_000_000L;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final ReadServicePerformanceQuery performance;
  private final ReadDependenciesQuery dependencies;

  PerformanceApiController(
      ReadServicePerformanceQuery performance, ReadDependenciesQuery dependencies) {
    this.performance = performance;
    this.dependencies = dependencies;
  }

  @Get("/services/performance")
  Map<String, Object> services(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    TimeRange range = p.range(Clock.nowUnixNano(), Optional.empty());
    ServicesPerformance result = performance.readServicesPerformance(tenant, search(p, range));
    Map<String, Object> out = grid(result.startUnixNano(), range, result.stepNanos());
    out.put("services", result.services().stream().map(PerformanceApiController::service).toList());
    return out;
  }

  @Get("/services/{service}/operations/performance")
  Map<String, Object> operations(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant,
      String service,
      HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    TimeRange range = p.range(Clock.nowUnixNano(), Optional.empty());
    OperationsPerformance result =
        performance.readOperationsPerformance(tenant, service, search(p, range));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("service", result.service());
    out.putAll(grid(result.startUnixNano(), range, result.stepNanos()));
    putStats(out, result.stats());
    out.put("series", series(result.series()));
    out.put(
        "operations",
        result.operations().stream().map(PerformanceApiController::operation).toList());
    return out;
  }

  @Get("/dependencies")
  Map<String, Object> dependencies(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    TimeRange range =
        new QueryParameters(request.getParameters()).range(Clock.nowUnixNano(), Optional.empty());
    DependencyGraph graph = dependencies.readDependencies(tenant, range);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("startUnixNano", Long.toString(graph.startUnixNano()));
    out.put("endUnixNano", Long.toString(graph.endUnixNano()));
    out.put(
        "nodes",
        graph.nodes().stream()
            .map(
                n -> {
                  Map<String, Object> node = new LinkedHashMap<>();
                  node.put("name", n.name());
                  putCalls(node, n.calls());
                  return node;
                })
            .toList());
    out.put(
        "edges",
        graph.edges().stream()
            .map(
                e -> {
                  Map<String, Object> edge =
                      ApiJson.ordered("parent", e.parent(), "child", e.child());
                  putCalls(edge, e.calls());
                  return edge;
                })
            .toList());
    return out;
  }

  /** {@code step} as given (whole minutes), else a round one giving about 120 steps. */
  private static PerformanceSearch search(QueryParameters p, TimeRange range) {
    long step =
        p.duration("step")
            .orElseGet(() -> Math.max(ChartStep.defaultStep(range, DEFAULT_STEPS), MINUTE_NANOS));
    return new PerformanceSearch(range, step);
  }

  private static Map<String, Object> grid(long start, TimeRange range, long stepNanos) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("startUnixNano", Long.toString(start));
    out.put("endUnixNano", Long.toString(range.endUnixNano()));
    out.put("stepSeconds", stepNanos / NANOS_PER_SECOND); // whole minutes: an integer
    return out;
  }

  private static Map<String, Object> service(ServicePerformance s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", s.name());
    putStats(out, s.stats());
    out.put("series", series(s.series()));
    return out;
  }

  private static Map<String, Object> operation(OperationPerformance o) {
    Map<String, Object> out = ApiJson.ordered("name", o.name(), "kind", o.kind().name());
    putStats(out, o.stats());
    out.put("impact", o.impact());
    out.put("series", series(o.series()));
    return out;
  }

  private static List<Map<String, Object>> series(List<PerformancePoint> points) {
    return points.stream()
        .map(
            pt -> {
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("startUnixNano", Long.toString(pt.startUnixNano()));
              putStats(out, pt.stats());
              return out;
            })
        .toList();
  }

  /** {@code calls, errors, ratePerSecond, errorRatio, p50Ms, p95Ms, p99Ms} (null: no calls). */
  private static void putStats(Map<String, Object> out, PerformanceStats stats) {
    putCalls(out, stats.calls());
    out.put("p50Ms", orNull(stats.p50Ms()));
    out.put("p95Ms", orNull(stats.p95Ms()));
    out.put("p99Ms", orNull(stats.p99Ms()));
  }

  private static void putCalls(Map<String, Object> out, CallStats calls) {
    out.put("calls", calls.calls());
    out.put("errors", calls.errors());
    out.put("ratePerSecond", calls.ratePerSecond());
    out.put("errorRatio", calls.errorRatio());
  }

  private static Double orNull(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }
}
