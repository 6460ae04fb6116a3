package dev.glust.adapter.postgres;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.trace.Span;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Spans and logs written as the service of schema version 5 wrote them (its PostgresMapper, kept
 * here as it was): every row with its resource and scope, times twice, the log key over this row
 * encoding. For tests of migration V6 against rows the old writer made.
 */
final class SchemaV5Rows {
  private static final String SPAN_COLUMNS =
      "trace_id, span_id, parent_span_id, trace_state, flags, service_name, span_name, span_kind,"
          + " start_time, end_time, start_time_unix_nano, end_time_unix_nano, status_code,"
          + " status_message, attributes, dropped_attributes_count, events, dropped_events_count,"
          + " links, dropped_links_count, resource_attributes, resource_dropped_attributes_count,"
          + " resource_schema_url, scope_name, scope_version, scope_attributes,"
          + " scope_dropped_attributes_count, scope_schema_url";

  private static final String LOG_COLUMNS =
      "observed_timestamp, observed_time_unix_nano, timestamp, time_unix_nano, trace_id, span_id,"
          + " flags, service_name, severity_text, severity_number, body, event_name,"
          + " resource_attributes, resource_dropped_attributes_count, resource_schema_url,"
          + " scope_name, scope_version, scope_attributes, scope_dropped_attributes_count,"
          + " scope_schema_url, log_attributes, dropped_attributes_count, log_key";

  private SchemaV5Rows() {}

  static void copySpans(Connection connection, List<Span> spans) throws SQLException, IOException {
    copy(connection, "spans", SPAN_COLUMNS, spans, SchemaV5Rows::span);
  }

  static void copyLogs(Connection connection, List<LogRecord> logs)
      throws SQLException, IOException {
    copy(connection, "logs", LOG_COLUMNS, logs, SchemaV5Rows::log);
  }

  /** One binary COPY in the schema-5 row shape (no tenants yet). */
  private static <T> void copy(
      Connection connection,
      String table,
      String columns,
      List<T> records,
      CopyBatchWriter.RowWriter<T> rowWriter)
      throws SQLException, IOException {
    String copy = "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)";
    try (PGCopyOutputStream stream =
        new PGCopyOutputStream(connection.unwrap(PGConnection.class), copy)) {
      BinaryCopyRow row = new BinaryCopyRow(stream);
      row.header();
      for (T record : records) {
        rowWriter.write(record, row);
      }
      row.trailer();
    }
  }

  private static void span(Span span, BinaryCopyRow row) throws IOException {
    row.start(28);
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
    resourceAndScope(row, span.resource(), span.scope());
  }

  private static void log(LogRecord log, BinaryCopyRow row) throws IOException {
    row.start(23);
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
    resourceAndScope(row, log.resource(), log.scope());
    row.jsonb(JsonbCodec.attributes(log.attributes()));
    row.int4(log.attributes().droppedCount());
    row.bytea(row.identity());
  }

  private static void resourceAndScope(
      BinaryCopyRow row, Resource resource, InstrumentationScope scope) throws IOException {
    row.jsonb(JsonbCodec.attributes(resource.attributes()));
    row.int4(resource.attributes().droppedCount());
    row.text(resource.schemaUrl());
    row.text(scope.name());
    row.text(scope.version());
    row.jsonb(JsonbCodec.attributes(scope.attributes()));
    row.int4(scope.attributes().droppedCount());
    row.text(scope.schemaUrl());
  }
}
