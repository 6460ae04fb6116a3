package dev.glust.adapter.query;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.glust.adapter.mapping.otlp.DomainToOtlp;
import dev.glust.application.port.model.spanset.SpanField;
import dev.glust.application.port.model.spanset.SpansetMatch;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.trace.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tempo's answers: traces as OTLP (protobuf bytes, or OTLP/JSON with hex ids), search results as
 * Tempo's {@code traces[].spanSets[]}, tag values typed as Tempo types them.
 */
final class TempoJson {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");

  private TempoJson() {}

  /** {@code tempopb.Trace}, wire-identical to OTLP {@code TracesData}: field 1, resource spans. */
  static byte[] traceProtobuf(List<Span> spans) {
    return DomainToOtlp.spans(spans).toByteArray();
  }

  /**
   * {@code tempopb.TraceByIDResponse}: the trace as field 1; status (field 3) is COMPLETE, the
   * default, so it is left out as protobuf leaves defaults out.
   */
  static byte[] traceByIdResponseProtobuf(List<Span> spans) {
    byte[] trace = traceProtobuf(spans);
    ByteArrayOutputStream out = new ByteArrayOutputStream(trace.length + 6);
    out.write((1 << 3) | 2); // field 1, length-delimited
    int length = trace.length;
    while ((length & ~0x7F) != 0) {
      out.write((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    out.write(length);
    out.writeBytes(trace);
    return out.toByteArray();
  }

  /** The trace as OTLP/JSON ({@code {"resourceSpans": […]}}), ids in hex as OTLP writes them. */
  static String traceJson(List<Span> spans) {
    ExportTraceServiceRequest request = DomainToOtlp.spans(spans);
    try {
      JsonElement tree = JsonParser.parseString(PRINTER.print(request));
      idsToHex(tree);
      return tree.toString();
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException(new IOException("a trace could not be printed as JSON", e));
    }
  }

  /** v2: {@code {"trace": {…}, "status": "COMPLETE", "message": ""}}. */
  static String traceByIdResponseJson(List<Span> spans) {
    JsonObject out = new JsonObject();
    out.add("trace", JsonParser.parseString(traceJson(spans)));
    out.addProperty("status", "COMPLETE");
    out.addProperty("message", "");
    return out.toString();
  }

  private static void idsToHex(JsonElement element) {
    if (element.isJsonArray()) {
      element.getAsJsonArray().forEach(TempoJson::idsToHex);
    } else if (element.isJsonObject()) {
      for (Map.Entry<String, JsonElement> e : element.getAsJsonObject().entrySet()) {
        if (ID_FIELDS.contains(e.getKey()) && e.getValue().isJsonPrimitive()) {
          byte[] id = Base64.getDecoder().decode(e.getValue().getAsString());
          e.setValue(new com.google.gson.JsonPrimitive(HexFormat.of().formatHex(id)));
        } else {
          idsToHex(e.getValue());
        }
      }
    }
  }

  /**
   * One search hit: the trace's summary and its matched spans, at most {@code spansPerSpanSet},
   * each with {@code service.name} and the attributes the query named (as Tempo returns them).
   */
  static Map<String, Object> searchHit(
      SpansetMatch match, int spansPerSpanSet, List<SpanField.AttributeField> named) {
    List<Map<String, Object>> spans = new ArrayList<>();
    for (Span span : match.spans().subList(0, Math.min(spansPerSpanSet, match.spans().size()))) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("spanID", span.spanId().toString());
      s.put("name", span.name());
      s.put("startTimeUnixNano", Long.toString(span.startTimeUnixNano()));
      s.put("durationNanos", Long.toString(span.endTimeUnixNano() - span.startTimeUnixNano()));
      s.put("attributes", attributes(span, named));
      spans.add(s);
    }
    Map<String, Object> spanSet = new LinkedHashMap<>();
    spanSet.put("spans", spans);
    spanSet.put("matched", match.spans().size());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traceID", match.trace().traceId().toString());
    out.put("rootServiceName", match.trace().rootServiceName());
    out.put("rootTraceName", match.trace().rootSpanName());
    out.put("startTimeUnixNano", Long.toString(match.trace().startUnixNano()));
    out.put("durationMs", match.trace().durationNanos() / 1_000_000);
    out.put("spanSet", spanSet);
    out.put("spanSets", List.of(spanSet));
    return out;
  }

  private static List<Map<String, Object>> attributes(
      Span span, List<SpanField.AttributeField> named) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    span.resource()
        .attributes()
        .get("service.name")
        .flatMap(TempoJson::otlpValue)
        .ifPresent(
            v -> out.put("service.name", ApiJson.ordered("key", "service.name", "value", v)));
    for (SpanField.AttributeField field : named) {
      Optional<AnyValue> value =
          switch (field.scope()) {
            case SPAN -> span.attributes().get(field.key());
            case RESOURCE -> span.resource().attributes().get(field.key());
            case ANY ->
                span.attributes()
                    .get(field.key())
                    .or(() -> span.resource().attributes().get(field.key()));
          };
      value
          .flatMap(TempoJson::otlpValue)
          .ifPresent(
              v -> out.putIfAbsent(field.key(), ApiJson.ordered("key", field.key(), "value", v)));
    }
    return List.copyOf(out.values());
  }

  /** A scalar as OTLP/JSON's AnyValue ({@code {"intValue": "500"}}); other kinds are left out. */
  private static Optional<Map<String, Object>> otlpValue(AnyValue value) {
    return typed(value)
        .map(
            t ->
                Map.of(
                    switch (t.type()) {
                      case "int" -> "intValue";
                      case "float" -> "doubleValue";
                      case "bool" -> "boolValue";
                      default -> "stringValue";
                    },
                    t.type().equals("string") || t.type().equals("int")
                        ? t.value()
                        : t.type().equals("bool")
                            ? Boolean.parseBoolean(t.value())
                            : Double.parseDouble(t.value())));
  }

  /** A value as Tempo's tag values list it: type and text. */
  record TypedValue(String type, String value) {}

  static Optional<TypedValue> typed(AnyValue value) {
    if (value instanceof AnyValue.StringValue s) {
      return Optional.of(new TypedValue("string", s.value()));
    } else if (value instanceof AnyValue.IntValue i) {
      return Optional.of(new TypedValue("int", Long.toString(i.value())));
    } else if (value instanceof AnyValue.DoubleValue d && Double.isFinite(d.value())) {
      return Optional.of(new TypedValue("float", Double.toString(d.value())));
    } else if (value instanceof AnyValue.BoolValue b) {
      return Optional.of(new TypedValue("bool", Boolean.toString(b.value())));
    }
    return Optional.empty();
  }
}
