package dev.glust.adapter.postgres;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The one place domain records become table rows and rows become domain records again; JSONB
 * columns go through {@link JsonbCodec}, which keeps every attribute value's OTLP type.
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

  /** Observed times first: they are not part of a record's identity (see {@link #writeLog}). */
  static final String LOG_COLUMNS =
      "observed_timestamp, observed_time_unix_nano, timestamp, time_unix_nano, trace_id, span_id,"
          + " flags, service_name, severity_text, severity_number, body, event_name,"
          + " resource_attributes, resource_dropped_attributes_count, resource_schema_url,"
          + " scope_name, scope_version, scope_attributes, scope_dropped_attributes_count,"
          + " scope_schema_url, log_attributes, dropped_attributes_count";

  static final int LOG_FIELDS = 22;

  /** Written by {@link #writeLog} after {@link #LOG_COLUMNS}. */
  static final String LOG_IDENTITY_COLUMN = "log_key";

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
    row.jsonb(JsonbCodec.attributes(span.attributes()));
    row.int4(span.attributes().droppedCount());
    row.jsonb(JsonbCodec.events(span.events()));
    row.int4(span.droppedEventsCount());
    row.jsonb(JsonbCodec.links(span.links()));
    row.int4(span.droppedLinksCount());
    writeResourceAndScope(row, span.resource(), span.scope());
  }

  /**
   * Writes the log record and, last, its identity: a hash of everything but its observed time, so
   * that a retried export (same records, maybe observed again) stores each record once.
   */
  void writeLog(LogRecord log, BinaryCopyRow row) throws IOException {
    row.start(LOG_FIELDS + 1);
    row.timestamptz(log.observedTimeUnixNano());
    row.int8(log.observedTimeUnixNano());
    row.beginIdentity();
    row.timestamptz(log.effectiveTimeUnixNano());
    row.int8(log.timeUnixNano());
    row.bytea(log.traceId() == null ? null : log.traceId().toBytes());
    row.bytea(log.spanId() == null ? null : log.spanId().toBytes());
    row.int4(log.flags());
    row.text(log.serviceName());
    row.text(log.severityText());
    row.int4(log.severityNumber());
    row.jsonb(log.body() instanceof AnyValue.EmptyValue ? null : JsonbCodec.value(log.body()));
    row.text(log.eventName());
    writeResourceAndScope(row, log.resource(), log.scope());
    row.jsonb(JsonbCodec.attributes(log.attributes()));
    row.int4(log.attributes().droppedCount());
    row.bytea(row.identity());
  }

  private void writeResourceAndScope(
      BinaryCopyRow row, Resource resource, InstrumentationScope scope) throws IOException {
    row.jsonbOnce(resource.attributes(), JsonbCodec::attributes);
    row.int4(resource.attributes().droppedCount());
    row.text(resource.schemaUrl());
    row.text(scope.name());
    row.text(scope.version());
    row.jsonbOnce(scope.attributes(), JsonbCodec::attributes);
    row.int4(scope.attributes().droppedCount());
    row.text(scope.schemaUrl());
  }

  // ---- reading: rows selected with SPAN_COLUMNS / LOG_COLUMNS ----

  Span readSpan(ResultSet rs) throws SQLException {
    byte[] parent = rs.getBytes("parent_span_id");
    return new Span(
        TraceId.fromBytes(rs.getBytes("trace_id")),
        SpanId.fromBytes(rs.getBytes("span_id")),
        rs.getString("trace_state"),
        parent == null ? null : SpanId.fromBytes(parent),
        rs.getInt("flags"),
        rs.getString("span_name"),
        SpanKind.fromCode(rs.getInt("span_kind")),
        rs.getLong("start_time_unix_nano"),
        rs.getLong("end_time_unix_nano"),
        JsonbCodec.readAttributes(
            rs.getString("attributes"), rs.getInt("dropped_attributes_count")),
        JsonbCodec.readEvents(rs.getString("events")),
        rs.getInt("dropped_events_count"),
        JsonbCodec.readLinks(rs.getString("links")),
        rs.getInt("dropped_links_count"),
        new SpanStatus(
            SpanStatus.Code.fromCode(rs.getInt("status_code")), rs.getString("status_message")),
        readResource(rs),
        readScope(rs));
  }

  LogRecord readLog(ResultSet rs) throws SQLException {
    byte[] traceId = rs.getBytes("trace_id");
    byte[] spanId = rs.getBytes("span_id");
    return new LogRecord(
        rs.getLong("time_unix_nano"),
        rs.getLong("observed_time_unix_nano"),
        rs.getInt("severity_number"),
        rs.getString("severity_text"),
        JsonbCodec.readValue(rs.getString("body")),
        JsonbCodec.readAttributes(
            rs.getString("log_attributes"), rs.getInt("dropped_attributes_count")),
        rs.getInt("flags"),
        traceId == null ? null : TraceId.fromBytes(traceId),
        spanId == null ? null : SpanId.fromBytes(spanId),
        rs.getString("event_name"),
        readResource(rs),
        readScope(rs));
  }

  private static Resource readResource(ResultSet rs) throws SQLException {
    return new Resource(
        JsonbCodec.readAttributes(
            rs.getString("resource_attributes"), rs.getInt("resource_dropped_attributes_count")),
        rs.getString("resource_schema_url"));
  }

  private static InstrumentationScope readScope(ResultSet rs) throws SQLException {
    return new InstrumentationScope(
        rs.getString("scope_name"),
        rs.getString("scope_version"),
        JsonbCodec.readAttributes(
            rs.getString("scope_attributes"), rs.getInt("scope_dropped_attributes_count")),
        rs.getString("scope_schema_url"));
  }
}
