package dev.glust.adapter.postgres;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.NumberValue;
import dev.glust.domain.metric.SummaryValue;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

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
   * that a retried export (same records, maybe observed again) stores each record once. A record
   * without a time of its own has only its observed time to tell it from the same line logged
   * again; its effective time (hashed, and the partition key the unique index needs) is that
   * observed time.
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

  // ---- metrics (migration V4): a series row per new series, a point row per data point ----

  static final String SERIES_COLUMNS =
      "series_id, metric_name, metric_kind, unit, description, temporality, monotonic,"
          + " service_name, resource_attributes, resource_dropped_attributes_count,"
          + " resource_schema_url, scope_name, scope_version, scope_attributes,"
          + " scope_dropped_attributes_count, scope_schema_url, attributes, first_seen, last_seen";

  /** The columns every point table starts with: its series and times. */
  private static final String POINT_COLUMNS =
      "series_id, timestamp, time_unix_nano, start_time_unix_nano, ";

  private static final int POINT_FIELDS = 4;

  static final String NUMBER_COLUMNS = POINT_COLUMNS + "value_double, value_int, flags, exemplars";
  static final String HISTOGRAM_COLUMNS =
      POINT_COLUMNS + "count, sum, min, max, bucket_counts, explicit_bounds, flags, exemplars";
  static final String EXP_HISTOGRAM_COLUMNS =
      POINT_COLUMNS
          + "count, sum, min, max, scale, zero_count, zero_threshold, positive_offset,"
          + " positive_bucket_counts, negative_offset, negative_bucket_counts, flags, exemplars";
  static final String SUMMARY_COLUMNS =
      POINT_COLUMNS + "count, sum, quantiles, quantile_values, flags";

  void writeSeries(Metric metric, DataPoint point, byte[] seriesId, Instant seen, BinaryCopyRow row)
      throws IOException {
    row.start(19);
    row.bytea(seriesId);
    row.text(metric.name());
    row.int2(metric.kind().code());
    row.text(metric.unit());
    row.text(metric.description());
    row.int2(metric.temporality().code());
    row.bool(metric.monotonic());
    row.text(metric.serviceName());
    writeResourceAndScope(row, metric.resource(), metric.scope());
    row.jsonb(JsonbCodec.attributes(point.attributes()));
    long seenUnixNano = seen.getEpochSecond() * 1_000_000_000L + seen.getNano();
    row.timestamptz(seenUnixNano);
    row.timestamptz(seenUnixNano);
  }

  void writeNumberPoint(byte[] seriesId, DataPoint point, BinaryCopyRow row) throws IOException {
    startPoint(seriesId, point, row, 4);
    Number value = ((NumberValue) point.value()).value();
    if (value instanceof Double d) {
      row.float8(d);
      row.nullValue();
    } else {
      row.nullValue();
      row.int8(value.longValue());
    }
    endPoint(point, row);
  }

  void writeHistogramPoint(byte[] seriesId, DataPoint point, BinaryCopyRow row) throws IOException {
    HistogramValue h = (HistogramValue) point.value();
    startPoint(seriesId, point, row, 8);
    row.int8(h.count());
    row.float8(h.sum());
    row.float8(h.min());
    row.float8(h.max());
    row.int8Array(h.bucketCounts());
    row.float8Array(h.explicitBounds());
    endPoint(point, row);
  }

  void writeExponentialHistogramPoint(byte[] seriesId, DataPoint point, BinaryCopyRow row)
      throws IOException {
    ExponentialHistogramValue h = (ExponentialHistogramValue) point.value();
    startPoint(seriesId, point, row, 13);
    row.int8(h.count());
    row.float8(h.sum());
    row.float8(h.min());
    row.float8(h.max());
    row.int4(h.scale());
    row.int8(h.zeroCount());
    row.float8(h.zeroThreshold());
    row.int4(h.positive().offset());
    row.int8Array(h.positive().counts());
    row.int4(h.negative().offset());
    row.int8Array(h.negative().counts());
    endPoint(point, row);
  }

  void writeSummaryPoint(byte[] seriesId, DataPoint point, BinaryCopyRow row) throws IOException {
    SummaryValue s = (SummaryValue) point.value();
    startPoint(seriesId, point, row, 5);
    row.int8(s.count());
    row.float8(s.sum());
    row.float8Array(s.quantiles().stream().map(SummaryValue.Quantile::quantile).toList());
    row.float8Array(s.quantiles().stream().map(SummaryValue.Quantile::value).toList());
    row.int4(point.flags()); // summaries have no exemplars
  }

  /**
   * @param ownFields the fields after the common ones, flags and exemplars included
   */
  private static void startPoint(byte[] seriesId, DataPoint point, BinaryCopyRow row, int ownFields)
      throws IOException {
    row.start(POINT_FIELDS + ownFields);
    row.bytea(seriesId);
    row.timestamptz(point.timeUnixNano());
    row.int8(point.timeUnixNano());
    row.int8(point.startTimeUnixNano());
  }

  private static void endPoint(DataPoint point, BinaryCopyRow row) throws IOException {
    row.int4(point.flags());
    row.jsonb(JsonbCodec.exemplars(point.exemplars()));
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
