package dev.glust.adapter.query;

import dev.glust.application.port.in.query.performance.DependencyGraph;
import dev.glust.application.port.in.query.performance.SpanMetricSeries;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch;
import dev.glust.application.port.in.query.trace.SpanNode;
import dev.glust.application.port.in.query.trace.TraceView;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Resource;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanLink;
import dev.glust.domain.trace.SpanStatus;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Jaeger query-service JSON (the shape of jaeger's {@code model/converter/json} UI model), with
 * OTLP concepts translated as Jaeger's own OTLP translator does: parent → {@code CHILD_OF}, links →
 * {@code FOLLOWS_FROM}, events → logs, span kind/status/scope → {@code span.kind}, {@code
 * otel.status_code}, {@code error}, {@code otel.scope.name} tags; microsecond times.
 */
final class JaegerJson {
  private final JsonMapper json;

  JaegerJson(JsonMapper json) {
    this.json = json;
  }

  /** {@code {"data": ..., "total": n, "limit": 0, "offset": 0, "errors": null}} */
  static Map<String, Object> envelope(Object data) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", data);
    out.put("total", data instanceof List<?> list ? list.size() : 0);
    out.put("limit", 0);
    out.put("offset", 0);
    out.put("errors", null);
    return out;
  }

  /** A dependency link as Jaeger's UI model has it: {@code {"parent","child","callCount"}}. */
  static Map<String, Object> dependencyLink(DependencyGraph.Edge edge) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("parent", edge.parent());
    out.put("child", edge.child());
    out.put("callCount", edge.calls().calls());
    return out;
  }

  /**
   * A {@code MetricFamily} of Jaeger's metrics API as its HTTP handler writes it (protobuf JSON):
   * named and described as its Prometheus reader names them ({@code service_call_rate}, {@code
   * service_operation_latencies}, …), gauges labelled {@code service_name} first (the Monitor tab
   * reads the service from the first label) and {@code operation}, RFC 3339 timestamps, and a value
   * without data written {@code "NaN"} (the Monitor tab draws a gap).
   */
  static Map<String, Object> metricFamily(SpanMetricsSearch search, List<SpanMetricSeries> series) {
    String subject = search.groupByOperation() ? "service_operation" : "service";
    String grouped =
        search.groupByOperation() ? ", grouped by service & operation" : ", grouped by service";
    Map<String, Object> out = new LinkedHashMap<>();
    switch (search.measure()) {
      case LATENCY -> {
        out.put("name", subject + "_latencies");
        out.put("type", "GAUGE");
        out.put(
            "help",
            String.format(Locale.ROOT, "%.2fth quantile latency", search.quantile()) + grouped);
      }
      case CALL_RATE -> {
        out.put("name", subject + "_call_rate");
        out.put("type", "GAUGE");
        out.put("help", "calls/sec" + grouped);
      }
      case ERROR_RATIO -> {
        out.put("name", subject + "_error_rate");
        out.put("type", "GAUGE");
        out.put(
            "help", "error rate, computed as a fraction of errors/sec over calls/sec" + grouped);
      }
    }
    out.put("metrics", series.stream().map(JaegerJson::metric).toList());
    return out;
  }

  private static Map<String, Object> metric(SpanMetricSeries series) {
    List<Map<String, Object>> labels = new ArrayList<>();
    labels.add(label("service_name", series.service()));
    series.operation().ifPresent(operation -> labels.add(label("operation", operation)));
    List<Map<String, Object>> points = new ArrayList<>(series.points().size());
    for (SpanMetricSeries.Point p : series.points()) {
      Map<String, Object> point = new LinkedHashMap<>();
      point.put(
          "gaugeValue",
          Map.of("doubleValue", Double.isFinite(p.value()) ? (Object) p.value() : "NaN"));
      point.put(
          "timestamp",
          DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(0, p.timeUnixNano())));
      points.add(point);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("labels", labels);
    out.put("metricPoints", points);
    return out;
  }

  private static Map<String, Object> label(String name, String value) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("value", value);
    return out;
  }

  Map<String, Object> trace(TraceView trace) {
    Map<Resource, String> processIds = new LinkedHashMap<>();
    List<Map<String, Object>> spans = new ArrayList<>();
    collect(trace.roots(), processIds, spans);
    Map<String, Object> processes = new LinkedHashMap<>();
    processIds.forEach((resource, id) -> processes.put(id, process(resource)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traceID", trace.traceId().toHex());
    out.put("spans", spans);
    out.put("processes", processes);
    out.put("warnings", null);
    return out;
  }

  private void collect(
      List<SpanNode> nodes, Map<Resource, String> processIds, List<Map<String, Object>> out) {
    for (SpanNode node : nodes) {
      String process =
          processIds.computeIfAbsent(node.span().resource(), r -> "p" + (processIds.size() + 1));
      out.add(span(node.span(), process));
      collect(node.children(), processIds, out);
    }
  }

  private Map<String, Object> span(Span s, String processId) {
    List<Map<String, Object>> references = new ArrayList<>();
    if (s.parentSpanId() != null) {
      references.add(reference("CHILD_OF", s.traceId().toHex(), s.parentSpanId().toHex()));
    }
    for (SpanLink link : s.links()) {
      references.add(reference("FOLLOWS_FROM", link.traceId().toHex(), link.spanId().toHex()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traceID", s.traceId().toHex());
    out.put("spanID", s.spanId().toHex());
    out.put("flags", s.flags() & 0xFF);
    out.put("operationName", s.name());
    out.put("references", references);
    out.put("startTime", micros(s.startTimeUnixNano()));
    out.put(
        "duration", (s.endTimeUnixNano() - s.startTimeUnixNano()) / 1000); // as Jaeger: truncated
    out.put("tags", spanTags(s));
    out.put("logs", s.events().stream().map(this::log).toList());
    out.put("processID", processId);
    out.put("warnings", null);
    return out;
  }

  private List<Map<String, Object>> spanTags(Span s) {
    List<Map<String, Object>> tags = tags(s.attributes().entries());
    if (s.kind() != SpanKind.UNSPECIFIED) {
      tags.add(tag("span.kind", "string", s.kind().name().toLowerCase(Locale.ROOT)));
    }
    if (s.status().code() != SpanStatus.Code.UNSET) {
      tags.add(tag("otel.status_code", "string", s.status().code().name()));
    }
    if (s.status().code() == SpanStatus.Code.ERROR) {
      tags.add(tag("error", "bool", true));
    }
    if (!s.status().message().isEmpty()) {
      tags.add(tag("otel.status_description", "string", s.status().message()));
    }
    if (!s.scope().name().isEmpty()) {
      tags.add(tag("otel.scope.name", "string", s.scope().name()));
    }
    if (!s.scope().version().isEmpty()) {
      tags.add(tag("otel.scope.version", "string", s.scope().version()));
    }
    if (!s.traceState().isEmpty()) {
      tags.add(tag("w3c.tracestate", "string", s.traceState()));
    }
    return tags;
  }

  private Map<String, Object> log(SpanEvent e) {
    List<Map<String, Object>> fields = new ArrayList<>();
    fields.add(tag("event", "string", e.name()));
    fields.addAll(tags(e.attributes().entries()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("timestamp", micros(e.timeUnixNano()));
    out.put("fields", fields);
    return out;
  }

  private Map<String, Object> process(Resource resource) {
    List<Attribute> others =
        resource.attributes().entries().stream()
            .filter(a -> !a.key().equals(Resource.SERVICE_NAME))
            .toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("serviceName", resource.serviceName());
    out.put("tags", tags(others));
    return out;
  }

  private List<Map<String, Object>> tags(List<Attribute> attributes) {
    List<Map<String, Object>> out = new ArrayList<>(attributes.size() + 6);
    for (Attribute a : attributes) {
      AnyValue v = a.value();
      if (v instanceof AnyValue.StringValue s) {
        out.add(tag(a.key(), "string", s.value()));
      } else if (v instanceof AnyValue.BoolValue b) {
        out.add(tag(a.key(), "bool", b.value()));
      } else if (v instanceof AnyValue.IntValue i) {
        out.add(tag(a.key(), "int64", i.value()));
      } else if (v instanceof AnyValue.DoubleValue d) {
        out.add(tag(a.key(), "float64", ApiJson.value(d)));
      } else if (v instanceof AnyValue.BytesValue b) {
        out.add(tag(a.key(), "binary", Base64.getEncoder().encodeToString(b.value())));
      } else if (v instanceof AnyValue.EmptyValue) {
        out.add(tag(a.key(), "string", ""));
      } else { // arrays and key-value lists: Jaeger has no such tag type, so JSON text
        out.add(tag(a.key(), "string", jsonText(ApiJson.value(v))));
      }
    }
    return out;
  }

  private static Map<String, Object> tag(String key, String type, Object value) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", key);
    out.put("type", type);
    out.put("value", value);
    return out;
  }

  private static Map<String, Object> reference(String type, String traceId, String spanId) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("refType", type);
    out.put("traceID", traceId);
    out.put("spanID", spanId);
    return out;
  }

  private static long micros(long unixNano) {
    return Math.floorDiv(unixNano, 1000L);
  }

  private String jsonText(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
