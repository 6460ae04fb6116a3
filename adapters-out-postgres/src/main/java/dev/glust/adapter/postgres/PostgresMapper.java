package dev.glust.adapter.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * The one place domain records become table rows. Attribute values keep their OTLP type in JSONB:
 * strings, booleans and arrays as themselves, key-value lists as objects, ints as integers, doubles
 * always with a decimal point (JSONB keeps {@code 1.0} apart from {@code 1}), and the two types
 * JSON has no literal for wrapped in OTLP/JSON's own names: {@code {"bytesValue": "<base64>"}} and
 * {@code {"doubleValue": "NaN" | "Infinity" | "-Infinity"}}.
 */
final class PostgresMapper {
  static final String SPAN_COLUMNS =
      "trace_id, span_id, parent_span_id, trace_state, flags, service_name, span_name, span_kind,"
          + " start_time, end_time, start_time_unix_nano, end_time_unix_nano, status_code,"
          + " status_message, attributes, dropped_attributes_count, events, dropped_events_count,"
          + " links, dropped_links_count, resource_attributes, resource_dropped_attributes_count,"
          + " resource_schema_url, scope_name, scope_version, scope_attributes,"
          + " scope_dropped_attributes_count, scope_schema_url";
  static final int SPAN_FIELDS = 28;

  static final String LOG_COLUMNS =
      "timestamp, observed_timestamp, time_unix_nano, observed_time_unix_nano, trace_id, span_id,"
          + " flags, service_name, severity_text, severity_number, body, event_name,"
          + " resource_attributes, resource_dropped_attributes_count, resource_schema_url,"
          + " scope_name, scope_version, scope_attributes, scope_dropped_attributes_count,"
          + " scope_schema_url, log_attributes, dropped_attributes_count";
  static final int LOG_FIELDS = 22;

  private static final JsonFactory JSON = new JsonFactory();

  void writeSpan(Span span, BinaryCopyRow row) throws IOException {
    row.start(SPAN_FIELDS);
    row.bytea(span.traceId().toBytes());
    row.bytea(span.spanId().toBytes());
    row.bytea(span.parentSpanId() == null ? null : span.parentSpanId().toBytes());
    row.text(span.traceState());
    row.int4(span.flags());
    row.text(span.serviceName());
    row.text(span.name());
    row.int2(span.kind().code());
    row.timestamptz(span.startTimeUnixNano());
    row.timestamptz(span.endTimeUnixNano());
    row.int8(span.startTimeUnixNano());
    row.int8(span.endTimeUnixNano());
    row.int2(span.status().code().code());
    row.text(span.status().message());
    row.jsonb(json(g -> writeAttributes(g, span.attributes())));
    row.int4(span.attributes().droppedCount());
    row.jsonb(json(g -> writeEvents(g, span.events())));
    row.int4(span.droppedEventsCount());
    row.jsonb(json(g -> writeLinks(g, span.links())));
    row.int4(span.droppedLinksCount());
    writeResourceAndScope(row, span.resource(), span.scope());
  }

  void writeLog(LogRecord log, BinaryCopyRow row) throws IOException {
    row.start(LOG_FIELDS);
    row.timestamptz(log.effectiveTimeUnixNano());
    row.timestamptz(log.observedTimeUnixNano());
    row.int8(log.timeUnixNano());
    row.int8(log.observedTimeUnixNano());
    row.bytea(log.traceId() == null ? null : log.traceId().toBytes());
    row.bytea(log.spanId() == null ? null : log.spanId().toBytes());
    row.int4(log.flags());
    row.text(log.serviceName());
    row.text(log.severityText());
    row.int4(log.severityNumber());
    row.jsonb(
        log.body() instanceof AnyValue.EmptyValue ? null : json(g -> writeValue(g, log.body())));
    row.text(log.eventName());
    writeResourceAndScope(row, log.resource(), log.scope());
    row.jsonb(json(g -> writeAttributes(g, log.attributes())));
    row.int4(log.attributes().droppedCount());
  }

  private void writeResourceAndScope(
      BinaryCopyRow row, Resource resource, InstrumentationScope scope) throws IOException {
    row.jsonb(json(g -> writeAttributes(g, resource.attributes())));
    row.int4(resource.attributes().droppedCount());
    row.text(resource.schemaUrl());
    row.text(scope.name());
    row.text(scope.version());
    row.jsonb(json(g -> writeAttributes(g, scope.attributes())));
    row.int4(scope.attributes().droppedCount());
    row.text(scope.schemaUrl());
  }

  private static void writeEvents(JsonGenerator g, List<SpanEvent> events) throws IOException {
    g.writeStartArray();
    for (SpanEvent e : events) {
      g.writeStartObject();
      g.writeNumberField("timeUnixNano", e.timeUnixNano());
      g.writeStringField("name", e.name());
      g.writeFieldName("attributes");
      writeAttributes(g, e.attributes());
      g.writeNumberField("droppedAttributesCount", e.attributes().droppedCount());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeLinks(JsonGenerator g, List<SpanLink> links) throws IOException {
    g.writeStartArray();
    for (SpanLink l : links) {
      g.writeStartObject();
      g.writeStringField("traceId", l.traceId().toHex());
      g.writeStringField("spanId", l.spanId().toHex());
      g.writeStringField("traceState", l.traceState());
      g.writeNumberField("flags", l.flags());
      g.writeFieldName("attributes");
      writeAttributes(g, l.attributes());
      g.writeNumberField("droppedAttributesCount", l.attributes().droppedCount());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeAttributes(JsonGenerator g, Attributes attributes) throws IOException {
    writeKeyValues(g, attributes.entries());
  }

  private static void writeKeyValues(JsonGenerator g, List<Attribute> entries) throws IOException {
    g.writeStartObject();
    for (Attribute a : entries) {
      g.writeFieldName(a.key());
      writeValue(g, a.value());
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, AnyValue value) throws IOException {
    if (value instanceof AnyValue.StringValue s) {
      g.writeString(s.value());
    } else if (value instanceof AnyValue.BoolValue b) {
      g.writeBoolean(b.value());
    } else if (value instanceof AnyValue.IntValue i) {
      g.writeNumber(i.value());
    } else if (value instanceof AnyValue.DoubleValue d) {
      writeDouble(g, d.value());
    } else if (value instanceof AnyValue.BytesValue b) {
      g.writeStartObject();
      g.writeFieldName("bytesValue");
      g.writeBinary(b.value());
      g.writeEndObject();
    } else if (value instanceof AnyValue.ArrayValue a) {
      g.writeStartArray();
      for (AnyValue v : a.values()) {
        writeValue(g, v);
      }
      g.writeEndArray();
    } else if (value instanceof AnyValue.KeyValueListValue kv) {
      writeKeyValues(g, kv.values());
    } else {
      g.writeNull(); // EmptyValue
    }
  }

  private static void writeDouble(JsonGenerator g, double d) throws IOException {
    if (Double.isFinite(d)) {
      String plain = BigDecimal.valueOf(d).toPlainString();
      g.writeNumber(plain.indexOf('.') < 0 ? plain + ".0" : plain);
    } else {
      g.writeStartObject();
      g.writeStringField("doubleValue", Double.toString(d));
      g.writeEndObject();
    }
  }

  private interface JsonWriting {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] json(JsonWriting writing) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      writing.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("JSON to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }
}
