package dev.glust.adapter.otlp.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random OTLP requests that are well-formed protobuf but hostile in content: NUL characters, lone
 * surrogates, very long strings, NaN and infinite doubles, extreme integers and times, duplicate
 * attribute keys, deep kvlist/array nesting. Ids are random and never all zero, so every record is
 * valid and must be stored (sanitised).
 */
public final class HostileRecords {
  private HostileRecords() {}

  /** Strings a receiver must survive; mostly short, sometimes hostile, rarely very long. */
  public static Arbitrary<String> strings() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.strings().alpha().numeric().ofMaxLength(12)),
        net.jqwik.api.Tuple.of(3, Arbitraries.strings().all().ofMaxLength(12)),
        net.jqwik.api.Tuple.of(
            3,
            Arbitraries.of(
                "",
                "\u0000",
                "a\u0000b",
                "\u0000\u0000\u0000",
                "\uD800",
                "x\uDFFFy",
                "\uDBFF\uDFFF",
                "é ü ß",
                "\uD83D\uDE00 emoji",
                "\\u0000 escaped text",
                "'; DROP TABLE spans; --",
                "\t\r\n\u001b[31m")),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofLength(2_000)));
  }

  static Arbitrary<Long> longs() {
    return Arbitraries.oneOf(
        Arbitraries.longs(),
        Arbitraries.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L));
  }

  static Arbitrary<Double> doubles() {
    return Arbitraries.oneOf(
        Arbitraries.doubles(),
        Arbitraries.of(
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            -0.0,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            1e300,
            2.0));
  }

  /** Any AnyValue, nested up to three levels (arrays and kvlists). */
  public static Arbitrary<AnyValue> values() {
    Arbitrary<AnyValue> scalar =
        Arbitraries.oneOf(
            strings().map(s -> AnyValue.newBuilder().setStringValue(s).build()),
            Arbitraries.of(true, false).map(b -> AnyValue.newBuilder().setBoolValue(b).build()),
            longs().map(l -> AnyValue.newBuilder().setIntValue(l).build()),
            doubles().map(d -> AnyValue.newBuilder().setDoubleValue(d).build()),
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMaxSize(16)
                .map(b -> AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(b)).build()),
            Arbitraries.just(AnyValue.getDefaultInstance()));
    return Arbitraries.recursive(() -> scalar, HostileRecords::nested, 0, 3);
  }

  private static Arbitrary<AnyValue> nested(Arbitrary<AnyValue> inner) {
    return Arbitraries.oneOf(
        inner.list().ofMaxSize(3).map(HostileRecords::array),
        attributes(inner).map(HostileRecords::kvlist));
  }

  private static AnyValue array(List<AnyValue> values) {
    return AnyValue.newBuilder()
        .setArrayValue(ArrayValue.newBuilder().addAllValues(values))
        .build();
  }

  private static AnyValue kvlist(List<KeyValue> values) {
    return AnyValue.newBuilder()
        .setKvlistValue(KeyValueList.newBuilder().addAllValues(values))
        .build();
  }

  /** Keys come partly from a tiny set, so the same key often appears twice in one list. */
  private static Arbitrary<List<KeyValue>> attributes(Arbitrary<AnyValue> values) {
    Arbitrary<String> keys =
        Arbitraries.oneOf(Arbitraries.of("k", "service.name", "http.status_code"), strings());
    return Combinators.combine(keys, values)
        .as((k, v) -> KeyValue.newBuilder().setKey(k).setValue(v).build())
        .list()
        .ofMaxSize(4);
  }

  public static Arbitrary<List<KeyValue>> attributes() {
    return attributes(values());
  }

  /** 16 or 8 random bytes, never all zero. */
  public static Arbitrary<ByteString> ids(int length) {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofSize(length)
        .map(
            b -> {
              b[0] |= 1;
              return ByteString.copyFrom(b);
            });
  }

  static Arbitrary<Resource> resources() {
    return attributes().map(a -> Resource.newBuilder().addAllAttributes(a).build());
  }

  static Arbitrary<InstrumentationScope> scopes() {
    return Combinators.combine(strings(), strings(), attributes())
        .as(
            (name, version, attributes) ->
                InstrumentationScope.newBuilder()
                    .setName(name)
                    .setVersion(version)
                    .addAllAttributes(attributes)
                    .build());
  }

  public static Arbitrary<Span> spans() {
    Arbitrary<Span.Event> events =
        Combinators.combine(longs(), strings(), attributes())
            .as(
                (time, name, attributes) ->
                    Span.Event.newBuilder()
                        .setTimeUnixNano(time)
                        .setName(name)
                        .addAllAttributes(attributes)
                        .build());
    return Combinators.combine(
            ids(16),
            ids(8),
            strings(),
            longs(),
            longs(),
            attributes(),
            events.list().ofMaxSize(2),
            Arbitraries.integers().between(-1, 7))
        .as(
            (traceId, spanId, name, start, end, attributes, eventList, code) ->
                Span.newBuilder()
                    .setTraceId(traceId)
                    .setSpanId(spanId)
                    .setName(name)
                    .setKindValue(code)
                    .setStartTimeUnixNano(start)
                    .setEndTimeUnixNano(end)
                    .addAllAttributes(attributes)
                    .addAllEvents(eventList)
                    .setStatus(Status.newBuilder().setCodeValue(code).setMessage(name))
                    .build());
  }

  public static Arbitrary<LogRecord> logs() {
    return Combinators.combine(
            longs(),
            longs(),
            Arbitraries.integers().between(-5, 30),
            strings(),
            values(),
            attributes(),
            Arbitraries.oneOf(ids(16), Arbitraries.just(ByteString.EMPTY)),
            strings())
        .as(
            (time, observed, severity, text, body, attributes, traceId, eventName) ->
                LogRecord.newBuilder()
                    .setTimeUnixNano(time)
                    .setObservedTimeUnixNano(observed)
                    .setSeverityNumberValue(severity)
                    .setSeverityText(text)
                    .setBody(body)
                    .addAllAttributes(attributes)
                    .setTraceId(traceId)
                    .setSpanId(traceId.isEmpty() ? ByteString.EMPTY : traceId.substring(0, 8))
                    .setEventName(eventName)
                    .build());
  }

  public static ExportTraceServiceRequest traces(
      Resource resource, InstrumentationScope scope, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource)
                .addScopeSpans(ScopeSpans.newBuilder().setScope(scope).addAllSpans(spans)))
        .build();
  }

  public static ExportLogsServiceRequest logs(
      Resource resource, InstrumentationScope scope, List<LogRecord> logs) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(resource)
                .addScopeLogs(ScopeLogs.newBuilder().setScope(scope).addAllLogRecords(logs)))
        .build();
  }

  public static Arbitrary<ExportTraceServiceRequest> traceRequests() {
    return Combinators.combine(resources(), scopes(), spans().list().ofMaxSize(4))
        .as(HostileRecords::traces);
  }

  public static Arbitrary<ExportLogsServiceRequest> logRequests() {
    return Combinators.combine(resources(), scopes(), logs().list().ofMaxSize(4))
        .as(HostileRecords::logs);
  }

  /**
   * Gauges, sums and histograms with hostile names, attributes, values and times; unlike spans and
   * logs, some points break a metric rule (no time, inconsistent buckets) and are rejected.
   */
  public static Arbitrary<Metric> metrics() {
    Arbitrary<NumberDataPoint> numbers =
        Combinators.combine(attributes(), longs(), longs(), doubles(), Arbitraries.of(true, false))
            .as(
                (attributes, start, time, value, asInt) -> {
                  NumberDataPoint.Builder point =
                      NumberDataPoint.newBuilder()
                          .addAllAttributes(attributes)
                          .setStartTimeUnixNano(start)
                          .setTimeUnixNano(time);
                  return (asInt ? point.setAsInt(time) : point.setAsDouble(value)).build();
                });
    Arbitrary<HistogramDataPoint> histograms =
        Combinators.combine(
                attributes(), longs(), longs().list().ofMaxSize(3), doubles().list().ofMaxSize(2))
            .as(
                (attributes, time, counts, bounds) ->
                    HistogramDataPoint.newBuilder()
                        .addAllAttributes(attributes)
                        .setTimeUnixNano(time)
                        .setCount(counts.stream().mapToLong(Long::longValue).sum())
                        .addAllBucketCounts(counts)
                        .addAllExplicitBounds(bounds)
                        .build());
    Arbitrary<Metric.Builder> named =
        Combinators.combine(strings(), strings(), strings())
            .as(
                (name, unit, description) ->
                    Metric.newBuilder().setName(name).setUnit(unit).setDescription(description));
    return Arbitraries.oneOf(
        Combinators.combine(named, numbers.list().ofMaxSize(3))
            .as((m, points) -> m.setGauge(Gauge.newBuilder().addAllDataPoints(points)).build()),
        Combinators.combine(
                named, numbers.list().ofMaxSize(3), Arbitraries.integers().between(-1, 3))
            .as(
                (m, points, temporality) ->
                    m.setSum(
                            Sum.newBuilder()
                                .addAllDataPoints(points)
                                .setAggregationTemporalityValue(temporality)
                                .setIsMonotonic(temporality > 1))
                        .build()),
        Combinators.combine(named, histograms.list().ofMaxSize(2))
            .as(
                (m, points) ->
                    m.setHistogram(Histogram.newBuilder().addAllDataPoints(points)).build()));
  }

  public static ExportMetricsServiceRequest metrics(
      Resource resource, InstrumentationScope scope, List<Metric> metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource)
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope).addAllMetrics(metrics)))
        .build();
  }

  public static Arbitrary<ExportMetricsServiceRequest> metricRequests() {
    return Combinators.combine(resources(), scopes(), metrics().list().ofMaxSize(3))
        .as(HostileRecords::metrics);
  }
}
