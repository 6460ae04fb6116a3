package dev.glust.adapter.mapping.otlp;

import static dev.glust.domain.testing.SampleTelemetry.START_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.in.ExportBatch;
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
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Domain → OTLP → domain gives back every record field for field (through the bytes a Kafka topic
 * holds), for a table of records that set and unset every field Glust stores.
 */
class DomainToOtlpRoundTripTest {
  private static final OptionalDouble NONE = OptionalDouble.empty();
  private final OtlpMapper mapper = new OtlpMapper();

  private List<Span> spansRoundTrip(List<Span> spans) throws Exception {
    byte[] bytes = DomainToOtlp.spans(spans).toByteArray();
    ExportBatch<Span> batch =
        mapper.toSpans(TenantId.DEFAULT, ExportTraceServiceRequest.parseFrom(bytes), 0);
    assertThat(batch.rejectedCount()).as(batch.rejectionReason()).isZero();
    return batch.records();
  }

  private List<LogRecord> logsRoundTrip(List<LogRecord> logs) throws Exception {
    byte[] bytes = DomainToOtlp.logs(logs).toByteArray();
    ExportBatch<LogRecord> batch =
        mapper.toLogs(TenantId.DEFAULT, ExportLogsServiceRequest.parseFrom(bytes), 0);
    assertThat(batch.rejectedCount()).as(batch.rejectionReason()).isZero();
    return batch.records();
  }

  private List<MetricPoint> metricsRoundTrip(List<MetricPoint> points) throws Exception {
    byte[] bytes = DomainToOtlp.metrics(points).toByteArray();
    ExportBatch<MetricPoint> batch =
        mapper.toMetricPoints(TenantId.DEFAULT, ExportMetricsServiceRequest.parseFrom(bytes), 0);
    assertThat(batch.rejectedCount()).as(batch.rejectionReason()).isZero();
    return batch.records();
  }

  @Test
  void spansSurviveFieldForField() throws Exception {
    Span root =
        new Span(
            TraceId.fromHex("00000000000000000000000000000001"),
            SpanId.fromHex("ffffffffffffffff"),
            "",
            null,
            0,
            "",
            SpanKind.UNSPECIFIED,
            Long.MIN_VALUE, // a value the domain would normalise on arrival: mapping must not
            -1,
            Attributes.EMPTY,
            List.of(),
            0,
            List.of(),
            Integer.MAX_VALUE,
            new SpanStatus(SpanStatus.Code.OK, ""),
            Resource.EMPTY,
            InstrumentationScope.EMPTY);
    List<Span> batch = List.of(SampleTelemetry.span(), SampleTelemetry.span(), root);

    assertThat(spansRoundTrip(batch)).isEqualTo(batch);
  }

  @Test
  void logsSurviveWithEveryBodyKindWithOrWithoutATrace() throws Exception {
    LogRecord correlated = SampleTelemetry.log(AnyValue.of("payment failed"));
    LogRecord alone =
        new LogRecord(
            0,
            1,
            0,
            "",
            new AnyValue.KeyValueListValue(
                List.of(
                    new Attribute("empty string", AnyValue.of("")),
                    new Attribute("zero", AnyValue.of(0L)),
                    new Attribute("false", AnyValue.of(false)),
                    new Attribute("negative zero", AnyValue.of(-0.0)),
                    new Attribute("no bytes", new AnyValue.BytesValue(new byte[0])),
                    new Attribute("empty", AnyValue.EMPTY),
                    new Attribute("empty array", new AnyValue.ArrayValue(List.of())),
                    new Attribute("empty kvlist", new AnyValue.KeyValueListValue(List.of())))),
            Attributes.EMPTY,
            0,
            null,
            null,
            "user.login",
            SampleTelemetry.resource("auth"),
            InstrumentationScope.EMPTY);
    List<LogRecord> batch =
        List.of(
            correlated,
            alone,
            SampleTelemetry.log(AnyValue.EMPTY),
            SampleTelemetry.log(new AnyValue.BytesValue(new byte[] {0, (byte) 0xFF})),
            SampleTelemetry.log(
                new AnyValue.ArrayValue(List.of(AnyValue.of(1.5), AnyValue.EMPTY))));

    assertThat(logsRoundTrip(batch))
        .containsExactlyInAnyOrderElementsOf(batch) // grouped by resource
        .filteredOn(l -> l.resource().equals(correlated.resource()))
        .containsExactly(batch.get(0), batch.get(2), batch.get(3), batch.get(4));
  }

  @Test
  void everyMetricKindSurvivesFieldForField() throws Exception {
    List<MetricPoint> batch = everyKind();

    assertThat(metricsRoundTrip(batch)).isEqualTo(batch);
  }

  @Test
  void aBarePointSurvivesToo() throws Exception {
    Metric bare =
        new Metric(
            "bare",
            "",
            "",
            MetricKind.GAUGE,
            null,
            false,
            Resource.EMPTY,
            InstrumentationScope.EMPTY);
    List<MetricPoint> batch =
        List.of(
            new MetricPoint(
                bare, new DataPoint(Attributes.EMPTY, 0, 1, 0, NumberValue.of(1L), List.of())));

    assertThat(metricsRoundTrip(batch)).isEqualTo(batch);
  }

  @Test
  void recordsSharingAResourceAndScopeShareOneEntryAndKeepTheirOrder() throws Exception {
    Span a = SampleTelemetry.span();
    Span other =
        new Span(
            a.traceId(),
            SpanId.fromHex("0000000000000009"),
            "",
            null,
            0,
            "elsewhere",
            SpanKind.CLIENT,
            START_NANOS,
            START_NANOS + 1,
            Attributes.EMPTY,
            List.of(),
            0,
            List.of(),
            0,
            SpanStatus.UNSET,
            SampleTelemetry.resource("cart"),
            SampleTelemetry.scope());
    Span b = SampleTelemetry.span(a.traceId(), SpanId.fromHex("0000000000000002"), null, "b");
    List<Span> batch = List.of(a, other, b);

    ExportTraceServiceRequest request = DomainToOtlp.spans(batch);

    assertThat(request.getResourceSpansCount()).isEqualTo(2);
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(2);
    assertThat(spansRoundTrip(batch)).containsExactly(a, b, other);
  }

  @Test
  void pointsOfOneMetricShareOneOtlpMetric() {
    Metric requests = SampleTelemetry.metric("http.requests", MetricKind.SUM);
    List<MetricPoint> batch =
        Collections.nCopies(3, SampleTelemetry.metricPoint(requests, START_NANOS + 10));

    ExportMetricsServiceRequest request = DomainToOtlp.metrics(batch);

    assertThat(request.getResourceMetrics(0).getScopeMetrics(0).getMetricsCount()).isEqualTo(1);
    assertThat(
            request
                .getResourceMetrics(0)
                .getScopeMetrics(0)
                .getMetrics(0)
                .getSum()
                .getDataPointsCount())
        .isEqualTo(3);
  }

  private static Metric metric(
      String name, MetricKind kind, AggregationTemporality temporality, boolean monotonic) {
    return new Metric(
        name,
        "about " + name,
        "ms",
        kind,
        temporality,
        monotonic,
        SampleTelemetry.resource("checkout"),
        SampleTelemetry.scope());
  }

  private static MetricPoint point(Metric metric, PointValue value, Exemplar... exemplars) {
    return new MetricPoint(
        metric,
        new DataPoint(
            // OTLP data points carry no dropped count (and storage keeps none for them)
            Attributes.of(Attribute.of("route", "/pay"), Attribute.of("code", 200L)),
            START_NANOS,
            START_NANOS + 10,
            1,
            value,
            List.of(exemplars)));
  }

  /** Every kind, every optional field set and unset, and the doubles an equality test trips on. */
  static List<MetricPoint> everyKind() {
    Metric intGauge = metric("queue.depth", MetricKind.GAUGE, null, false);
    Metric doubleGauge = metric("cpu.temperature", MetricKind.GAUGE, null, false);
    Metric deltaCounter =
        metric("http.requests", MetricKind.SUM, AggregationTemporality.DELTA, true);
    Metric cumulativeUpDown =
        metric("active.requests", MetricKind.SUM, AggregationTemporality.CUMULATIVE, false);
    Metric histogram =
        metric("http.duration", MetricKind.HISTOGRAM, AggregationTemporality.DELTA, false);
    Metric exponential =
        metric(
            "payload.size",
            MetricKind.EXPONENTIAL_HISTOGRAM,
            AggregationTemporality.CUMULATIVE,
            false);
    Metric summary = metric("rpc.latency", MetricKind.SUMMARY, null, false);
    Exemplar traced =
        new Exemplar(
            START_NANOS + 3,
            12.5,
            SampleTelemetry.TRACE_ID,
            SampleTelemetry.SPAN_ID,
            Attributes.of(Attribute.of("user.id", "u1")));
    Exemplar untraced = new Exemplar(START_NANOS + 4, 4L, null, null, Attributes.EMPTY);
    Exemplar oddValue =
        new Exemplar(0, Double.NaN, new TraceId(0, 1), new SpanId(-1), Attributes.EMPTY);
    return List.of(
        point(intGauge, NumberValue.of(0L)),
        point(intGauge, NumberValue.of(Long.MIN_VALUE), untraced),
        point(doubleGauge, NumberValue.of(Double.NaN)),
        point(doubleGauge, NumberValue.of(Double.POSITIVE_INFINITY)),
        point(doubleGauge, NumberValue.of(Double.NEGATIVE_INFINITY)),
        point(doubleGauge, NumberValue.of(-0.0), oddValue),
        point(deltaCounter, NumberValue.of(Long.MAX_VALUE), traced, untraced),
        point(cumulativeUpDown, NumberValue.of(-2.5)),
        point(
            histogram,
            new HistogramValue(
                6,
                OptionalDouble.of(31.5),
                OptionalDouble.of(-0.0),
                OptionalDouble.of(Double.POSITIVE_INFINITY),
                List.of(1L, 2L, 3L),
                List.of(-1.0, 10.0)),
            traced),
        point(histogram, new HistogramValue(0, NONE, NONE, NONE, List.of(), List.of())),
        point(
            histogram,
            new HistogramValue(
                4, OptionalDouble.of(Double.NaN), NONE, NONE, List.of(4L), List.of())),
        point(
            exponential,
            new ExponentialHistogramValue(
                Long.MAX_VALUE - 1,
                OptionalDouble.of(-2.5),
                OptionalDouble.of(-1e300),
                OptionalDouble.of(9.75),
                ExponentialHistogramValue.MIN_SCALE,
                Long.MAX_VALUE - 8,
                0.001,
                new Buckets(-2, List.of(1L, 0L, 3L)),
                new Buckets(Integer.MIN_VALUE, List.of(2L, 1L))),
            untraced),
        point(
            exponential,
            new ExponentialHistogramValue(
                0, NONE, NONE, NONE, 20, 0, 0.0, new Buckets(7, List.of()), Buckets.EMPTY)),
        point(
            summary,
            new SummaryValue(
                4,
                Double.NaN,
                List.of(new SummaryValue.Quantile(0, -0.0), new SummaryValue.Quantile(1, 7.5)))),
        point(summary, new SummaryValue(0, 0, List.of())));
  }
}
