package dev.glust.adapter.query.loki;

import dev.glust.adapter.query.loki.LogQl.Expr;
import dev.glust.adapter.query.loki.LogQl.LogExpr;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Loki's query HTTP API under {@value #BASE}, so Grafana's Loki data source reads Glust's logs: log
 * and metric queries in a LogQL subset, labels, series, index statistics and build info. Queries
 * outside the subset are refused with 400 in Loki's error shape, naming the construct.
 */
@Controller(LokiApiController.BASE)
@ExecuteOn(TaskExecutors.BLOCKING)
class LokiApiController {
  static final String BASE = "/loki/api/v1";

  /**
   * The request attribute the query access filter stores the caller's tenant in (its {@code
   * TENANT}; the filter lives in the parent package, and both must name the same attribute).
   */
  static final String TENANT = "glust.tenant";

  /** What a request asking for categorized labels sends (Grafana does, for Loki 3). */
  static final String ENCODING_FLAGS_HEADER = "X-Loki-Response-Encoding-Flags";

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 5_000;
  private static final long HOUR = 3600 * LokiTimes.SECOND;

  /** The Loki version Grafana is told: 3.x has structured metadata. */
  static final String LOKI_VERSION = "3.0.0";

  private final LokiQueries queries;

  LokiApiController(LokiQueries queries) {
    this.queries = queries;
  }

  @Get("/query_range")
  Map<String, Object> queryRange(
      @RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    return queryRange(tenant, request, new Params(request.getParameters()));
  }

  @Post("/query_range")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  Map<String, Object> queryRangePosted(
      @RequestAttribute(TENANT) TenantId tenant,
      HttpRequest<?> request,
      @Body Map<String, String> form) {
    return queryRange(tenant, request, new Params(name -> Optional.ofNullable(form.get(name))));
  }

  private Map<String, Object> queryRange(TenantId tenant, HttpRequest<?> request, Params p) {
    Expr expr = LogQlParser.parse(p.required("query"));
    long now = nowUnixNano();
    long end = p.time("end").orElse(now);
    long start = p.time("start").orElse(end - HOUR);
    if (end < start) {
      throw new LogQlException(
          "invalid parameters: the query's end timestamp must not be before its start time");
    }
    long step =
        p.text("step")
            .map(LokiTimes::parseStep)
            .orElse(
                Math.max(
                    LokiTimes.SECOND, (end - start) / 250 / LokiTimes.SECOND * LokiTimes.SECOND));
    QueryStats stats = new QueryStats(LokiQueries.MAX_SCANNED_RECORDS);
    // Loki's range is [start, end) for lines; metric steps run from start to end inclusive
    TimeRange lines = new TimeRange(start, Math.max(start, end - 1));
    TimeRange range = expr instanceof LogExpr ? lines : new TimeRange(start, end);
    Map<String, Object> data =
        queries.queryRange(tenant, expr, logRequest(p, range, request), step, stats);
    return LokiJson.success(data, stats.warnings());
  }

  @Get("/query")
  Map<String, Object> query(@RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    Params p = new Params(request.getParameters());
    Expr expr = LogQlParser.parse(p.required("query"));
    long time = p.time("time").orElseGet(LokiApiController::nowUnixNano);
    QueryStats stats = new QueryStats(LokiQueries.MAX_SCANNED_RECORDS);
    // a log query at an instant reads the hour before it, as Loki does
    TimeRange range =
        expr instanceof LogExpr
            ? new TimeRange(Math.max(0, time - HOUR), time)
            : new TimeRange(time, time);
    Map<String, Object> data =
        queries.queryInstant(tenant, expr, logRequest(p, range, request), stats);
    return LokiJson.success(data, stats.warnings());
  }

  @Get("/labels")
  Map<String, Object> labels(@RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    Params p = new Params(request.getParameters());
    return LokiJson.success(
        queries.labelNames(tenant, p.selector("query"), p.lookback()), List.of());
  }

  @Get("/label/{name}/values")
  Map<String, Object> labelValues(
      @RequestAttribute(TENANT) TenantId tenant, String name, HttpRequest<?> request) {
    Params p = new Params(request.getParameters());
    return LokiJson.success(
        queries.labelValues(tenant, name, p.selector("query"), p.lookback()), List.of());
  }

  @Get("/series")
  Map<String, Object> series(@RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    Params p = new Params(request.getParameters());
    List<LogExpr> selectors = new ArrayList<>();
    for (String match : request.getParameters().getAll("match[]")) {
      selectors.add(LogQlParser.parseLog(match));
    }
    for (String match : request.getParameters().getAll("match")) {
      selectors.add(LogQlParser.parseLog(match));
    }
    if (selectors.isEmpty()) {
      throw new LogQlException("invalid parameter \"match[]\": at least one selector is required");
    }
    return LokiJson.success(queries.series(tenant, selectors, p.lookback()), List.of());
  }

  /** Grafana's query size hint; Loki answers it bare, without the success envelope. */
  @Get("/index/stats")
  Map<String, Object> indexStats(
      @RequestAttribute(TENANT) TenantId tenant, HttpRequest<?> request) {
    Params p = new Params(request.getParameters());
    LogExpr selector = p.selector("query");
    return queries.indexStats(
        tenant, selector == null ? LokiQueries.EVERYTHING : selector, p.lookback());
  }

  @Get("/status/buildinfo")
  Map<String, Object> buildInfo() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", LOKI_VERSION);
    out.put("revision", "glust");
    out.put("branch", "");
    out.put("buildUser", "");
    out.put("buildDate", "");
    out.put("goVersion", "");
    return out;
  }

  @Error(exception = LogQlException.class)
  HttpResponse<Map<String, Object>> refused(LogQlException e) {
    return HttpResponse.<Map<String, Object>>status(HttpStatus.BAD_REQUEST)
        .body(LokiJson.error(400, e.getMessage()));
  }

  /** Port-level refusals (a limit, a range) in Loki's shape too. */
  @Error(exception = InvalidQueryException.class)
  HttpResponse<Map<String, Object>> invalid(InvalidQueryException e) {
    return HttpResponse.<Map<String, Object>>status(HttpStatus.BAD_REQUEST)
        .body(LokiJson.error(400, e.getMessage()));
  }

  private static LokiQueries.LogRequest logRequest(
      Params p, TimeRange range, HttpRequest<?> request) {
    int limit = p.integer("limit").orElse(DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new LogQlException(
          "invalid parameter \"limit\": must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    String direction = p.text("direction").orElse("backward").toLowerCase(Locale.ROOT);
    if (!direction.equals("backward") && !direction.equals("forward")) {
      throw new LogQlException(
          "invalid parameter \"direction\": must be forward or backward, got " + direction);
    }
    return new LokiQueries.LogRequest(
        range, limit, direction.equals("forward"), categorizes(request));
  }

  static boolean categorizes(HttpRequest<?> request) {
    for (String header : request.getHeaders().getAll(ENCODING_FLAGS_HEADER)) {
      for (String flag : header.split(",")) {
        if (flag.strip().equals(LokiJson.CATEGORIZE_LABELS)) {
          return true;
        }
      }
    }
    return false;
  }

  static long nowUnixNano() {
    Instant now = Instant.now();
    return now.getEpochSecond() * LokiTimes.SECOND + now.getNano();
  }

  /** Request parameters the way Loki reads them; bad ones are a {@link LogQlException}. */
  static final class Params {
    private final Function<String, Optional<String>> parameters;

    Params(Function<String, Optional<String>> parameters) {
      this.parameters = parameters;
    }

    Params(HttpParameters parameters) {
      this(parameters::getFirst);
    }

    Optional<String> text(String name) {
      return parameters.apply(name).filter(v -> !v.isBlank());
    }

    String required(String name) {
      return text(name)
          .orElseThrow(() -> new LogQlException("invalid parameter \"" + name + "\": required"));
    }

    Optional<Long> time(String name) {
      return text(name).map(v -> LokiTimes.parseTime(name, v));
    }

    Optional<Integer> integer(String name) {
      return text(name)
          .map(
              v -> {
                try {
                  return Integer.parseInt(v.strip());
                } catch (NumberFormatException e) {
                  throw new LogQlException(
                      "invalid parameter \"" + name + "\": not an integer: " + v);
                }
              });
    }

    /** A selector parameter, or null when absent. */
    LogExpr selector(String name) {
      return text(name).map(LogQlParser::parseLog).orElse(null);
    }

    /** {@code start}/{@code end} of a look-up; the last six hours by default, as in Loki. */
    TimeRange lookback() {
      long end = time("end").orElseGet(LokiApiController::nowUnixNano);
      long start = time("start").orElse(end - 6 * HOUR);
      if (end < start) {
        throw new LogQlException("invalid parameters: end is before start");
      }
      return new TimeRange(start, end);
    }
  }
}
