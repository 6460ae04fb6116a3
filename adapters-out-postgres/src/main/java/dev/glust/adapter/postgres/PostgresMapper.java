package dev.glust.adapter.postgres;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attributes;
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
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanLink;
import dev.glust.domain.trace.SpanStatus;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The one place domain records become table rows and rows become domain records again; JSONB
 * columns go through {@link JsonbCodec}, which keeps every attribute value's OTLP type.
 */
final class PostgresMapper {
  /**
   * The columns of a span row (migration V6), in the order {@link #writeSpan} writes them. A span's
   * resource and scope are rows of their own, referenced by id (see {@link ResourcesAndScopes}).
   */
  static final String SPAN_COLUMNS =
      "start_time, duration_nanos, flags, dropped_attributes_count, dropped_events_count,"
          + " dropped_links_count, start_time_nanos, span_kind, status_code, trace_id, span_id,"
          + " parent_span_id, resource_id, scope_id, service_name, span_name, trace_state,"
          + " status_message, attributes, events, links";

  private static final int SPAN_FIELDS = 21;

  /** A span's exact start in unix nanoseconds: the microseconds of start_time and the rest. */
  static final String SPAN_START_UNIX_NANO = unixNano("start_time", "start_time_nanos");

  /** A span's identity (trace id, span id) as the INSERT returns it, and as a record's bytes. */
  static final CopyBatchWriter.Identity<Span> SPAN_IDENTITY =
      new CopyBatchWriter.Identity<>(
          "trace_id || span_id",
          span -> {
            byte[] trace = span.traceId().toBytes();
            byte[] id = span.spanId().toBytes();
            byte[] both = Arrays.copyOf(trace, trace.length + id.length);
            System.arraycopy(id, 0, both, trace.length, id.length);
            return both;
          });

  /** What readers select to read spans with {@link #readSpan}. */
  static final String SPAN_SELECT =
      SPAN_COLUMNS + ", " + SPAN_START_UNIX_NANO + " AS start_time_unix_nano";

  /** The columns of a log row (migration V6), in the order {@link #writeLog} writes them. */
  static final String LOG_COLUMNS =
      "timestamp, observed_offset_nanos, flags, severity_number, dropped_attributes_count,"
          + " timestamp_nanos, own_time, log_key, trace_id, span_id, resource_id, scope_id,"
          + " service_name, severity_text, event_name, body, log_attributes";

  private static final int LOG_FIELDS = 17;

  /** A log record's exact time in unix nanoseconds. */
  static final String LOG_TIME_UNIX_NANO = unixNano("timestamp", "timestamp_nanos");

  /** What readers select to read log records with {@link #readLog}. */
  static final String LOG_SELECT =
      LOG_COLUMNS + ", " + LOG_TIME_UNIX_NANO + " AS timestamp_unix_nano";

  /**
   * Exact nanoseconds from a TIMESTAMPTZ and its sub-microsecond rest: {@code extract} gives the
   * epoch as an exact numeric, negative times included.
   */
  private static String unixNano(String timestamp, String nanos) {
    return "((extract(epoch FROM " + timestamp + ") * 1000000)::bigint * 1000 + " + nanos + ")";
  }

  /** The sub-microsecond rest of a time, 0..999 (TIMESTAMPTZ holds its floor in microseconds). */
  static int subMicroNanos(long unixNano) {
    return (int) Math.floorMod(unixNano, 1000L);
  }

  void writeSpan(Span span, ResourcesAndScopes.BatchIds ids, BinaryCopyRow row) throws IOException {
    row.start(SPAN_FIELDS);
    row.timestamptz(span.startTimeUnixNano());
    row.int8(span.endTimeUnixNano() - span.startTimeUnixNano());
    row.int4(span.flags());
    row.int4(span.attributes().droppedCount());
    row.int4(span.droppedEventsCount());
    row.int4(span.droppedLinksCount());
    row.int2(subMicroNanos(span.startTimeUnixNano()));
    row.int2(span.kind().code());
    row.int2(span.status().code().code());
    row.bytea(span.traceId().toBytes());
    row.bytea(span.spanId().toBytes());
    row.bytea(span.parentSpanId() == null ? null : span.parentSpanId().toBytes());
    row.bytea(ids.resource(span.resource()));
    row.bytea(ids.scope(span.scope()));
    row.text(span.serviceName());
    row.text(span.name());
    row.text(span.traceState());
    row.text(span.status().message());
    row.jsonb(JsonbCodec.attributes(span.attributes()));
    row.jsonb(JsonbCodec.events(span.events()));
    row.jsonb(JsonbCodec.links(span.links()));
  }

  /**
   * Writes the log record with its identity, {@link #logKey}. Its time is its effective time (its
   * own, or its observed time when it has none: the partition key the unique index needs), and its
   * observed time is an offset from that.
   */
  void writeLog(LogRecord log, ResourcesAndScopes.BatchIds ids, BinaryCopyRow row)
      throws IOException {
    long effective = log.effectiveTimeUnixNano();
    byte[] body = log.body() instanceof AnyValue.EmptyValue ? null : JsonbCodec.value(log.body());
    byte[] attributes = JsonbCodec.attributes(log.attributes());
    byte[] traceId = log.traceId() == null ? null : log.traceId().toBytes();
    byte[] spanId = log.spanId() == null ? null : log.spanId().toBytes();
    row.start(LOG_FIELDS);
    row.timestamptz(effective);
    row.int8(log.observedTimeUnixNano() - effective);
    row.int4(log.flags());
    row.int4(log.severityNumber());
    row.int4(log.attributes().droppedCount());
    row.int2(subMicroNanos(effective));
    row.bool(log.timeUnixNano() != 0);
    row.bytea(logKey(log, traceId, spanId, body, attributes, row.digestOnly()));
    row.bytea(traceId);
    row.bytea(spanId);
    row.bytea(ids.resource(log.resource()));
    row.bytea(ids.scope(log.scope()));
    row.text(log.serviceName());
    row.text(log.severityText());
    row.text(log.eventName());
    row.jsonb(body);
    row.jsonb(attributes);
  }

  /**
   * A log record's identity: a hash of everything but its observed time, so that a retried export
   * (same records, maybe observed again) stores each record once. A record without a time of its
   * own has only its observed time to tell it from the same line logged again; its effective time
   * is hashed. The hashed encoding is the binary COPY row of schema version 5 (fields in its column
   * order, resource and scope inline), whatever the table's layout now: a record stored before
   * migration V6 and retried after it has the same key.
   */
  private static byte[] logKey(
      LogRecord log,
      byte[] traceId,
      byte[] spanId,
      byte[] body,
      byte[] attributes,
      BinaryCopyRow key)
      throws IOException {
    key.beginIdentity();
    key.timestamptz(log.effectiveTimeUnixNano());
    key.int8(log.timeUnixNano());
    key.bytea(traceId);
    key.bytea(spanId);
    key.int4(log.flags());
    key.text(log.serviceName());
    key.text(log.severityText());
    key.int4(log.severityNumber());
    key.jsonb(body);
    key.text(log.eventName());
    writeResourceAndScope(key, log.resource(), log.scope());
    key.jsonb(attributes);
    key.int4(log.attributes().droppedCount());
    return key.identity();
  }

  // ---- metrics (migration V4): a series row per new series, a point row per data point ----

  static final String SERIES_COLUMNS =
      "series_id, metric_name, metric_kind, unit, description, temporality, monotonic,"
          + " service_name, resource_id, scope_id, attributes, first_seen, last_seen";

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

  void writeSeries(
      Metric metric,
      DataPoint point,
      byte[] seriesId,
      long firstSeenUnixNano,
      long lastSeenUnixNano,
      ResourcesAndScopes.BatchIds ids,
      BinaryCopyRow row)
      throws IOException {
    row.start(13);
    row.bytea(seriesId);
    row.text(metric.name());
    row.int2(metric.kind().code());
    row.text(metric.unit());
    row.text(metric.description());
    row.int2(metric.temporality().code());
    row.bool(metric.monotonic());
    row.text(metric.serviceName());
    row.bytea(ids.resource(metric.resource()));
    row.bytea(ids.scope(metric.scope()));
    row.jsonb(JsonbCodec.attributes(point.attributes()));
    row.timestamptz(firstSeenUnixNano);
    row.timestamptz(lastSeenUnixNano);
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

  private static void writeResourceAndScope(
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

  // ---- reading: rows selected with SPAN_SELECT / LOG_SELECT, resources and scopes by id ----

  ResourcesAndScopes.Unattached<Span> readSpan(ResultSet rs) throws SQLException {
    byte[] parent = rs.getBytes("parent_span_id");
    TraceId traceId = TraceId.fromBytes(rs.getBytes("trace_id"));
    SpanId spanId = SpanId.fromBytes(rs.getBytes("span_id"));
    String traceState = rs.getString("trace_state");
    int flags = rs.getInt("flags");
    String name = rs.getString("span_name");
    SpanKind kind = SpanKind.fromCode(rs.getInt("span_kind"));
    long start = rs.getLong("start_time_unix_nano");
    long end = start + rs.getLong("duration_nanos");
    Attributes attributes =
        JsonbCodec.readAttributes(
            rs.getString("attributes"), rs.getInt("dropped_attributes_count"));
    List<SpanEvent> events = JsonbCodec.readEvents(rs.getString("events"));
    int droppedEvents = rs.getInt("dropped_events_count");
    List<SpanLink> links = JsonbCodec.readLinks(rs.getString("links"));
    int droppedLinks = rs.getInt("dropped_links_count");
    SpanStatus status =
        new SpanStatus(
            SpanStatus.Code.fromCode(rs.getInt("status_code")), rs.getString("status_message"));
    return new ResourcesAndScopes.Unattached<>(
        rs.getBytes("resource_id"),
        rs.getBytes("scope_id"),
        (resource, scope) ->
            new Span(
                traceId,
                spanId,
                traceState,
                parent == null ? null : SpanId.fromBytes(parent),
                flags,
                name,
                kind,
                start,
                end,
                attributes,
                events,
                droppedEvents,
                links,
                droppedLinks,
                status,
                resource,
                scope));
  }

  ResourcesAndScopes.Unattached<LogRecord> readLog(ResultSet rs) throws SQLException {
    byte[] traceId = rs.getBytes("trace_id");
    byte[] spanId = rs.getBytes("span_id");
    long effective = rs.getLong("timestamp_unix_nano");
    long time = rs.getBoolean("own_time") ? effective : 0;
    long observed = effective + rs.getLong("observed_offset_nanos");
    int severityNumber = rs.getInt("severity_number");
    String severityText = rs.getString("severity_text");
    AnyValue body = JsonbCodec.readValue(rs.getString("body"));
    Attributes attributes =
        JsonbCodec.readAttributes(
            rs.getString("log_attributes"), rs.getInt("dropped_attributes_count"));
    int flags = rs.getInt("flags");
    String eventName = rs.getString("event_name");
    return new ResourcesAndScopes.Unattached<>(
        rs.getBytes("resource_id"),
        rs.getBytes("scope_id"),
        (resource, scope) ->
            new LogRecord(
                time,
                observed,
                severityNumber,
                severityText,
                body,
                attributes,
                flags,
                traceId == null ? null : TraceId.fromBytes(traceId),
                spanId == null ? null : SpanId.fromBytes(spanId),
                eventName,
                resource,
                scope));
  }
}
