package dev.glust.adapter.otlp;

import com.google.protobuf.ByteString;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanLink;
import dev.glust.domain.trace.SpanStatus;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place OTLP protobuf messages become domain records. A record that breaks a domain rule is
 * left out and counted, so the rest of its request is still stored (OTLP partial success).
 */
final class OtlpMapper {
  private final int maxRecordsPerRequest;

  OtlpMapper(int maxRecordsPerRequest) {
    this.maxRecordsPerRequest = maxRecordsPerRequest;
  }

  /** {@code wireBytes}: the request's encoded size, which the pipeline's memory bound counts. */
  ExportBatch<Span> toSpans(ExportTraceServiceRequest request, int wireBytes) {
    int count = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        count += ss.getSpansCount();
      }
    }
    requireAtMostLimit(count, "spans");
    Rejections rejections = new Rejections("span");
    List<Span> spans = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Resource resource = toResource(rs.getResource(), rs.getSchemaUrl());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        InstrumentationScope scope = toScope(ss.getScope(), ss.getSchemaUrl());
        for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
          try {
            spans.add(toSpan(span, resource, scope));
          } catch (InvalidTelemetryException e) {
            rejections.add(e);
          }
        }
      }
    }
    return rejections.batchOf(spans, wireBytes);
  }

  ExportBatch<LogRecord> toLogs(ExportLogsServiceRequest request, int wireBytes) {
    int count = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        count += sl.getLogRecordsCount();
      }
    }
    requireAtMostLimit(count, "log records");
    Rejections rejections = new Rejections("log record");
    List<LogRecord> logs = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Resource resource = toResource(rl.getResource(), rl.getSchemaUrl());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        InstrumentationScope scope = toScope(sl.getScope(), sl.getSchemaUrl());
        for (io.opentelemetry.proto.logs.v1.LogRecord log : sl.getLogRecordsList()) {
          try {
            logs.add(toLog(log, resource, scope));
          } catch (InvalidTelemetryException e) {
            rejections.add(e);
          }
        }
      }
    }
    return rejections.batchOf(logs, wireBytes);
  }

  /** Counted before mapping: refusing a huge request should not cost mapping it. */
  private void requireAtMostLimit(int count, String what) {
    if (count > maxRecordsPerRequest) {
      throw new RequestTooLargeException(
          "request holds " + count + " " + what + ", over the limit of " + maxRecordsPerRequest);
    }
  }

  private Span toSpan(
      io.opentelemetry.proto.trace.v1.Span span, Resource resource, InstrumentationScope scope) {
    List<SpanEvent> events = new ArrayList<>(span.getEventsCount());
    for (io.opentelemetry.proto.trace.v1.Span.Event e : span.getEventsList()) {
      events.add(
          new SpanEvent(
              e.getTimeUnixNano(),
              e.getName(),
              toAttributes(e.getAttributesList(), e.getDroppedAttributesCount())));
    }
    List<SpanLink> links = new ArrayList<>(span.getLinksCount());
    int droppedLinks = span.getDroppedLinksCount();
    for (io.opentelemetry.proto.trace.v1.Span.Link l : span.getLinksList()) {
      try {
        links.add(
            new SpanLink(
                TraceId.fromBytes(l.getTraceId().toByteArray()),
                SpanId.fromBytes(l.getSpanId().toByteArray()),
                l.getTraceState(),
                l.getFlags(),
                toAttributes(l.getAttributesList(), l.getDroppedAttributesCount())));
      } catch (InvalidTelemetryException e) {
        droppedLinks++; // a broken pointer to another trace should not cost the span itself
      }
    }
    return new Span(
        TraceId.fromBytes(span.getTraceId().toByteArray()),
        SpanId.fromBytes(span.getSpanId().toByteArray()),
        span.getTraceState(),
        optionalSpanId(span.getParentSpanId()),
        span.getFlags(),
        span.getName(),
        SpanKind.fromCode(span.getKindValue()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        toAttributes(span.getAttributesList(), span.getDroppedAttributesCount()),
        events,
        span.getDroppedEventsCount(),
        links,
        droppedLinks,
        new SpanStatus(
            SpanStatus.Code.fromCode(span.getStatus().getCodeValue()),
            span.getStatus().getMessage()),
        resource,
        scope);
  }

  private LogRecord toLog(
      io.opentelemetry.proto.logs.v1.LogRecord log, Resource resource, InstrumentationScope scope) {
    return new LogRecord(
        log.getTimeUnixNano(),
        log.getObservedTimeUnixNano(),
        log.getSeverityNumberValue(),
        log.getSeverityText(),
        log.hasBody() ? toValue(log.getBody()) : AnyValue.EMPTY,
        toAttributes(log.getAttributesList(), log.getDroppedAttributesCount()),
        log.getFlags(),
        optionalTraceId(log.getTraceId()),
        optionalSpanId(log.getSpanId()),
        log.getEventName(),
        resource,
        scope);
  }

  private Resource toResource(io.opentelemetry.proto.resource.v1.Resource r, String schemaUrl) {
    return new Resource(
        toAttributes(r.getAttributesList(), r.getDroppedAttributesCount()), schemaUrl);
  }

  private InstrumentationScope toScope(
      io.opentelemetry.proto.common.v1.InstrumentationScope s, String schemaUrl) {
    return new InstrumentationScope(
        s.getName(),
        s.getVersion(),
        toAttributes(s.getAttributesList(), s.getDroppedAttributesCount()),
        schemaUrl);
  }

  private Attributes toAttributes(List<KeyValue> kvs, int dropped) {
    return new Attributes(toKeyValues(kvs), dropped);
  }

  private List<Attribute> toKeyValues(List<KeyValue> kvs) {
    List<Attribute> out = new ArrayList<>(kvs.size());
    for (KeyValue kv : kvs) {
      out.add(new Attribute(kv.getKey(), toValue(kv.getValue())));
    }
    return out;
  }

  private AnyValue toValue(io.opentelemetry.proto.common.v1.AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> AnyValue.of(v.getStringValue());
      case BOOL_VALUE -> AnyValue.of(v.getBoolValue());
      case INT_VALUE -> AnyValue.of(v.getIntValue());
      case DOUBLE_VALUE -> AnyValue.of(v.getDoubleValue());
      case BYTES_VALUE -> new AnyValue.BytesValue(v.getBytesValue().toByteArray());
      case ARRAY_VALUE ->
          new AnyValue.ArrayValue(
              v.getArrayValue().getValuesList().stream().map(this::toValue).toList());
      case KVLIST_VALUE ->
          new AnyValue.KeyValueListValue(toKeyValues(v.getKvlistValue().getValuesList()));
      default -> AnyValue.EMPTY; // unset, or a newer kind (e.g. a profiles string index)
    };
  }

  /** OTLP marks "no id" with empty bytes; senders also use all zeros for it. */
  private static TraceId optionalTraceId(ByteString bytes) {
    return bytes.isEmpty() || isAllZero(bytes) ? null : TraceId.fromBytes(bytes.toByteArray());
  }

  private static SpanId optionalSpanId(ByteString bytes) {
    return bytes.isEmpty() || isAllZero(bytes) ? null : SpanId.fromBytes(bytes.toByteArray());
  }

  private static boolean isAllZero(ByteString bytes) {
    for (int i = 0; i < bytes.size(); i++) {
      if (bytes.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Counts rejected records and keeps the first reason, which is what the client gets to read. */
  private static final class Rejections {
    private final String noun;
    private int count;
    private String firstReason;

    Rejections(String noun) {
      this.noun = noun;
    }

    void add(InvalidTelemetryException e) {
      if (count++ == 0) {
        firstReason = e.getMessage();
      }
    }

    <T> ExportBatch<T> batchOf(List<T> records, long wireBytes) {
      String reason =
          count == 0
              ? ""
              : count + " " + noun + (count == 1 ? "" : "s") + " rejected; first: " + firstReason;
      return new ExportBatch<>(records, count, reason, wireBytes);
    }
  }
}
