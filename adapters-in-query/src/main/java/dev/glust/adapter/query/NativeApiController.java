package dev.glust.adapter.query;

import dev.glust.application.port.in.query.log.SearchLogsQuery;
import dev.glust.application.port.in.query.service.ListServicesQuery;
import dev.glust.application.port.in.query.trace.LoadTraceQuery;
import dev.glust.application.port.in.query.trace.SearchTracesQuery;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.TraceSearch;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;
import java.util.Optional;

/** The native query API, {@code /api/v1/…} (documented in openapi.yml and docs/api.md). */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING) // queries wait on the database: keep them off the event loop
class NativeApiController {
  private final LoadTraceQuery loadTrace;
  private final SearchTracesQuery searchTraces;
  private final SearchLogsQuery searchLogs;
  private final ListServicesQuery services;

  NativeApiController(
      LoadTraceQuery loadTrace,
      SearchTracesQuery searchTraces,
      SearchLogsQuery searchLogs,
      ListServicesQuery services) {
    this.loadTrace = loadTrace;
    this.searchTraces = searchTraces;
    this.searchLogs = searchLogs;
    this.services = services;
  }

  @Get("/services")
  Map<String, Object> services(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    TimeRange range =
        new QueryParameters(request.getParameters()).range(Clock.nowUnixNano(), Optional.empty());
    return Map.of(
        "services", services.listServices(tenant, range).stream().map(ApiJson::service).toList());
  }

  @Get("/services/{service}/operations")
  Map<String, Object> operations(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant,
      String service,
      HttpRequest<?> request) {
    TimeRange range =
        new QueryParameters(request.getParameters()).range(Clock.nowUnixNano(), Optional.empty());
    return Map.of(
        "operations",
        services.listOperations(tenant, service, range).stream().map(ApiJson::operation).toList());
  }

  @Get("/traces/{traceId}")
  HttpResponse<Map<String, Object>> trace(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, String traceId) {
    return loadTrace
        .loadTrace(tenant, QueryParameters.parseTraceId("traceId", traceId))
        .map(trace -> HttpResponse.ok(ApiJson.trace(trace)))
        .orElseGet(
            () ->
                HttpResponse.<Map<String, Object>>status(HttpStatus.NOT_FOUND)
                    .body(Map.of("error", "trace " + traceId.toLowerCase() + " not found")));
  }

  @Get("/traces")
  Map<String, Object> searchTraces(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    Optional<ApiCursor> cursor = ApiCursor.decode(p.text("cursor"));
    TimeRange range = p.range(Clock.nowUnixNano(), cursor.map(ApiCursor::pinnedEndUnixNano));
    Optional<String> status = p.text("status");
    if (status.isPresent() && !status.get().equalsIgnoreCase("error")) {
      throw new InvalidQueryException("status", "only status=error is supported");
    }
    TraceSearch search =
        new TraceSearch(
            p.text("service"),
            p.text("operation"),
            p.duration("minDuration"),
            p.duration("maxDuration"),
            status.isPresent(),
            p.attributes(),
            range,
            new PageRequest(p.limit(), cursor.map(ApiCursor::position)));
    return ApiJson.page(
        "traces",
        searchTraces.searchTraces(tenant, search),
        ApiJson::traceSummary,
        range.endUnixNano());
  }

  @Get("/logs")
  Map<String, Object> searchLogs(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    Optional<ApiCursor> cursor = ApiCursor.decode(p.text("cursor"));
    TimeRange range = p.range(Clock.nowUnixNano(), cursor.map(ApiCursor::pinnedEndUnixNano));
    LogSearch search =
        p.logSearch(range, new PageRequest(p.limit(), cursor.map(ApiCursor::position)));
    return ApiJson.page(
        "logs", searchLogs.searchLogs(tenant, search), ApiJson::log, range.endUnixNano());
  }
}
