package dev.glust.adapter.kafka;

import static dev.glust.domain.testing.SampleTelemetry.START_NANOS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
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
import dev.glust.domain.testing.SampleTelemetry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MetricCodecTest {
  private static final OptionalDouble NONE = OptionalDouble.empty();
  private final MetricCodec codec = new MetricCodec();

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
            new Attributes(List.of(Attribute.of("route", "/pay"), Attribute.of("code", 200L)), 1),
            START_NANOS,
            START_NANOS + 10,
            1,
            value,
            List.of(exemplars)));
  }

  /** Every kind, every optional field set and unset, and the doubles an equality test trips on. */
  private static List<MetricPoint> everyKind() {
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

  @Test
  void everyKindSurvivesEncodingFieldForField() throws Exception {
    List<MetricPoint> batch = everyKind();

    assertThat(codec.decode(codec.encode(batch))).isEqualTo(batch);
  }

  @Test
  void aPointWithNoAttributesStartOrFlagsSurvivesToo() throws Exception {
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

    assertThat(codec.decode(codec.encode(batch))).isEqualTo(batch);
  }

  @Test
  void aMetricsDescriptorIsWrittenOnceAndItsPointsShareOneInstanceAgain() throws Exception {
    Metric shared = metric("http.requests", MetricKind.SUM, AggregationTemporality.DELTA, true);
    MetricPoint one = point(shared, NumberValue.of(1L));
    int single = codec.encode(List.of(one)).length;
    int perMorePoint = codec.encode(List.of(one, one)).length - single;
    int hundred = codec.encode(Collections.nCopies(100, one)).length;
    int shareable =
        ProtoBatch.attributes(shared.resource().attributes()).toBytes().length
            + shared.name().length()
            + shared.description().length();
    assertThat(hundred).isEqualTo(single + 99 * perMorePoint);
    assertThat(perMorePoint).isLessThan(single - codec.encode(List.of()).length - shareable);

    List<MetricPoint> decoded = codec.decode(codec.encode(everyKind()));
    assertThat(decoded.get(0).metric()).isSameAs(decoded.get(1).metric());
    assertThat(decoded.get(2).metric()).isNotSameAs(decoded.get(0).metric());
  }

  @Test
  void aSeriesIsOneKeyWhateverItsAttributeOrderAndOtherSeriesAreNot() {
    Metric counter = metric("http.requests", MetricKind.SUM, AggregationTemporality.DELTA, true);
    Metric sameSeriesOtherInstance =
        new Metric(
            "http.requests",
            "another description: not part of the series",
            "ms",
            MetricKind.SUM,
            AggregationTemporality.DELTA,
            true,
            SampleTelemetry.resource("checkout"),
            SampleTelemetry.scope());
    byte[] key = codec.key(point(counter, NumberValue.of(1L)));
    MetricPoint reordered =
        new MetricPoint(
            sameSeriesOtherInstance,
            new DataPoint(
                new Attributes(
                    List.of(Attribute.of("code", 200L), Attribute.of("route", "/pay")), 0),
                0,
                START_NANOS + 99,
                0,
                NumberValue.of(7L),
                List.of()));

    assertThat(key).hasSize(16).isEqualTo(codec.key(point(counter, NumberValue.of(2L))));
    assertThat(codec.key(reordered)).isEqualTo(key);
    assertThat(codec.key(point(counter, NumberValue.of(1L))))
        .as("the cached prefix of the last metric is used again")
        .isEqualTo(key);

    List<byte[]> others = new ArrayList<>();
    others.add(codec.key(withAttributes(counter, Attribute.of("route", "/cart"))));
    others.add(
        codec.key(
            point(
                metric("http.requests", MetricKind.SUM, AggregationTemporality.CUMULATIVE, true),
                NumberValue.of(1L))));
    others.add(
        codec.key(
            point(
                new Metric(
                    "http.requests",
                    "",
                    "ms",
                    MetricKind.SUM,
                    AggregationTemporality.DELTA,
                    true,
                    SampleTelemetry.resource("cart"),
                    SampleTelemetry.scope()),
                NumberValue.of(1L))));
    others.add(
        codec.key(
            point(
                metric("http.responses", MetricKind.SUM, AggregationTemporality.DELTA, true),
                NumberValue.of(1L))));
    assertThat(others).noneMatch(other -> Arrays.equals(other, key));
    assertThat(others.stream().map(Arrays::toString).distinct()).hasSize(others.size());
  }

  private static MetricPoint withAttributes(Metric metric, Attribute... attributes) {
    return new MetricPoint(
        metric,
        new DataPoint(Attributes.of(attributes), 0, START_NANOS, 0, NumberValue.of(1L), List.of()));
  }

  @Test
  void garbageTruncationAndBrokenReferencesAreMalformed() throws Exception {
    byte[] encoded = codec.encode(everyKind());

    for (int cut = 1; cut < encoded.length; cut += 97) {
      byte[] truncated = Arrays.copyOf(encoded, encoded.length - cut);
      assertThatThrownBy(() -> codec.decode(truncated))
          .as("cut %d bytes", cut)
          .isInstanceOf(MalformedBatchException.class);
    }
    assertThatThrownBy(() -> codec.decode("not a batch".getBytes()))
        .isInstanceOf(MalformedBatchException.class);
    assertThatThrownBy(() -> codec.decode(new byte[0]))
        .isInstanceOf(MalformedBatchException.class)
        .hasMessageContaining("version 0");
    assertThatThrownBy(() -> codec.decode(new SpanCodec().encode(List.of(SampleTelemetry.span()))))
        .as("spans are not metric points")
        .isInstanceOf(MalformedBatchException.class);

    ProtoOut descriptor = new ProtoOut().string(1, "queue.depth").uint32(4, 1);
    ProtoOut gauge = new ProtoOut().fixed64(4, START_NANOS).sint64Always(6, 1);
    assertThat(codec.decode(batch(gauge, descriptor)))
        .as("the hand-written batch is well formed")
        .singleElement()
        .satisfies(p -> assertThat(p.point().value()).isEqualTo(NumberValue.of(1L)));
    assertThatThrownBy(() -> codec.decode(batch(gauge, null)))
        .as("a point naming a descriptor the batch lacks")
        .isInstanceOf(MalformedBatchException.class)
        .hasMessageContaining("out of bounds");
    assertThatThrownBy(
            () -> codec.decode(batch(new ProtoOut().fixed64(4, START_NANOS), descriptor)))
        .as("a point without a value")
        .isInstanceOf(MalformedBatchException.class)
        .hasMessageContaining("value");
    assertThatThrownBy(
            () ->
                codec.decode(
                    batch(
                        new ProtoOut().fixed64(4, START_NANOS).sint64Always(6, 1),
                        new ProtoOut().string(1, "x").uint32(4, 9))))
        .as("an unknown metric kind")
        .isInstanceOf(MalformedBatchException.class)
        .hasMessageContaining("no metric kind has code 9");
    assertThatThrownBy(
            () ->
                codec.decode(
                    batch(
                        new ProtoOut()
                            .fixed64(4, START_NANOS)
                            .message(8, new ProtoOut().uint64(1, 5).packedUInt64(5, List.of(1L))),
                        new ProtoOut().string(1, "h").uint32(4, 3))))
        .as("a histogram whose count is not its buckets' sum: the domain refuses it")
        .isInstanceOf(MalformedBatchException.class)
        .hasMessageContaining("differs from the sum");
  }

  /**
   * A version 1 MetricBatch written by hand: an empty resource and scope, one point, at most one
   * descriptor.
   */
  private static byte[] batch(ProtoOut point, ProtoOut descriptor) {
    ProtoOut batch =
        new ProtoOut()
            .uint32(1, BatchCodec.VERSION)
            .message(2, new ProtoOut())
            .message(3, new ProtoOut())
            .message(4, point);
    if (descriptor != null) {
      batch.message(5, descriptor);
    }
    return batch.toBytes();
  }
}
