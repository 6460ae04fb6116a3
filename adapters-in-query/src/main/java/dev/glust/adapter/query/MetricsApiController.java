package dev.glust.adapter.query;

import dev.glust.application.port.in.query.metric.ListMetricSeriesQuery;
import dev.glust.application.port.in.query.metric.ListMetricsQuery;
import dev.glust.application.port.in.query.metric.MetricAggregation;
import dev.glust.application.port.in.query.metric.MetricQuery;
import dev.glust.application.port.in.query.metric.MetricQueryResult;
import dev.glust.application.port.in.query.metric.QueryMetricQuery;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.MetricExemplar;
import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics part of the native API: the catalog, a metric's series, and a metric aggregated over
 * time ({@code /api/v1/metrics…}, documented in openapi.yml and docs/api.md). An unknown metric
 * name is a 404; a known one without data in the range is an empty list.
 */
@Controller("/api/v1/metrics")
@ExecuteOn(TaskExecutors.BLOCKING) // queries wait on the database: keep them off the event loop
class MetricsApiController {
  /** Without {@code step}, the range is cut into about this many buckets. */
  static final int DEFAULT_BUCKETS = 120;

  private final ListMetricsQuery metrics;
  private final ListMetricSeriesQuery series;
  private final QueryMetricQuery query;

  MetricsApiController(
      ListMetricsQuery metrics, ListMetricSeriesQuery series, QueryMetricQuery query) {
    this.metrics = metrics;
    this.series = series;
    this.query = query;
  }

  @Get
  Map<String, Object> metrics(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    TimeRange range = p.range(Clock.nowUnixNano(), Optional.empty());
    return Map.of(
        "metrics",
        metrics.listMetrics(tenant, p.text("service"), range).stream()
            .map(MetricsApiController::summary)
            .toList());
  }

  @Get("/{name}/series")
  HttpResponse<Map<String, Object>> series(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant,
      String name,
      HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    TimeRange range = p.range(Clock.nowUnixNano(), Optional.empty());
    int limit =
        p.text("limit")
            .map(v -> QueryParameters.parseInt("limit", v))
            .orElse(MetricSeriesSearch.DEFAULT_LIMIT);
    if (limit < 1 || limit > MetricSeriesSearch.MAX_LIMIT) {
      throw new InvalidQueryException("limit", "must be 1.." + MetricSeriesSearch.MAX_LIMIT);
    }
    // one more than shown tells whether there are more
    MetricSeriesSearch search =
        new MetricSeriesSearch(
            name, Optional.empty(), p.text("service"), p.attributes(), range, limit + 1);
    return series
        .listMetricSeries(tenant, search)
        .map(
            found -> {
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("metric", name);
              out.put(
                  "series",
                  found.stream().limit(limit).map(MetricsApiController::seriesJson).toList());
              out.put("more", found.size() > limit);
              return HttpResponse.ok(out);
            })
        .orElseGet(() -> notFound(name));
  }

  @Get("/{name}/query")
  HttpResponse<Map<String, Object>> query(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant,
      String name,
      HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    TimeRange range = p.range(Clock.nowUnixNano(), Optional.empty());
    long step = p.duration("step").orElseGet(() -> ChartStep.defaultStep(range, DEFAULT_BUCKETS));
    MetricQuery q =
        new MetricQuery(
            name,
            p.text("service"),
            p.attributes(),
            range,
            step,
            p.text("agg").map(MetricAggregation::parse),
            p.text("by"));
    return query
        .queryMetric(tenant, q)
        .map(result -> HttpResponse.ok(result(result, range)))
        .orElseGet(() -> notFound(name));
  }

  private static MutableHttpResponse<Map<String, Object>> notFound(String name) {
    return HttpResponse.<Map<String, Object>>status(HttpStatus.NOT_FOUND)
        .body(Map.of("error", "metric " + name + " not found"));
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, Object> summary(MetricSummary m) {
    Map<String, Object> out = ApiJson.ordered("name", m.name(), "kind", m.kind().label());
    out.put("unit", m.unit());
    out.put("description", m.description());
    out.put("temporality", lower(m.temporality()));
    out.put("monotonic", m.monotonic());
    out.put("labelKeys", m.labelKeys());
    out.put("seriesCount", m.seriesCount());
    return out;
  }

  private static Map<String, Object> seriesJson(MetricSeries s) {
    Map<String, Object> out = ApiJson.ordered("id", s.id(), "serviceName", s.serviceName());
    out.put("kind", s.kind().label());
    out.put("temporality", lower(s.temporality()));
    out.put("monotonic", s.monotonic());
    out.put("unit", s.unit());
    out.put("labels", ApiJson.attributes(s.labels()));
    out.put("resource", ApiJson.attributes(s.resource()));
    out.put("scope", ApiJson.ordered("name", s.scopeName(), "version", s.scopeVersion()));
    return out;
  }

  private static Map<String, Object> result(MetricQueryResult r, TimeRange range) {
    Map<String, Object> out = ApiJson.ordered("metric", r.metricName(), "kind", r.kind().label());
    out.put("unit", r.unit());
    out.put("agg", r.aggregation().label());
    out.put("startUnixNano", Long.toString(r.alignedStartUnixNano()));
    out.put("endUnixNano", Long.toString(range.endUnixNano()));
    out.put("stepNanos", r.stepNanos());
    out.put("buckets", r.bucketCount());
    out.put("series", r.series().stream().map(MetricsApiController::outputSeries).toList());
    return out;
  }

  private static Map<String, Object> outputSeries(MetricQueryResult.Series s) {
    Map<String, Object> out = ApiJson.ordered("labels", s.labels(), "seriesCount", s.seriesCount());
    out.put(
        "points",
        s.points().stream()
            .map(
                pt ->
                    ApiJson.ordered(
                        "startUnixNano", Long.toString(pt.startUnixNano()), "value", pt.value()))
            .toList());
    out.put("exemplars", s.exemplars().stream().map(MetricsApiController::exemplar).toList());
    return out;
  }

  private static Map<String, Object> exemplar(MetricExemplar e) {
    Map<String, Object> out =
        ApiJson.ordered(
            "timeUnixNano",
            Long.toUnsignedString(e.timeUnixNano()),
            "value",
            Double.isFinite(e.value()) ? (Object) e.value() : Double.toString(e.value()));
    out.put("traceId", e.traceId() == null ? null : e.traceId().toHex());
    out.put("spanId", e.spanId() == null ? null : e.spanId().toHex());
    return out;
  }
}
