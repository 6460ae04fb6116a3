package dev.glust.adapter.mapping.otlp;

import com.google.protobuf.ByteString;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.Exemplar;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.metric.NumberValue;
import dev.glust.domain.metric.SummaryValue;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanLink;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Domain records back to OTLP export requests, the inverse of {@link OtlpMapper}: mapping a request
 * this builds gives the same records again (for every field Glust stores). Records that share a
 * resource and a scope share one {@code ResourceX}/{@code ScopeX} entry, as an SDK would send them;
 * data points of one metric share one {@code Metric}. Order is kept within each group.
 *
 * <p>One thing does not travel, because OTLP has no field for it: the dropped-attributes count of
 * an exemplar's filtered attributes (and of a data point's, which storage does not keep). It is
 * above 0 only when a repeated key or Glust's own attribute limit cut such a set, and reads back as
 * 0.
 */
public final class DomainToOtlp {
  private DomainToOtlp() {}

  public static ExportTraceServiceRequest spans(List<Span> spans) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    grouped(spans, Span::resource, Span::scope)
        .forEach(
            (resource, scopes) -> {
              ResourceSpans.Builder rs =
                  request
                      .addResourceSpansBuilder()
                      .setResource(resource(resource))
                      .setSchemaUrl(resource.schemaUrl());
              scopes.forEach(
                  (scope, members) -> {
                    ScopeSpans.Builder ss =
                        rs.addScopeSpansBuilder()
                            .setScope(scope(scope))
                            .setSchemaUrl(scope.schemaUrl());
                    members.forEach(s -> ss.addSpans(span(s)));
                  });
            });
    return request.build();
  }

  public static ExportLogsServiceRequest logs(List<LogRecord> logs) {
    ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
    grouped(logs, LogRecord::resource, LogRecord::scope)
        .forEach(
            (resource, scopes) -> {
              ResourceLogs.Builder rl =
                  request
                      .addResourceLogsBuilder()
                      .setResource(resource(resource))
                      .setSchemaUrl(resource.schemaUrl());
              scopes.forEach(
                  (scope, members) -> {
                    ScopeLogs.Builder sl =
                        rl.addScopeLogsBuilder()
                            .setScope(scope(scope))
                            .setSchemaUrl(scope.schemaUrl());
                    members.forEach(l -> sl.addLogRecords(log(l)));
                  });
            });
    return request.build();
  }

  /** Points of one metric (equal descriptor, resource and scope) become one OTLP metric. */
  public static ExportMetricsServiceRequest metrics(List<MetricPoint> points) {
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    grouped(points, p -> p.metric().resource(), p -> p.metric().scope())
        .forEach(
            (resource, scopes) -> {
              ResourceMetrics.Builder rm =
                  request
                      .addResourceMetricsBuilder()
                      .setResource(resource(resource))
                      .setSchemaUrl(resource.schemaUrl());
              scopes.forEach(
                  (scope, members) -> {
                    ScopeMetrics.Builder sm =
                        rm.addScopeMetricsBuilder()
                            .setScope(scope(scope))
                            .setSchemaUrl(scope.schemaUrl());
                    byMetric(members).forEach((metric, ps) -> sm.addMetrics(metric(metric, ps)));
                  });
            });
    return request.build();
  }

  /** Attributes as OTLP key-values (the dropped count travels beside them in OTLP). */
  public static List<KeyValue> keyValues(List<Attribute> attributes) {
    List<KeyValue> out = new ArrayList<>(attributes.size());
    for (Attribute a : attributes) {
      out.add(KeyValue.newBuilder().setKey(a.key()).setValue(value(a.value())).build());
    }
    return out;
  }

  /**
   * Groups records by resource, then scope, in first-seen order. Records of one request share one
   * resource instance, so the identity check before the map lookup saves hashing attribute lists.
   */
  private static <T> Map<Resource, Map<InstrumentationScope, List<T>>> grouped(
      List<T> records,
      Function<T, Resource> resourceOf,
      Function<T, InstrumentationScope> scopeOf) {
    Map<Resource, Map<InstrumentationScope, List<T>>> groups = new LinkedHashMap<>();
    Resource lastResource = null;
    InstrumentationScope lastScope = null;
    List<T> last = null;
    for (T record : records) {
      Resource resource = resourceOf.apply(record);
      InstrumentationScope scope = scopeOf.apply(record);
      if (resource != lastResource || scope != lastScope) {
        last =
            groups
                .computeIfAbsent(resource, r -> new LinkedHashMap<>())
                .computeIfAbsent(scope, s -> new ArrayList<>());
        lastResource = resource;
        lastScope = scope;
      }
      last.add(record);
    }
    return groups;
  }

  private static Map<Metric, List<DataPoint>> byMetric(List<MetricPoint> points) {
    Map<Metric, List<DataPoint>> metrics = new LinkedHashMap<>();
    Metric lastMetric = null;
    List<DataPoint> last = null;
    for (MetricPoint p : points) {
      if (p.metric() != lastMetric) {
        last = metrics.computeIfAbsent(p.metric(), m -> new ArrayList<>());
        lastMetric = p.metric();
      }
      last.add(p.point());
    }
    return metrics;
  }

  private static io.opentelemetry.proto.resource.v1.Resource resource(Resource r) {
    return io.opentelemetry.proto.resource.v1.Resource.newBuilder()
        .addAllAttributes(keyValues(r.attributes().entries()))
        .setDroppedAttributesCount(r.attributes().droppedCount())
        .build();
  }

  private static io.opentelemetry.proto.common.v1.InstrumentationScope scope(
      InstrumentationScope s) {
    return io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
        .setName(s.name())
        .setVersion(s.version())
        .addAllAttributes(keyValues(s.attributes().entries()))
        .setDroppedAttributesCount(s.attributes().droppedCount())
        .build();
  }

  private static io.opentelemetry.proto.trace.v1.Span span(Span s) {
    io.opentelemetry.proto.trace.v1.Span.Builder out =
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(bytes(s.traceId()))
            .setSpanId(bytes(s.spanId()))
            .setTraceState(s.traceState())
            .setFlags(s.flags())
            .setName(s.name())
            .setKindValue(s.kind().code())
            .setStartTimeUnixNano(s.startTimeUnixNano())
            .setEndTimeUnixNano(s.endTimeUnixNano())
            .addAllAttributes(keyValues(s.attributes().entries()))
            .setDroppedAttributesCount(s.attributes().droppedCount())
            .setDroppedEventsCount(s.droppedEventsCount())
            .setDroppedLinksCount(s.droppedLinksCount())
            .setStatus(
                Status.newBuilder()
                    .setCodeValue(s.status().code().code())
                    .setMessage(s.status().message()));
    if (s.parentSpanId() != null) {
      out.setParentSpanId(bytes(s.parentSpanId()));
    }
    for (SpanEvent e : s.events()) {
      out.addEventsBuilder()
          .setTimeUnixNano(e.timeUnixNano())
          .setName(e.name())
          .addAllAttributes(keyValues(e.attributes().entries()))
          .setDroppedAttributesCount(e.attributes().droppedCount());
    }
    for (SpanLink l : s.links()) {
      out.addLinksBuilder()
          .setTraceId(bytes(l.traceId()))
          .setSpanId(bytes(l.spanId()))
          .setTraceState(l.traceState())
          .setFlags(l.flags())
          .addAllAttributes(keyValues(l.attributes().entries()))
          .setDroppedAttributesCount(l.attributes().droppedCount());
    }
    return out.build();
  }

  private static io.opentelemetry.proto.logs.v1.LogRecord log(LogRecord l) {
    io.opentelemetry.proto.logs.v1.LogRecord.Builder out =
        io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
            .setTimeUnixNano(l.timeUnixNano())
            .setObservedTimeUnixNano(l.observedTimeUnixNano())
            .setSeverityNumberValue(l.severityNumber())
            .setSeverityText(l.severityText())
            .addAllAttributes(keyValues(l.attributes().entries()))
            .setDroppedAttributesCount(l.attributes().droppedCount())
            .setFlags(l.flags())
            .setEventName(l.eventName());
    if (!(l.body() instanceof AnyValue.EmptyValue)) {
      out.setBody(value(l.body())); // an absent body reads back as the empty value
    }
    if (l.traceId() != null) {
      out.setTraceId(bytes(l.traceId()));
    }
    if (l.spanId() != null) {
      out.setSpanId(bytes(l.spanId()));
    }
    return out.build();
  }

  private static io.opentelemetry.proto.metrics.v1.Metric metric(Metric m, List<DataPoint> points) {
    io.opentelemetry.proto.metrics.v1.Metric.Builder out =
        io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
            .setName(m.name())
            .setDescription(m.description())
            .setUnit(m.unit());
    int temporality = m.temporality().code();
    switch (m.kind()) {
      case GAUGE -> {
        Gauge.Builder gauge = out.getGaugeBuilder();
        points.forEach(p -> gauge.addDataPoints(numberPoint(p)));
      }
      case SUM -> {
        Sum.Builder sum =
            out.getSumBuilder()
                .setAggregationTemporalityValue(temporality)
                .setIsMonotonic(m.monotonic());
        points.forEach(p -> sum.addDataPoints(numberPoint(p)));
      }
      case HISTOGRAM -> {
        Histogram.Builder histogram =
            out.getHistogramBuilder().setAggregationTemporalityValue(temporality);
        points.forEach(p -> histogram.addDataPoints(histogramPoint(p)));
      }
      case EXPONENTIAL_HISTOGRAM -> {
        ExponentialHistogram.Builder histogram =
            out.getExponentialHistogramBuilder().setAggregationTemporalityValue(temporality);
        points.forEach(p -> histogram.addDataPoints(exponentialPoint(p)));
      }
      case SUMMARY -> {
        Summary.Builder summary = out.getSummaryBuilder();
        points.forEach(p -> summary.addDataPoints(summaryPoint(p)));
      }
    }
    return out.build();
  }

  private static NumberDataPoint numberPoint(DataPoint p) {
    NumberDataPoint.Builder out =
        NumberDataPoint.newBuilder()
            .addAllAttributes(keyValues(p.attributes().entries()))
            .setStartTimeUnixNano(p.startTimeUnixNano())
            .setTimeUnixNano(p.timeUnixNano())
            .setFlags(p.flags());
    Number value = ((NumberValue) p.value()).value();
    if (value instanceof Double d) {
      out.setAsDouble(d);
    } else {
      out.setAsInt(value.longValue());
    }
    p.exemplars().forEach(e -> out.addExemplars(exemplar(e)));
    return out.build();
  }

  private static HistogramDataPoint histogramPoint(DataPoint p) {
    HistogramValue h = (HistogramValue) p.value();
    HistogramDataPoint.Builder out =
        HistogramDataPoint.newBuilder()
            .addAllAttributes(keyValues(p.attributes().entries()))
            .setStartTimeUnixNano(p.startTimeUnixNano())
            .setTimeUnixNano(p.timeUnixNano())
            .setFlags(p.flags())
            .setCount(h.count())
            .addAllBucketCounts(h.bucketCounts())
            .addAllExplicitBounds(h.explicitBounds());
    h.sum().ifPresent(out::setSum);
    h.min().ifPresent(out::setMin);
    h.max().ifPresent(out::setMax);
    p.exemplars().forEach(e -> out.addExemplars(exemplar(e)));
    return out.build();
  }

  private static ExponentialHistogramDataPoint exponentialPoint(DataPoint p) {
    ExponentialHistogramValue h = (ExponentialHistogramValue) p.value();
    ExponentialHistogramDataPoint.Builder out =
        ExponentialHistogramDataPoint.newBuilder()
            .addAllAttributes(keyValues(p.attributes().entries()))
            .setStartTimeUnixNano(p.startTimeUnixNano())
            .setTimeUnixNano(p.timeUnixNano())
            .setFlags(p.flags())
            .setCount(h.count())
            .setScale(h.scale())
            .setZeroCount(h.zeroCount())
            .setZeroThreshold(h.zeroThreshold())
            .setPositive(buckets(h.positive()))
            .setNegative(buckets(h.negative()));
    h.sum().ifPresent(out::setSum);
    h.min().ifPresent(out::setMin);
    h.max().ifPresent(out::setMax);
    p.exemplars().forEach(e -> out.addExemplars(exemplar(e)));
    return out.build();
  }

  private static ExponentialHistogramDataPoint.Buckets buckets(Buckets b) {
    return ExponentialHistogramDataPoint.Buckets.newBuilder()
        .setOffset(b.offset())
        .addAllBucketCounts(b.counts())
        .build();
  }

  /** OTLP summaries carry no exemplars; the mapper gives summary points none either. */
  private static SummaryDataPoint summaryPoint(DataPoint p) {
    SummaryValue s = (SummaryValue) p.value();
    SummaryDataPoint.Builder out =
        SummaryDataPoint.newBuilder()
            .addAllAttributes(keyValues(p.attributes().entries()))
            .setStartTimeUnixNano(p.startTimeUnixNano())
            .setTimeUnixNano(p.timeUnixNano())
            .setFlags(p.flags())
            .setCount(s.count())
            .setSum(s.sum());
    for (SummaryValue.Quantile q : s.quantiles()) {
      out.addQuantileValuesBuilder().setQuantile(q.quantile()).setValue(q.value());
    }
    return out.build();
  }

  private static io.opentelemetry.proto.metrics.v1.Exemplar exemplar(Exemplar e) {
    io.opentelemetry.proto.metrics.v1.Exemplar.Builder out =
        io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
            .setTimeUnixNano(e.timeUnixNano())
            .addAllFilteredAttributes(keyValues(e.filteredAttributes().entries()));
    if (e.value() instanceof Double d) {
      out.setAsDouble(d);
    } else {
      out.setAsInt(e.value().longValue());
    }
    if (e.traceId() != null) {
      out.setTraceId(bytes(e.traceId()));
    }
    if (e.spanId() != null) {
      out.setSpanId(bytes(e.spanId()));
    }
    return out.build();
  }

  private static io.opentelemetry.proto.common.v1.AnyValue value(AnyValue v) {
    io.opentelemetry.proto.common.v1.AnyValue.Builder out =
        io.opentelemetry.proto.common.v1.AnyValue.newBuilder();
    if (v instanceof AnyValue.StringValue s) {
      out.setStringValue(s.value());
    } else if (v instanceof AnyValue.BoolValue b) {
      out.setBoolValue(b.value());
    } else if (v instanceof AnyValue.IntValue i) {
      out.setIntValue(i.value());
    } else if (v instanceof AnyValue.DoubleValue d) {
      out.setDoubleValue(d.value());
    } else if (v instanceof AnyValue.BytesValue b) {
      out.setBytesValue(ByteString.copyFrom(b.value()));
    } else if (v instanceof AnyValue.ArrayValue a) {
      ArrayValue.Builder array = out.getArrayValueBuilder();
      a.values().forEach(e -> array.addValues(value(e)));
    } else if (v instanceof AnyValue.KeyValueListValue kv) {
      out.setKvlistValue(KeyValueList.newBuilder().addAllValues(keyValues(kv.values())));
    } // else the empty value: OTLP's unset value
    return out.build();
  }

  private static ByteString bytes(TraceId id) {
    return ByteString.copyFrom(id.toBytes());
  }

  private static ByteString bytes(SpanId id) {
    return ByteString.copyFrom(id.toBytes());
  }
}
