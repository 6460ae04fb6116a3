package dev.glust.adapter.query;

import dev.glust.adapter.query.traceql.TraceQl;
import dev.glust.application.port.in.query.trace.LoadTraceQuery;
import dev.glust.application.port.in.query.trace.SearchSpansetsQuery;
import dev.glust.application.port.in.query.trace.SearchSpansetsQuery.AttributeKeys;
import dev.glust.application.port.in.query.trace.SpanNode;
import dev.glust.application.port.in.query.trace.TraceView;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.spanset.Comparison;
import dev.glust.application.port.model.spanset.FieldValue;
import dev.glust.application.port.model.spanset.SpanCondition;
import dev.glust.application.port.model.spanset.SpanField;
import dev.glust.application.port.model.spanset.SpanField.Intrinsic;
import dev.glust.application.port.model.spanset.SpansetQuery;
import dev.glust.application.port.model.spanset.SpansetSearch;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Grafana Tempo's HTTP API under {@code /tempo} (a Tempo data source's URL is {@code
 * http://host:8080/tempo}): trace by id in OTLP, TraceQL search, tag names and values, echo and
 * build info. Times are unix seconds, durations Go-style, as in Tempo.
 */
@Controller("/tempo/api")
@ExecuteOn(TaskExecutors.BLOCKING)
class TempoApiController {
  /** Tempo's defaults: 20 traces, 3 spans per spanset. */
  private static final int DEFAULT_LIMIT = 20;

  private static final int DEFAULT_SPANS_PER_SPANSET = 3;

  /** Searches without start/end look at the last hour, as Tempo's recent-data search does. */
  private static final long DEFAULT_LOOKBACK_NANOS = 3600L * 1_000_000_000L;

  /** Tag names and values come from the matched spans of this many of the newest traces. */
  static final int TAG_SAMPLE_TRACES = 200;

  static final String PROTOBUF_TYPE = "application/protobuf";

  static final MediaType PROTOBUF = new MediaType(PROTOBUF_TYPE);

  private static final List<String> INTRINSIC_TAGS =
      List.of(
          "duration",
          "kind",
          "name",
          "rootName",
          "rootServiceName",
          "status",
          "statusMessage",
          "traceDuration");

  private final LoadTraceQuery loadTrace;
  private final SearchSpansetsQuery spansets;

  TempoApiController(LoadTraceQuery loadTrace, SearchSpansetsQuery spansets) {
    this.loadTrace = loadTrace;
    this.spansets = spansets;
  }

  @Get(value = "/echo", produces = MediaType.TEXT_PLAIN)
  String echo() {
    return "echo";
  }

  /** Grafana reads the version to pick its features; 2.x has TraceQL and the v2 tag APIs. */
  @Get("/status/buildinfo")
  Map<String, Object> buildInfo() {
    return Map.of(
        "version", "2.6.0",
        "revision", "glust",
        "branch", "",
        "buildUser", "",
        "buildDate", "",
        "goVersion", "");
  }

  @Get(
      value = "/traces/{traceId}",
      produces = {MediaType.APPLICATION_JSON, PROTOBUF_TYPE})
  HttpResponse<?> trace(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant,
      String traceId,
      HttpRequest<?> request) {
    return traceResponse(tenant, traceId, request, false);
  }

  @Get(
      value = "/v2/traces/{traceId}",
      produces = {MediaType.APPLICATION_JSON, PROTOBUF_TYPE})
  HttpResponse<?> traceV2(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant,
      String traceId,
      HttpRequest<?> request) {
    return traceResponse(tenant, traceId, request, true);
  }

  private HttpResponse<?> traceResponse(
      TenantId tenant, String traceId, HttpRequest<?> request, boolean v2) {
    QueryParameters p = new QueryParameters(request.getParameters());
    Optional<TimeRange> within =
        p.text("start").isPresent() || p.text("end").isPresent()
            ? Optional.of(secondsRange(p, Long.MIN_VALUE))
            : Optional.empty();
    String padded = traceId.length() < 32 ? "0".repeat(32 - traceId.length()) + traceId : traceId;
    List<Span> spans =
        loadTrace
            .loadTrace(tenant, QueryParameters.parseTraceId("traceID", padded))
            .map(TempoApiController::spansOf)
            .orElse(List.of());
    if (spans.isEmpty() || within.map(r -> spans.stream().noneMatch(s -> in(s, r))).orElse(false)) {
      return HttpResponse.notFound("trace not found").contentType(MediaType.TEXT_PLAIN_TYPE);
    }
    boolean protobuf =
        request.getHeaders().accept().stream()
            .anyMatch(m -> m.getName().equals(PROTOBUF.getName()));
    if (protobuf) {
      return HttpResponse.ok(
              v2 ? TempoJson.traceByIdResponseProtobuf(spans) : TempoJson.traceProtobuf(spans))
          .contentType(PROTOBUF);
    }
    return HttpResponse.ok(v2 ? TempoJson.traceByIdResponseJson(spans) : TempoJson.traceJson(spans))
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  private static boolean in(Span span, TimeRange range) {
    return span.startTimeUnixNano() <= range.endUnixNano()
        && span.endTimeUnixNano() >= range.startUnixNano();
  }

  private static List<Span> spansOf(TraceView trace) {
    List<Span> out = new ArrayList<>();
    trace.roots().forEach(root -> collect(root, out));
    return out;
  }

  private static void collect(SpanNode node, List<Span> out) {
    out.add(node.span());
    node.children().forEach(child -> collect(child, out));
  }

  @Get("/search")
  Map<String, Object> search(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    SpansetQuery query = query(p);
    int limit =
        p.text("limit").map(v -> QueryParameters.parseInt("limit", v)).orElse(DEFAULT_LIMIT);
    int spss =
        p.text("spss")
            .map(v -> QueryParameters.parseInt("spss", v))
            .orElse(DEFAULT_SPANS_PER_SPANSET);
    if (spss < 1) {
      throw new InvalidQueryException("spss", "must be at least 1");
    }
    SpansetSearch search =
        new SpansetSearch(
            query,
            secondsRange(p, DEFAULT_LOOKBACK_NANOS),
            Math.min(Math.max(limit, 1), PageRequest.MAX_LIMIT));
    List<SpanField.AttributeField> named = TraceQl.namedAttributes(query);
    List<Map<String, Object>> traces =
        spansets.searchSpansets(tenant, search).stream()
            .map(m -> TempoJson.searchHit(m, spss, named))
            .toList();
    return Map.of(
        "traces",
        traces,
        "metrics",
        Map.of("inspectedTraces", traces.size(), "completedJobs", 1, "totalJobs", 1));
  }

  /** {@code q} (TraceQL), or the older {@code tags} form; either narrowed by min/maxDuration. */
  private static SpansetQuery query(QueryParameters p) {
    Optional<String> q = p.text("q").filter(t -> !t.isBlank());
    SpansetQuery query =
        q.isPresent()
            ? TraceQl.parse(q.get())
            : p.text("tags").map(TempoApiController::tagsQuery).orElse(everything());
    List<SpanCondition> traceDuration = new ArrayList<>();
    p.duration("minDuration")
        .ifPresent(d -> traceDuration.add(traceDuration(Comparison.GREATER_OR_EQUAL, d)));
    p.duration("maxDuration")
        .ifPresent(d -> traceDuration.add(traceDuration(Comparison.LESS_OR_EQUAL, d)));
    return traceDuration.isEmpty()
        ? query
        : new SpansetQuery.Both(
            query, new SpansetQuery.Filter(new SpanCondition.All(traceDuration)));
  }

  private static SpanCondition traceDuration(Comparison op, long nanos) {
    return new SpanCondition.Compare(Intrinsic.TRACE_DURATION, op, new FieldValue.Duration(nanos));
  }

  private static SpansetQuery everything() {
    return new SpansetQuery.Filter(new SpanCondition.Always());
  }

  /**
   * The older search's {@code tags=k=v k2="v 2"} (logfmt): every pair on one span; {@code name} is
   * the span name, other keys attributes of span or resource; a value that reads as a number
   * matches the number too.
   */
  static SpansetQuery tagsQuery(String tags) {
    List<SpanCondition> all = new ArrayList<>();
    for (Map.Entry<String, String> pair : Logfmt.pairs(tags)) {
      String key = pair.getKey();
      String value = pair.getValue();
      if (key.equals("name")) {
        all.add(
            new SpanCondition.Compare(
                Intrinsic.NAME, Comparison.EQUAL, new FieldValue.Text(value)));
        continue;
      }
      SpanField.AttributeField field =
          new SpanField.AttributeField(SpanField.AttributeScope.ANY, key);
      List<SpanCondition> any = new ArrayList<>();
      any.add(new SpanCondition.Compare(field, Comparison.EQUAL, new FieldValue.Text(value)));
      numberIn(value)
          .ifPresent(
              n ->
                  any.add(
                      new SpanCondition.Compare(
                          field, Comparison.EQUAL, new FieldValue.Number(n))));
      all.add(any.size() == 1 ? any.get(0) : new SpanCondition.Any(any));
    }
    return new SpansetQuery.Filter(
        all.isEmpty() ? new SpanCondition.Always() : new SpanCondition.All(all));
  }

  private static Optional<BigDecimal> numberIn(String text) {
    try {
      return Optional.of(new BigDecimal(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code start}/{@code end} in unix seconds; by default the lookback before now. */
  private static TimeRange secondsRange(QueryParameters p, long defaultLookbackNanos) {
    long now = Clock.nowUnixNano();
    long end = p.text("end").map(v -> seconds("end", v)).orElse(now);
    long start =
        p.text("start")
            .map(v -> seconds("start", v))
            .orElse(
                defaultLookbackNanos == Long.MIN_VALUE
                    ? Long.MIN_VALUE
                    : end - defaultLookbackNanos);
    if (start > end) {
      throw new InvalidQueryException("start", "must not be after end");
    }
    return new TimeRange(start, end);
  }

  private static long seconds(String name, String value) {
    try {
      return Math.multiplyExact(QueryParameters.parseLong(name, value), 1_000_000_000L);
    } catch (ArithmeticException e) {
      throw new InvalidQueryException(name, "unix seconds out of range: " + value);
    }
  }

  // ---- tags ----

  @Get("/search/tags")
  Map<String, Object> tagNames(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    AttributeKeys keys = keys(tenant, request);
    TreeSet<String> names = new TreeSet<>(keys.span());
    names.addAll(keys.resource());
    return Map.of("tagNames", List.copyOf(names));
  }

  @Get("/v2/search/tags")
  Map<String, Object> tagNamesByScope(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant, HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    String scope = p.text("scope").orElse("all").toLowerCase(Locale.ROOT);
    if (!List.of("all", "none", "", "span", "resource", "intrinsic").contains(scope)) {
      throw new InvalidQueryException(
          "scope", "unsupported scope " + scope + " (span, resource, intrinsic)");
    }
    AttributeKeys keys = keys(tenant, request);
    List<Map<String, Object>> scopes = new ArrayList<>();
    if (scope.equals("span") || !List.of("resource", "intrinsic").contains(scope)) {
      scopes.add(ApiJson.ordered("name", "span", "tags", List.copyOf(new TreeSet<>(keys.span()))));
    }
    if (scope.equals("resource") || !List.of("span", "intrinsic").contains(scope)) {
      scopes.add(
          ApiJson.ordered("name", "resource", "tags", List.copyOf(new TreeSet<>(keys.resource()))));
    }
    if (scope.equals("intrinsic") || !List.of("span", "resource").contains(scope)) {
      scopes.add(ApiJson.ordered("name", "intrinsic", "tags", INTRINSIC_TAGS));
    }
    return Map.of("scopes", scopes);
  }

  private AttributeKeys keys(TenantId tenant, HttpRequest<?> request) {
    QueryParameters p = new QueryParameters(request.getParameters());
    return spansets.listAttributeKeys(tenant, sample(p));
  }

  /** The tag APIs' sample: the newest traces the optional {@code q} matches (else any). */
  private static SpansetSearch sample(QueryParameters p) {
    SpansetQuery narrowing =
        p.text("q")
            .filter(t -> !t.isBlank())
            .flatMap(TempoApiController::lenient)
            .orElse(everything());
    return new SpansetSearch(narrowing, secondsRange(p, DEFAULT_LOOKBACK_NANOS), TAG_SAMPLE_TRACES);
  }

  /**
   * Grafana's editor sends the query being typed, often incomplete ({@code { .x = }}): a {@code q}
   * that does not parse only narrows nothing here, where a search would refuse it.
   */
  private static Optional<SpansetQuery> lenient(String q) {
    try {
      return Optional.of(TraceQl.parse(q));
    } catch (InvalidQueryException e) {
      return Optional.empty();
    }
  }

  @Get("/v2/search/tag/{tag}/values")
  Map<String, Object> tagValuesV2(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant,
      String tag,
      HttpRequest<?> request) {
    SpanField field = TraceQl.field(tag);
    List<Map<String, Object>> values =
        keywords(field).map(k -> ApiJson.ordered("type", "keyword", "value", k)).toList();
    if (values.isEmpty()) {
      values =
          spansets
              .listValues(tenant, field, sample(new QueryParameters(request.getParameters())))
              .stream()
              .map(TempoJson::typed)
              .flatMap(Optional::stream)
              .map(v -> ApiJson.ordered("type", v.type(), "value", v.value()))
              .toList();
    }
    return Map.of("tagValues", values);
  }

  @Get("/search/tag/{tag}/values")
  Map<String, Object> tagValues(
      @RequestAttribute(QueryAccessFilter.TENANT) TenantId tenant,
      String tag,
      HttpRequest<?> request) {
    SpanField field = TraceQl.field(tag);
    List<String> values = keywords(field).toList();
    if (values.isEmpty()) {
      values =
          spansets
              .listValues(tenant, field, sample(new QueryParameters(request.getParameters())))
              .stream()
              .map(TempoJson::typed)
              .flatMap(Optional::stream)
              .map(TempoJson.TypedValue::value)
              .distinct()
              .toList();
    }
    return Map.of("tagValues", values);
  }

  /** Status and kind have fixed values, TraceQL keywords. */
  private static Stream<String> keywords(SpanField field) {
    if (field == Intrinsic.STATUS) {
      return Stream.of("error", "ok", "unset");
    }
    if (field == Intrinsic.KIND) {
      return Arrays.stream(SpanKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT));
    }
    return Stream.empty();
  }
}
