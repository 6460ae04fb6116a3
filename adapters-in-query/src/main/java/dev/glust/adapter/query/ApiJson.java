package dev.glust.adapter.query;

import dev.glust.application.port.in.query.trace.SpanNode;
import dev.glust.application.port.in.query.trace.TraceView;
import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.application.port.model.TraceSummary;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanLink;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The native API's JSON shapes (see openapi.yml). Ids are lowercase hex; nanosecond times are
 * strings, exact as ingested; attribute values keep their type (ints and doubles as numbers,
 * arrays, key-value lists as objects, bytes as base64, NaN/Infinity as strings).
 */
final class ApiJson {
  private ApiJson() {}

  static Map<String, Object> trace(TraceView trace) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traceId", trace.traceId().toHex());
    out.put("spans", trace.roots().stream().map(ApiJson::spanNode).toList());
    out.put("logs", trace.logs().stream().map(ApiJson::log).toList());
    return out;
  }

  private static Map<String, Object> spanNode(SpanNode node) {
    Map<String, Object> out = span(node.span());
    out.put("orphan", node.orphan());
    out.put("children", node.children().stream().map(ApiJson::spanNode).toList());
    return out;
  }

  static Map<String, Object> span(Span s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traceId", s.traceId().toHex());
    out.put("spanId", s.spanId().toHex());
    out.put("parentSpanId", s.parentSpanId() == null ? null : s.parentSpanId().toHex());
    out.put("traceState", s.traceState());
    out.put("flags", s.flags());
    out.put("name", s.name());
    out.put("kind", s.kind().name());
    out.put("serviceName", s.serviceName());
    out.put("startTimeUnixNano", Long.toUnsignedString(s.startTimeUnixNano()));
    out.put("endTimeUnixNano", Long.toUnsignedString(s.endTimeUnixNano()));
    out.put("durationNanos", s.endTimeUnixNano() - s.startTimeUnixNano());
    out.put("attributes", attributes(s.attributes()));
    out.put("droppedAttributesCount", s.attributes().droppedCount());
    out.put("status", ordered("code", s.status().code().name(), "message", s.status().message()));
    out.put("events", s.events().stream().map(ApiJson::event).toList());
    out.put("droppedEventsCount", s.droppedEventsCount());
    out.put("links", s.links().stream().map(ApiJson::link).toList());
    out.put("droppedLinksCount", s.droppedLinksCount());
    out.put("resource", attributes(s.resource().attributes()));
    out.put("scope", ordered("name", s.scope().name(), "version", s.scope().version()));
    return out;
  }

  private static Map<String, Object> event(SpanEvent e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("timeUnixNano", Long.toUnsignedString(e.timeUnixNano()));
    out.put("name", e.name());
    out.put("attributes", attributes(e.attributes()));
    return out;
  }

  private static Map<String, Object> link(SpanLink l) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traceId", l.traceId().toHex());
    out.put("spanId", l.spanId().toHex());
    out.put("traceState", l.traceState());
    out.put("attributes", attributes(l.attributes()));
    return out;
  }

  static Map<String, Object> log(LogRecord r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("timeUnixNano", Long.toUnsignedString(r.timeUnixNano()));
    out.put("observedTimeUnixNano", Long.toUnsignedString(r.observedTimeUnixNano()));
    out.put("severityNumber", r.severityNumber());
    out.put("severityText", r.severityText());
    out.put("body", value(r.body()));
    out.put("attributes", attributes(r.attributes()));
    out.put("droppedAttributesCount", r.attributes().droppedCount());
    out.put("eventName", r.eventName());
    out.put("traceId", r.traceId() == null ? null : r.traceId().toHex());
    out.put("spanId", r.spanId() == null ? null : r.spanId().toHex());
    out.put("flags", r.flags());
    out.put("serviceName", r.serviceName());
    out.put("resource", attributes(r.resource().attributes()));
    out.put("scope", ordered("name", r.scope().name(), "version", r.scope().version()));
    return out;
  }

  static Map<String, Object> traceSummary(TraceSummary t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traceId", t.traceId().toHex());
    out.put("rootServiceName", t.rootServiceName());
    out.put("rootSpanName", t.rootSpanName());
    out.put("startTimeUnixNano", Long.toUnsignedString(t.startUnixNano()));
    out.put("durationNanos", t.durationNanos());
    out.put("spanCount", t.spanCount());
    out.put("errorCount", t.errorCount());
    return out;
  }

  static Map<String, Object> service(ServiceSummary s) {
    Map<String, Object> out = ordered("name", s.name(), "spanCount", s.spanCount());
    out.put("logCount", s.logCount());
    return out;
  }

  static Map<String, Object> operation(Operation o) {
    return ordered("name", o.name(), "kind", o.kind().name());
  }

  /** {@code {"<items>": [...], "nextCursor": "..." | null}} */
  static <T> Map<String, Object> page(
      String itemsName, Page<T> page, Function<T, Object> item, long pinnedEnd) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(itemsName, page.items().stream().map(item).toList());
    out.put("nextCursor", page.next().map(p -> new ApiCursor(pinnedEnd, p).encode()).orElse(null));
    return out;
  }

  /** JSON objects keep the documented field order (Map.of would shuffle it). */
  static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(k1, v1);
    out.put(k2, v2);
    return out;
  }

  static Map<String, Object> attributes(Attributes attributes) {
    return keyValues(attributes.entries());
  }

  private static Map<String, Object> keyValues(List<Attribute> entries) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Attribute a : entries) {
      out.put(a.key(), value(a.value()));
    }
    return out;
  }

  static Object value(AnyValue value) {
    if (value instanceof AnyValue.StringValue s) {
      return s.value();
    } else if (value instanceof AnyValue.BoolValue b) {
      return b.value();
    } else if (value instanceof AnyValue.IntValue i) {
      return i.value();
    } else if (value instanceof AnyValue.DoubleValue d) {
      return Double.isFinite(d.value()) ? (Object) d.value() : Double.toString(d.value());
    } else if (value instanceof AnyValue.BytesValue b) {
      return Base64.getEncoder().encodeToString(b.value());
    } else if (value instanceof AnyValue.ArrayValue a) {
      List<Object> out = new ArrayList<>(a.values().size());
      a.values().forEach(v -> out.add(value(v)));
      return out;
    } else if (value instanceof AnyValue.KeyValueListValue kv) {
      return keyValues(kv.values());
    }
    return null; // EmptyValue
  }
}
