package dev.glust.domain.testing;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
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
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanLink;
import dev.glust.domain.trace.SpanStatus;
import java.util.List;
import java.util.OptionalDouble;

/** Realistic records with every field set, for tests in any module. */
public final class SampleTelemetry {
  public static final TraceId TRACE_ID = TraceId.fromHex("5b8efff798038103d269b633813fc60c");
  public static final SpanId SPAN_ID = SpanId.fromHex("eee19b7ec3c1b174");
  public static final SpanId PARENT_ID = SpanId.fromHex("eee19b7ec3c1b173");

  /** Not a multiple of 1000: proves nanoseconds are not rounded to microseconds. */
  public static final long START_NANOS = 1_544_712_660_123_456_789L;

  private SampleTelemetry() {}

  /** One attribute of every OTLP type, nested ones included. */
  public static Attributes everyType() {
    return new Attributes(
        List.of(
            Attribute.of("str", "value"),
            new Attribute("bool", AnyValue.of(true)),
            Attribute.of("int", 9_007_199_254_740_993L), // above 2^53: a double would round it
            new Attribute("double", AnyValue.of(1.0)),
            new Attribute("nan", AnyValue.of(Double.NaN)),
            new Attribute("bytes", new AnyValue.BytesValue(new byte[] {0, 1, 2, (byte) 0xFF})),
            new Attribute(
                "array", new AnyValue.ArrayValue(List.of(AnyValue.of("a"), AnyValue.of(2L)))),
            new Attribute(
                "kvlist",
                new AnyValue.KeyValueListValue(
                    List.of(Attribute.of("inner", 1L), Attribute.of("deep", "x")))),
            new Attribute("empty", AnyValue.EMPTY)),
        3);
  }

  public static Resource resource(String serviceName) {
    return new Resource(
        new Attributes(
            List.of(Attribute.of("service.name", serviceName), Attribute.of("host.name", "h1")), 1),
        "https://opentelemetry.io/schemas/1.26.0");
  }

  public static InstrumentationScope scope() {
    return new InstrumentationScope(
        "io.glust.test", "1.2.3", Attributes.of(Attribute.of("scope.attr", "s")), "");
  }

  public static Span span(TraceId traceId, SpanId spanId, SpanId parent, String name) {
    return new Span(
        traceId,
        spanId,
        "vendor=value",
        parent,
        0x101,
        name,
        SpanKind.SERVER,
        START_NANOS,
        START_NANOS + 1_500_000_001L,
        everyType(),
        List.of(
            new SpanEvent(
                START_NANOS + 7, "exception", Attributes.of(Attribute.of("exception.type", "E")))),
        2,
        List.of(
            new SpanLink(
                TraceId.fromHex("0102030405060708090a0b0c0d0e0f10"),
                SpanId.fromHex("0102030405060708"),
                "k=v",
                1,
                Attributes.of(Attribute.of("link.attr", 5L)))),
        1,
        new SpanStatus(SpanStatus.Code.ERROR, "boom"),
        resource("checkout"),
        scope());
  }

  public static Span span() {
    return span(TRACE_ID, SPAN_ID, PARENT_ID, "GET /checkout");
  }

  public static LogRecord log(AnyValue body) {
    return new LogRecord(
        START_NANOS,
        START_NANOS + 999,
        17,
        "ERROR",
        body,
        everyType(),
        1,
        TRACE_ID,
        SPAN_ID,
        "",
        resource("checkout"),
        scope());
  }

  /** A span of this shape (parent null: a root; ids as numbers); the rest as in the sample. */
  public static Span span(
      TraceId trace,
      int id,
      Integer parent,
      String service,
      String name,
      long start,
      long nanos,
      SpanStatus.Code status,
      Attributes attributes) {
    return new Span(
        trace,
        new SpanId(id),
        "",
        parent == null ? null : new SpanId(parent),
        1,
        name,
        SpanKind.SERVER,
        start,
        start + nanos,
        attributes,
        List.of(),
        0,
        List.of(),
        0,
        new SpanStatus(status, ""),
        resource(service),
        scope());
  }

  /** A log record of this shape (observed 1 ns later; span 1 when it has a trace). */
  public static LogRecord log(
      String service,
      long time,
      int severity,
      AnyValue body,
      TraceId trace,
      Attributes attributes) {
    return new LogRecord(
        time,
        time + 1,
        severity,
        "",
        body,
        attributes,
        0,
        trace,
        trace == null ? null : new SpanId(1),
        "",
        resource(service),
        scope());
  }

  /** The same span at other times. */
  public static Span withTimes(Span s, long startUnixNano, long endUnixNano) {
    return new Span(
        s.traceId(),
        s.spanId(),
        s.traceState(),
        s.parentSpanId(),
        s.flags(),
        s.name(),
        s.kind(),
        startUnixNano,
        endUnixNano,
        s.attributes(),
        s.events(),
        s.droppedEventsCount(),
        s.links(),
        s.droppedLinksCount(),
        s.status(),
        s.resource(),
        s.scope());
  }

  /** The same log record at other times. */
  public static LogRecord withTimes(LogRecord r, long timeUnixNano, long observedUnixNano) {
    return new LogRecord(
        timeUnixNano,
        observedUnixNano,
        r.severityNumber(),
        r.severityText(),
        r.body(),
        r.attributes(),
        r.flags(),
        r.traceId(),
        r.spanId(),
        r.eventName(),
        r.resource(),
        r.scope());
  }

  /** A metric of this kind, cumulative and monotonic where the kind allows it. */
  public static Metric metric(String name, MetricKind kind) {
    return new Metric(
        name,
        "what " + name + " measures",
        "ms",
        kind,
        AggregationTemporality.CUMULATIVE,
        true,
        resource("checkout"),
        scope());
  }

  /** A value of this kind with every field set. */
  public static PointValue valueOf(MetricKind kind) {
    OptionalDouble none = OptionalDouble.empty();
    return switch (kind) {
      case GAUGE -> NumberValue.of(0.25);
      case SUM -> NumberValue.of(9_007_199_254_740_993L);
      case HISTOGRAM ->
          new HistogramValue(
              6,
              OptionalDouble.of(31.5),
              OptionalDouble.of(0.5),
              none,
              List.of(1L, 2L, 3L),
              List.of(1.0, 10.0));
      case EXPONENTIAL_HISTOGRAM ->
          new ExponentialHistogramValue(
              7,
              OptionalDouble.of(-2.5),
              none,
              OptionalDouble.of(9.75),
              3,
              1,
              0.001,
              new Buckets(-2, List.of(1L, 0L, 3L)),
              new Buckets(4, List.of(2L)));
      case SUMMARY ->
          new SummaryValue(
              4,
              10.5,
              List.of(new SummaryValue.Quantile(0.5, 2.0), new SummaryValue.Quantile(0.99, 7.5)));
    };
  }

  /** A point of a metric of this kind at this time, with an exemplar unless a summary. */
  public static MetricPoint metricPoint(Metric metric, long timeUnixNano) {
    List<Exemplar> exemplars =
        metric.kind() == MetricKind.SUMMARY
            ? List.of()
            : List.of(
                new Exemplar(
                    timeUnixNano - 5,
                    12.5,
                    TRACE_ID,
                    SPAN_ID,
                    Attributes.of(Attribute.of("user.id", "u1"))),
                new Exemplar(timeUnixNano - 3, 4L, null, null, Attributes.EMPTY));
    return new MetricPoint(
        metric,
        new DataPoint(
            new Attributes(
                List.of(Attribute.of("route", "/checkout"), Attribute.of("code", 200L)), 0),
            START_NANOS,
            timeUnixNano,
            1,
            valueOf(metric.kind()),
            exemplars));
  }
}
