package dev.glust.adapter.query;

import dev.glust.application.port.in.query.service.ListServicesQuery;
import dev.glust.application.port.in.query.trace.LoadTraceQuery;
import dev.glust.application.port.in.query.trace.SearchTracesQuery;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.TraceSearch;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Jaeger's query HTTP API ({@code /api/services}, {@code /api/traces}, …), so that Grafana's Jaeger
 * data source and Jaeger UI clients work unchanged. Times are unix microseconds, as in Jaeger.
 */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
class JaegerApiController {
  /** Jaeger's query service searches the last 2 days unless told otherwise. */
  private static final long DEFAULT_LOOKBACK_NANOS = 2 * QueryParameters.DAY_NANOS;

  private static final int DEFAULT_LIMIT = 20;

  private final LoadTraceQuery loadTrace;
  private final SearchTracesQuery searchTraces;
  private final ListServicesQuery services;
  private final JsonMapper jsonMapper;
  private final JaegerJson json;

  JaegerApiController(
      LoadTraceQuery loadTrace,
      SearchTracesQuery searchTraces,
      ListServicesQuery services,
      JsonMapper jsonMapper) {
    this.loadTrace = loadTrace;
    this.searchTraces = searchTraces;
    this.services = services;
    this.jsonMapper = jsonMapper;
    this.json = new JaegerJson(jsonMapper);
  }

  @Get("/services")
  Map<String, Object> services(@RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant) {
    return JaegerJson.envelope(services.listServiceNames(tenant));
  }

  @Get("/services/{service}/operations")
  Map<String, Object> operations(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, String service) {
    return JaegerJson.envelope(
        operationsOf(tenant, service).stream().map(Operation::name).distinct().toList());
  }

  /** Jaeger's newer form: {@code /api/operations?service=&spanKind=}. */
  @Get("/operations")
  Map<String, Object> operationsWithKinds(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    String service =
        p.text("service").orElseThrow(() -> new InvalidQueryException("service", "is required"));
    Optional<String> kind = p.text("spanKind").map(k -> k.toUpperCase(Locale.ROOT));
    return JaegerJson.envelope(
        operationsOf(tenant, service).stream()
            .filter(o -> kind.isEmpty() || o.kind().name().equals(kind.get()))
            .map(
                o -> Map.of("name", o.name(), "spanKind", o.kind().name().toLowerCase(Locale.ROOT)))
            .toList());
  }

  private List<Operation> operationsOf(TenantId tenant, String service) {
    return services.listOperations(
        tenant, service, TimeRange.lastNanos(Clock.nowUnixNano(), DEFAULT_LOOKBACK_NANOS));
  }

  @Get("/traces/{traceId}")
  HttpResponse<Map<String, Object>> trace(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, String traceId) {
    return loadTrace
        .loadTrace(tenant, QueryParameters.parseTraceId("traceID", padTraceId(traceId)))
        .map(trace -> HttpResponse.ok(JaegerJson.envelope(List.of(json.trace(trace)))))
        .orElseGet(
            () -> {
              Map<String, Object> body = JaegerJson.envelope(null);
              body.put("errors", List.of(ApiJson.ordered("code", 404, "msg", "trace not found")));
              return HttpResponse.<Map<String, Object>>status(HttpStatus.NOT_FOUND).body(body);
            });
  }

  @Get("/traces")
  Map<String, Object> searchTraces(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    HttpParameters parameters = request.getParameters();
    QueryParameters p = new QueryParameters(parameters);
    String service =
        p.text("service").orElseThrow(() -> new InvalidQueryException("service", "is required"));
    long now = Clock.nowUnixNano();
    long end = p.text("end").map(v -> micros("end", v)).orElse(now);
    long lookback =
        p.text("lookback")
            .filter(l -> !l.equals("custom"))
            .map(l -> QueryParameters.parseDuration("lookback", l))
            .orElse(DEFAULT_LOOKBACK_NANOS);
    long start = p.text("start").map(v -> micros("start", v)).orElse(end - lookback);
    if (start > end) {
      throw new InvalidQueryException("start", "must not be after end");
    }
    int limit =
        p.text("limit").map(v -> QueryParameters.parseInt("limit", v)).orElse(DEFAULT_LIMIT);
    TraceSearch search =
        new TraceSearch(
            Optional.of(service),
            p.text("operation"),
            p.duration("minDuration"),
            p.duration("maxDuration"),
            false,
            tags(parameters),
            new TimeRange(start, end),
            PageRequest.first(Math.min(Math.max(limit, 1), PageRequest.MAX_LIMIT)));
    return JaegerJson.envelope(
        searchTraces.loadTraces(tenant, search).stream().map(json::trace).toList());
  }

  /** {@code tags={"k":"v"}} (JSON, as the Jaeger UI sends) and {@code tag=k:v} (repeatable). */
  private Map<String, String> tags(HttpParameters parameters) {
    Map<String, String> out = new LinkedHashMap<>();
    Optional<String> tags = parameters.getFirst("tags").filter(t -> !t.isBlank());
    if (tags.isPresent()) {
      try {
        Map<?, ?> parsed = jsonMapper.readValue(tags.get(), Map.class);
        parsed.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
      } catch (IOException | RuntimeException e) {
        throw new InvalidQueryException("tags", "expected a JSON object of strings");
      }
    }
    for (String tag : parameters.getAll("tag")) {
      int colon = tag.indexOf(':');
      if (colon <= 0) {
        throw new InvalidQueryException("tag", "expected key:value, got " + tag);
      }
      out.put(tag.substring(0, colon), tag.substring(colon + 1));
    }
    return out;
  }

  private static long micros(String name, String value) {
    return Math.multiplyExact(QueryParameters.parseLong(name, value), 1000L);
  }

  /** Jaeger clients may drop leading zeros of a trace id. */
  private static String padTraceId(String id) {
    return id.length() < 32 && !id.isEmpty() ? "0".repeat(32 - id.length()) + id : id;
  }
}
