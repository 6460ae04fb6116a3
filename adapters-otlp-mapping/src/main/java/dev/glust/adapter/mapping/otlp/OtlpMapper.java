package dev.glust.adapter.mapping.otlp;

import com.google.protobuf.ByteString;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.DroppedCounts;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.Exemplar;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.metric.NumberValue;
import dev.glust.domain.metric.PointValue;
import dev.glust.domain.metric.SummaryValue;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanLink;
import dev.glust.domain.trace.SpanStatus;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The one place OTLP protobuf messages become domain records (metrics: one record per data point),
 * whether they came from an OTLP client or from a Kafka topic. A record that breaks a domain rule
 * is left out and counted, so the rest of its request is still stored (OTLP partial success). Its
 * inverse is {@link DomainToOtlp}. Stateless: one instance serves every thread.
 */
public final class OtlpMapper {

  /** {@code wireBytes}: the request's encoded size, which the pipeline's memory bound counts. */
  public ExportBatch<Span> toSpans(
      TenantId tenant, ExportTraceServiceRequest request, long wireBytes) {
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
    return rejections.batchOf(tenant, spans, wireBytes);
  }

  public ExportBatch<LogRecord> toLogs(
      TenantId tenant, ExportLogsServiceRequest request, long wireBytes) {
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
    return rejections.batchOf(tenant, logs, wireBytes);
  }

  /**
   * One {@link MetricPoint} per data point: the records-per-request limit and partial success count
   * data points, as OTLP's {@code rejected_data_points} does. A metric without a name loses all its
   * points; a metric without data has nothing to store.
   */
  public ExportBatch<MetricPoint> toMetricPoints(
      TenantId tenant, ExportMetricsServiceRequest request, long wireBytes) {
    Rejections rejections = new Rejections("data point");
    List<MetricPoint> points = new ArrayList<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Resource resource = toResource(rm.getResource(), rm.getSchemaUrl());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        InstrumentationScope scope = toScope(sm.getScope(), sm.getSchemaUrl());
        for (io.opentelemetry.proto.metrics.v1.Metric metric : sm.getMetricsList()) {
          addPoints(metric, resource, scope, points, rejections);
        }
      }
    }
    return rejections.batchOf(tenant, points, wireBytes);
  }

  public static int spanCount(ExportTraceServiceRequest request) {
    int count = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        count += ss.getSpansCount();
      }
    }
    return count;
  }

  public static int logRecordCount(ExportLogsServiceRequest request) {
    int count = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        count += sl.getLogRecordsCount();
      }
    }
    return count;
  }

  public static int dataPointCount(ExportMetricsServiceRequest request) {
    int count = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (io.opentelemetry.proto.metrics.v1.Metric metric : sm.getMetricsList()) {
          count += dataPointCount(metric);
        }
      }
    }
    return count;
  }

  private static int dataPointCount(io.opentelemetry.proto.metrics.v1.Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsCount();
      case SUM -> metric.getSum().getDataPointsCount();
      case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> metric.getSummary().getDataPointsCount();
      default -> 0;
    };
  }

  private void addPoints(
      io.opentelemetry.proto.metrics.v1.Metric proto,
      Resource resource,
      InstrumentationScope scope,
      List<MetricPoint> out,
      Rejections rejections) {
    MetricKind kind;
    AggregationTemporality temporality = AggregationTemporality.UNSPECIFIED;
    boolean monotonic = false;
    switch (proto.getDataCase()) {
      case GAUGE -> kind = MetricKind.GAUGE;
      case SUM -> {
        kind = MetricKind.SUM;
        temporality =
            AggregationTemporality.fromCode(proto.getSum().getAggregationTemporalityValue());
        monotonic = proto.getSum().getIsMonotonic();
      }
      case HISTOGRAM -> {
        kind = MetricKind.HISTOGRAM;
        temporality =
            AggregationTemporality.fromCode(proto.getHistogram().getAggregationTemporalityValue());
      }
      case EXPONENTIAL_HISTOGRAM -> {
        kind = MetricKind.EXPONENTIAL_HISTOGRAM;
        temporality =
            AggregationTemporality.fromCode(
                proto.getExponentialHistogram().getAggregationTemporalityValue());
      }
      case SUMMARY -> kind = MetricKind.SUMMARY;
      default -> {
        return; // no data (or a kind newer than this mapper): nothing to store
      }
    }
    Metric metric;
    try {
      metric =
          new Metric(
              proto.getName(),
              proto.getDescription(),
              proto.getUnit(),
              kind,
              temporality,
              monotonic,
              resource,
              scope);
    } catch (InvalidTelemetryException e) {
      rejections.add(e, dataPointCount(proto));
      return;
    }
    switch (kind) {
      case GAUGE ->
          addEach(proto.getGauge().getDataPointsList(), this::toPoint, metric, out, rejections);
      case SUM ->
          addEach(proto.getSum().getDataPointsList(), this::toPoint, metric, out, rejections);
      case HISTOGRAM ->
          addEach(proto.getHistogram().getDataPointsList(), this::toPoint, metric, out, rejections);
      case EXPONENTIAL_HISTOGRAM ->
          addEach(
              proto.getExponentialHistogram().getDataPointsList(),
              this::toPoint,
              metric,
              out,
              rejections);
      case SUMMARY ->
          addEach(proto.getSummary().getDataPointsList(), this::toPoint, metric, out, rejections);
    }
  }

  private static <P> void addEach(
      List<P> protoPoints,
      Function<P, DataPoint> toPoint,
      Metric metric,
      List<MetricPoint> out,
      Rejections rejections) {
    for (P proto : protoPoints) {
      try {
        out.add(new MetricPoint(metric, toPoint.apply(proto)));
      } catch (InvalidTelemetryException e) {
        rejections.add(e, 1);
      }
    }
  }

  private DataPoint toPoint(NumberDataPoint p) {
    Number value =
        switch (p.getValueCase()) {
          case AS_INT -> Long.valueOf(p.getAsInt());
          case AS_DOUBLE -> Double.valueOf(p.getAsDouble());
          default -> null; // refused by NumberValue: a point without a value
        };
    return dataPoint(
        p.getAttributesList(),
        p.getStartTimeUnixNano(),
        p.getTimeUnixNano(),
        p.getFlags(),
        new NumberValue(value),
        p.getExemplarsList());
  }

  private DataPoint toPoint(HistogramDataPoint p) {
    return dataPoint(
        p.getAttributesList(),
        p.getStartTimeUnixNano(),
        p.getTimeUnixNano(),
        p.getFlags(),
        new HistogramValue(
            p.getCount(),
            optional(p.hasSum(), p.getSum()),
            optional(p.hasMin(), p.getMin()),
            optional(p.hasMax(), p.getMax()),
            p.getBucketCountsList(),
            p.getExplicitBoundsList()),
        p.getExemplarsList());
  }

  private DataPoint toPoint(ExponentialHistogramDataPoint p) {
    return dataPoint(
        p.getAttributesList(),
        p.getStartTimeUnixNano(),
        p.getTimeUnixNano(),
        p.getFlags(),
        new ExponentialHistogramValue(
            p.getCount(),
            optional(p.hasSum(), p.getSum()),
            optional(p.hasMin(), p.getMin()),
            optional(p.hasMax(), p.getMax()),
            p.getScale(),
            p.getZeroCount(),
            p.getZeroThreshold(),
            new Buckets(p.getPositive().getOffset(), p.getPositive().getBucketCountsList()),
            new Buckets(p.getNegative().getOffset(), p.getNegative().getBucketCountsList())),
        p.getExemplarsList());
  }

  private DataPoint toPoint(SummaryDataPoint p) {
    return dataPoint(
        p.getAttributesList(),
        p.getStartTimeUnixNano(),
        p.getTimeUnixNano(),
        p.getFlags(),
        new SummaryValue(
            p.getCount(),
            p.getSum(),
            p.getQuantileValuesList().stream()
                .map(q -> new SummaryValue.Quantile(q.getQuantile(), q.getValue()))
                .toList()),
        List.of());
  }

  private DataPoint dataPoint(
      List<KeyValue> attributes,
      long start,
      long time,
      int flags,
      PointValue value,
      List<io.opentelemetry.proto.metrics.v1.Exemplar> protoExemplars) {
    List<Exemplar> exemplars = new ArrayList<>(protoExemplars.size());
    for (io.opentelemetry.proto.metrics.v1.Exemplar e : protoExemplars) {
      try {
        exemplars.add(toExemplar(e));
      } catch (InvalidTelemetryException broken) {
        // a broken sample (no value, a malformed id) should not cost the measurement itself
      }
    }
    return new DataPoint(toAttributes(attributes, 0), start, time, flags, value, exemplars);
  }

  private Exemplar toExemplar(io.opentelemetry.proto.metrics.v1.Exemplar e) {
    Number value =
        switch (e.getValueCase()) {
          case AS_INT -> Long.valueOf(e.getAsInt());
          case AS_DOUBLE -> Double.valueOf(e.getAsDouble());
          default -> null;
        };
    return new Exemplar(
        e.getTimeUnixNano(),
        value,
        optionalTraceId(e.getTraceId()),
        optionalSpanId(e.getSpanId()),
        toAttributes(e.getFilteredAttributesList(), 0));
  }

  private static OptionalDouble optional(boolean present, double value) {
    return present ? OptionalDouble.of(value) : OptionalDouble.empty();
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
    int droppedLinks = DroppedCounts.fromUnsigned(span.getDroppedLinksCount());
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
        // a broken pointer to another trace should not cost the span itself
        droppedLinks = DroppedCounts.add(droppedLinks, 1);
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
        DroppedCounts.fromUnsigned(span.getDroppedEventsCount()),
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

  /** {@code dropped}: OTLP's uint32 count, as protobuf hands it to Java. */
  private Attributes toAttributes(List<KeyValue> kvs, int dropped) {
    return new Attributes(toKeyValues(kvs), DroppedCounts.fromUnsigned(dropped));
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
      add(e, 1);
    }

    /** {@code records} records rejected for one reason (e.g. all points of a nameless metric). */
    void add(InvalidTelemetryException e, int records) {
      if (count == 0) {
        firstReason = e.getMessage();
      }
      count += records;
    }

    <T> ExportBatch<T> batchOf(TenantId tenant, List<T> records, long wireBytes) {
      String reason =
          count == 0
              ? ""
              : count + " " + noun + (count == 1 ? "" : "s") + " rejected; first: " + firstReason;
      return new ExportBatch<>(tenant, records, count, reason, wireBytes);
    }
  }
}
