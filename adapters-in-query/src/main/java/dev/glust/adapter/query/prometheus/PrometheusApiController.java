package dev.glust.adapter.query.prometheus;

import dev.glust.adapter.query.prometheus.PromSeries.Exemplar;
import dev.glust.adapter.query.prometheus.Value.Matrix;
import dev.glust.adapter.query.prometheus.Value.Sample;
import dev.glust.adapter.query.prometheus.Value.Scalar;
import dev.glust.adapter.query.prometheus.Value.Text;
import dev.glust.adapter.query.prometheus.Value.Vector;
import dev.glust.application.port.in.query.metric.ListMetricSeriesQuery;
import dev.glust.application.port.in.query.metric.ListMetricsQuery;
import dev.glust.application.port.in.query.metric.LoadMetricSamplesQuery;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.application.port.out.QueryTimedOutException;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Prometheus-compatible HTTP API over the stored metrics ({@code /prometheus/api/v1}), so
 * Grafana's Prometheus data source reads Glust without a plugin: instant and range PromQL queries
 * (GET, or POST with a form body as Grafana sends them), labels and their values, series, metadata,
 * exemplars and build info, in Prometheus' JSON envelope. What the subset does not cover is a 400
 * {@code bad_data} naming the construct. Documented in docs/api.md, "Prometheus API".
 */
@Controller("/prometheus/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING) // queries wait on the database: keep them off the event loop
class PrometheusApiController {
  /** The request attribute QueryAccessFilter puts the caller's tenant in. */
  private static final String TENANT = "glust.tenant";

  /**
   * Label and series endpoints without start read the last 6 hours; none reads more than 30 days
   * (the longest query range is 31 days by default), metadata without start all 30.
   */
  private static final long DEFAULT_METADATA_RANGE = 6 * 3600 * 1_000_000_000L;

  private static final long MAX_METADATA_RANGE = 30 * 24 * 3600 * 1_000_000_000L;

  private final ListMetricsQuery catalog;
  private final ListMetricSeriesQuery series;
  private final LoadMetricSamplesQuery samples;

  PrometheusApiController(
      ListMetricsQuery catalog, ListMetricSeriesQuery series, LoadMetricSamplesQuery samples) {
    this.catalog = catalog;
    this.series = series;
    this.samples = samples;
  }

  private PromQueries queries(TenantId tenant) {
    return new PromQueries(new StoredSeries(tenant, catalog, series, samples));
  }

  private static PromParameters parameters(HttpRequest<?> request, @Nullable String body) {
    return new PromParameters(request.getParameters().asMap(), body);
  }

  private static long now() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  // ---- queries ----

  @Get("/query")
  Map<String, Object> query(@RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    return instant(tenant, parameters(request, null));
  }

  @Post(uri = "/query", consumes = MediaType.APPLICATION_FORM_URLENCODED)
  Map<String, Object> queryPost(
      @RequestAttribute(TENANT) TenantId tenant,
      HttpRequest<?> request,
      @Body @Nullable String body) {
    return instant(tenant, parameters(request, body));
  }

  private Map<String, Object> instant(TenantId tenant, PromParameters p) {
    String query = p.required("query");
    long time = p.time("time").orElseGet(PrometheusApiController::now);
    Value value = queries(tenant).instant(query, time);
    Map<String, Object> data = new LinkedHashMap<>();
    if (value instanceof Scalar s) {
      data.put("resultType", "scalar");
      data.put("result", PromJson.sample(time, s.value()));
    } else if (value instanceof Text t) {
      data.put("resultType", "string");
      data.put("result", List.of(PromJson.time(time), t.value()));
    } else if (value instanceof Vector v) {
      data.put("resultType", "vector");
      List<Object> result = new ArrayList<>();
      for (Sample s : v.samples()) {
        result.add(
            PromJson.ordered(
                "metric", s.labels().map(), "value", PromJson.sample(time, s.value())));
      }
      data.put("result", result);
    } else {
      data.put("resultType", "matrix");
      data.put("result", matrix(((Matrix) value).series()));
    }
    return PromJson.success(data);
  }

  @Get("/query_range")
  Map<String, Object> queryRange(
      @RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    return range(tenant, parameters(request, null));
  }

  @Post(uri = "/query_range", consumes = MediaType.APPLICATION_FORM_URLENCODED)
  Map<String, Object> queryRangePost(
      @RequestAttribute(TENANT) TenantId tenant,
      HttpRequest<?> request,
      @Body @Nullable String body) {
    return range(tenant, parameters(request, body));
  }

  private Map<String, Object> range(TenantId tenant, PromParameters p) {
    String query = p.required("query");
    long start = p.time("start").orElseThrow(() -> missing("start"));
    long end = p.time("end").orElseThrow(() -> missing("end"));
    long step = p.duration("step");
    List<PromSeries> series = queries(tenant).range(query, start, end, step);
    return PromJson.success(PromJson.ordered("resultType", "matrix", "result", matrix(series)));
  }

  private static PromQueryException missing(String name) {
    return new PromQueryException("missing parameter \"" + name + "\"");
  }

  private static List<Object> matrix(List<PromSeries> series) {
    List<Object> out = new ArrayList<>();
    for (PromSeries s : series) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < s.size(); i++) {
        values.add(PromJson.sample(s.times()[i], s.values()[i]));
      }
      out.add(PromJson.ordered("metric", s.labels().map(), "values", values));
    }
    return out;
  }

  @Get("/query_exemplars")
  Map<String, Object> exemplars(@RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    return exemplars(tenant, parameters(request, null));
  }

  @Post(uri = "/query_exemplars", consumes = MediaType.APPLICATION_FORM_URLENCODED)
  Map<String, Object> exemplarsPost(
      @RequestAttribute(TENANT) TenantId tenant,
      HttpRequest<?> request,
      @Body @Nullable String body) {
    return exemplars(tenant, parameters(request, body));
  }

  private Map<String, Object> exemplars(TenantId tenant, PromParameters p) {
    String query = p.required("query");
    long end = p.time("end").orElseGet(PrometheusApiController::now);
    long start = p.time("start").orElse(end - DEFAULT_METADATA_RANGE);
    List<Object> out = new ArrayList<>();
    queries(tenant)
        .exemplars(query, start, end)
        .forEach(
            (labels, exemplars) -> {
              List<Object> list = new ArrayList<>();
              for (Exemplar e : exemplars) {
                list.add(
                    PromJson.ordered(
                        "labels",
                        e.labels().map(),
                        "value",
                        PromJson.number(e.value()),
                        "timestamp",
                        PromJson.time(e.timeUnixNano())));
              }
              out.add(PromJson.ordered("seriesLabels", labels.map(), "exemplars", list));
            });
    return PromJson.success(out);
  }

  // ---- metadata ----

  /** {@code [start, end]} of a metadata request, at most 30 days (the catalog's limit is 31). */
  private static long[] metadataRange(PromParameters p) {
    return metadataRange(p, DEFAULT_METADATA_RANGE);
  }

  private static long[] metadataRange(PromParameters p, long defaultLength) {
    long end = p.time("end").orElseGet(PrometheusApiController::now);
    long start = p.time("start").orElse(end - defaultLength);
    if (end < start) {
      throw new PromQueryException("end timestamp must not be before start time");
    }
    return new long[] {Math.max(start, end - MAX_METADATA_RANGE), end};
  }

  @Get("/labels")
  Map<String, Object> labels(@RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    return labelNames(tenant, parameters(request, null));
  }

  @Post(uri = "/labels", consumes = MediaType.APPLICATION_FORM_URLENCODED)
  Map<String, Object> labelsPost(
      @RequestAttribute(TENANT) TenantId tenant,
      HttpRequest<?> request,
      @Body @Nullable String body) {
    return labelNames(tenant, parameters(request, body));
  }

  private Map<String, Object> labelNames(TenantId tenant, PromParameters p) {
    long[] range = metadataRange(p);
    TreeSet<String> names = new TreeSet<>();
    List<String> matches = p.all("match[]");
    if (matches.isEmpty()) {
      // from the catalog alone: every metric's label keys, the labels every series has, and le
      // (instance and otel_scope_* depend on the series; match[] lists them)
      for (MetricSummary m : catalog.listMetrics(tenant, Optional.empty(), timeRange(range))) {
        List<PromNames.Family> families = PromNames.families(m);
        if (!families.isEmpty()) {
          names.addAll(List.of(Labels.NAME, "job", "service_name"));
          if (families.stream().anyMatch(f -> f.part() == PromNames.Part.BUCKET)) {
            names.add(OtelToProm.LE);
          }
          m.labelKeys().stream()
              .map(PromNames::labelName)
              .filter(n -> !n.isEmpty())
              .forEach(names::add);
        }
      }
    } else {
      for (Labels labels : queries(tenant).matching(matches, range[0], range[1])) {
        names.addAll(labels.map().keySet());
      }
    }
    return PromJson.success(List.copyOf(names));
  }

  private static TimeRange timeRange(long[] range) {
    return new TimeRange(range[0], range[1]);
  }

  @Get("/label/{name}/values")
  Map<String, Object> labelValues(
      @RequestAttribute(TENANT) TenantId tenant, String name, HttpRequest<?> request) {
    PromParameters p = parameters(request, null);
    long[] range = metadataRange(p);
    TreeSet<String> values = new TreeSet<>();
    List<String> matches = p.all("match[]");
    if (name.equals(Labels.NAME) && matches.isEmpty()) {
      for (MetricSummary m : catalog.listMetrics(tenant, Optional.empty(), timeRange(range))) {
        PromNames.families(m).forEach(f -> values.add(f.name()));
      }
    } else {
      List<String> selectors =
          matches.isEmpty() ? List.of("{" + Labels.NAME + "=~\".+\"}") : matches;
      for (Labels labels : queries(tenant).matching(selectors, range[0], range[1])) {
        String value = labels.get(name);
        if (!value.isEmpty()) {
          values.add(value);
        }
      }
    }
    return PromJson.success(List.copyOf(values));
  }

  @Get("/series")
  Map<String, Object> series(@RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    return seriesOf(tenant, parameters(request, null));
  }

  @Post(uri = "/series", consumes = MediaType.APPLICATION_FORM_URLENCODED)
  Map<String, Object> seriesPost(
      @RequestAttribute(TENANT) TenantId tenant,
      HttpRequest<?> request,
      @Body @Nullable String body) {
    return seriesOf(tenant, parameters(request, body));
  }

  private Map<String, Object> seriesOf(TenantId tenant, PromParameters p) {
    List<String> matches = p.all("match[]");
    if (matches.isEmpty()) {
      throw new PromQueryException("no match[] parameter provided");
    }
    long[] range = metadataRange(p);
    List<Object> out = new ArrayList<>();
    for (Labels labels : queries(tenant).matching(matches, range[0], range[1])) {
      out.add(labels.map());
    }
    return PromJson.success(out);
  }

  @Get("/metadata")
  Map<String, Object> metadata(@RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    PromParameters p = parameters(request, null);
    // Prometheus lists what it holds; Glust lists the metrics of the last 30 days (or start/end)
    long[] range = metadataRange(p, MAX_METADATA_RANGE);
    Map<String, Object> out = new TreeMap<>();
    String only = p.text("metric").orElse(null);
    for (MetricSummary m : catalog.listMetrics(tenant, Optional.empty(), timeRange(range))) {
      for (PromNames.Family f : PromNames.families(m)) {
        // Prometheus lists a histogram under its base name, not per _bucket/_sum/_count
        String name =
            f.part() == PromNames.Part.VALUE
                ? f.name()
                : f.name().substring(0, f.name().length() - f.part().suffix.length());
        if (only == null || only.equals(name)) {
          out.putIfAbsent(
              name,
              List.of(
                  PromJson.ordered(
                      "type", PromNames.type(m), "help", m.description(), "unit", "")));
        }
      }
    }
    return PromJson.success(out);
  }

  @Get("/status/buildinfo")
  Map<String, Object> buildInfo() {
    return PromJson.success(
        PromJson.ordered(
            "version",
            "2.53.0",
            "revision",
            "glust",
            "branch",
            "",
            "buildUser",
            "",
            "buildDate",
            "",
            "goVersion",
            ""));
  }

  // ---- errors in Prometheus' shape ----

  @Error(exception = PromQueryException.class)
  MutableHttpResponse<Map<String, Object>> badQuery(PromQueryException e) {
    return HttpResponse.<Map<String, Object>>status(HttpStatus.BAD_REQUEST)
        .body(PromJson.error("bad_data", e.getMessage()));
  }

  @Error(exception = InvalidQueryException.class)
  MutableHttpResponse<Map<String, Object>> invalid(InvalidQueryException e) {
    return HttpResponse.<Map<String, Object>>status(HttpStatus.BAD_REQUEST)
        .body(PromJson.error("bad_data", e.getMessage()));
  }

  @Error(exception = StorageUnavailableException.class)
  MutableHttpResponse<Map<String, Object>> unavailable(StorageUnavailableException e) {
    return HttpResponse.<Map<String, Object>>status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", "5")
        .body(PromJson.error("unavailable", "storage is unavailable"));
  }

  @Error(exception = QueryTimedOutException.class)
  MutableHttpResponse<Map<String, Object>> timedOut(QueryTimedOutException e) {
    return HttpResponse.<Map<String, Object>>status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", "5")
        .body(
            PromJson.error(
                "timeout", "the query ran longer than the server's query timeout; narrow it"));
  }
}
