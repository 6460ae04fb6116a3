package dev.glust.adapter.query;

import dev.glust.application.port.in.query.performance.DependencyGraph;
import dev.glust.application.port.in.query.performance.ReadDependenciesQuery;
import dev.glust.application.port.in.query.performance.ReadSpanMetricsQuery;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch.Measure;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Jaeger's Monitor tab API ({@code /api/metrics/latencies|calls|errors}) and its dependency API
 * ({@code /api/dependencies}), computed from the span rollups, so Jaeger UI's Monitor and System
 * Architecture views work without a span metrics connector, Prometheus or a dependencies job.
 * Parameters, defaults, metric and label names are Jaeger's: times and durations in unix
 * milliseconds, rates over a sliding {@code ratePer} window as its Prometheus reader asks for them.
 */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
class JaegerMonitorController {
  private static final long MS = 1_000_000L;
  private static final long DEFAULT_METRICS_LOOKBACK_MS = 3_600_000L;
  private static final long DEFAULT_STEP_MS = 5_000L;
  private static final long DEFAULT_RATE_PER_MS = 600_000L;
  private static final long DEFAULT_DEPENDENCY_LOOKBACK_MS = 24 * 3_600_000L;

  private final ReadSpanMetricsQuery spanMetrics;
  private final ReadDependenciesQuery dependencies;

  JaegerMonitorController(ReadSpanMetricsQuery spanMetrics, ReadDependenciesQuery dependencies) {
    this.spanMetrics = spanMetrics;
    this.dependencies = dependencies;
  }

  @Get("/metrics/latencies")
  Map<String, Object> latencies(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    String text = request.getParameters().getFirst("quantile").map(String::trim).orElse("");
    double quantile;
    try {
      quantile = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new InvalidQueryException("quantile", "not a number: '" + text + "'");
    }
    return metrics(tenant, request, Measure.LATENCY, quantile);
  }

  @Get("/metrics/calls")
  Map<String, Object> calls(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    return metrics(tenant, request, Measure.CALL_RATE, 0);
  }

  @Get("/metrics/errors")
  Map<String, Object> errors(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    return metrics(tenant, request, Measure.ERROR_RATIO, 0);
  }

  private Map<String, Object> metrics(
      TenantId tenant, HttpRequest<?> request, Measure measure, double quantile) {
    HttpParameters parameters = request.getParameters();
    List<String> services =
        parameters.getAll("service").stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (services.isEmpty()) {
      throw new InvalidQueryException("service", "please provide at least one service name");
    }
    boolean byOperation = bool(parameters, "groupByOperation");
    SpanMetricsSearch search =
        new SpanMetricsSearch(
            measure,
            quantile,
            Set.copyOf(services),
            spanKinds(parameters),
            byOperation,
            millis(parameters, "endTs").orElseGet(Clock::nowUnixNano),
            millis(parameters, "lookback").orElse(DEFAULT_METRICS_LOOKBACK_MS * MS),
            millis(parameters, "step").orElse(DEFAULT_STEP_MS * MS),
            millis(parameters, "ratePer").orElse(DEFAULT_RATE_PER_MS * MS));
    return JaegerJson.metricFamily(search, spanMetrics.readSpanMetrics(tenant, search));
  }

  @Get("/dependencies")
  Map<String, Object> dependencies(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    HttpParameters parameters = request.getParameters();
    long end = millis(parameters, "endTs").orElseGet(Clock::nowUnixNano);
    long lookback = millis(parameters, "lookback").orElse(DEFAULT_DEPENDENCY_LOOKBACK_MS * MS);
    if (lookback < 0) {
      throw new InvalidQueryException("lookback", "must not be negative");
    }
    Optional<String> service = new QueryParameters(parameters).text("service");
    DependencyGraph graph =
        dependencies.readDependencies(tenant, new TimeRange(end - lookback, end));
    return JaegerJson.envelope(
        graph.edges().stream()
            .filter(
                e ->
                    service.isEmpty()
                        || e.parent().equals(service.get())
                        || e.child().equals(service.get()))
            .map(JaegerJson::dependencyLink)
            .toList());
  }

  /** Unix milliseconds or a duration in milliseconds, as nanoseconds. */
  private static Optional<Long> millis(HttpParameters parameters, String name) {
    return new QueryParameters(parameters)
        .text(name)
        .map(
            v -> {
              try {
                return Math.multiplyExact(QueryParameters.parseLong(name, v), MS);
              } catch (ArithmeticException e) {
                throw new InvalidQueryException(name, "out of range: " + v);
              }
            });
  }

  /** Go's boolean spellings ({@code true}, {@code 1}, {@code T}, …), false when absent. */
  private static boolean bool(HttpParameters parameters, String name) {
    Optional<String> value = new QueryParameters(parameters).text(name);
    if (value.isEmpty()) {
      return false;
    }
    return switch (value.get()) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw new InvalidQueryException(name, "not a boolean: " + value.get());
    };
  }

  /** {@code spanKind} (repeatable: server, client, …); SERVER when absent, as in Jaeger. */
  private static Set<SpanKind> spanKinds(HttpParameters parameters) {
    List<String> given = parameters.getAll("spanKind");
    if (given.isEmpty()) {
      return Set.of(SpanKind.SERVER);
    }
    Set<SpanKind> kinds = EnumSet.noneOf(SpanKind.class);
    for (String kind : given) {
      kinds.add(
          switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "unspecified" -> SpanKind.UNSPECIFIED;
            case "internal" -> SpanKind.INTERNAL;
            case "server" -> SpanKind.SERVER;
            case "client" -> SpanKind.CLIENT;
            case "producer" -> SpanKind.PRODUCER;
            case "consumer" -> SpanKind.CONSUMER;
            default ->
                throw new InvalidQueryException(
                    "spanKind", "unsupported span kind: '" + kind + "'");
          });
    }
    return kinds;
  }
}
