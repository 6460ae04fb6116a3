package dev.glust.domain.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MetricPointTest {
  private static final OptionalDouble NONE = OptionalDouble.empty();

  private static Metric metric(MetricKind kind) {
    return new Metric(
        "http.server.duration",
        "d",
        "ms",
        kind,
        AggregationTemporality.CUMULATIVE,
        true,
        Resource.EMPTY,
        null);
  }

  private static DataPoint point(long start, long time, PointValue value) {
    return new DataPoint(
        Attributes.of(Attribute.of("route", "/a")), start, time, 0, value, List.of());
  }

  @Test
  void gaugesAndSummariesHaveNoTemporalityAndOnlySumsAreMonotonic() {
    assertThat(metric(MetricKind.GAUGE).temporality())
        .isEqualTo(AggregationTemporality.UNSPECIFIED);
    assertThat(metric(MetricKind.GAUGE).monotonic()).isFalse();
    assertThat(metric(MetricKind.SUMMARY).temporality())
        .isEqualTo(AggregationTemporality.UNSPECIFIED);
    assertThat(metric(MetricKind.SUM).monotonic()).isTrue();
    assertThat(metric(MetricKind.HISTOGRAM).monotonic()).isFalse();
    assertThat(metric(MetricKind.HISTOGRAM).temporality())
        .isEqualTo(AggregationTemporality.CUMULATIVE);
  }

  @Test
  void overlongMetricAndServiceNamesAreCutOnIngest() {
    String huge = "m".repeat(3000);
    Metric metric =
        new Metric(
            huge,
            "",
            "",
            MetricKind.GAUGE,
            null,
            false,
            new Resource(Attributes.of(Attribute.of("service.name", huge)), ""),
            null);
    MetricPoint point = new MetricPoint(metric, point(0, 1_000, NumberValue.of(1L)));
    assertThat(point.namesFit()).isFalse();

    MetricPoint ready = point.arrivedAt(2_000, 10).limitedBy(RecordLimits.OTEL_DEFAULTS);

    assertThat(ready.namesFit()).isTrue();
    assertThat(ready.metric().name()).hasSize(RecordLimits.MAX_NAME_LENGTH);
    assertThat(ready.metric().serviceName()).hasSize(RecordLimits.MAX_NAME_LENGTH);
    MetricPoint fine = new MetricPoint(metric(MetricKind.GAUGE), point.point());
    assertThat(fine.limitedBy(RecordLimits.OTEL_DEFAULTS)).isSameAs(fine);
  }

  @Test
  void aMetricNeedsANameAndCleanText() {
    assertThatThrownBy(() -> new Metric("", "", "", MetricKind.GAUGE, null, false, null, null))
        .isInstanceOf(InvalidTelemetryException.class);
    Metric m = new Metric("a\u0000b", null, null, MetricKind.GAUGE, null, false, null, null);
    assertThat(m.name()).isEqualTo("a\uFFFDb");
    assertThat(m.unit()).isEmpty();
    assertThat(m.serviceName()).isEqualTo(Resource.UNKNOWN_SERVICE);
  }

  @Test
  void aPointMustFitItsMetricsKind() {
    DataPoint number = point(0, 10, NumberValue.of(3L));
    assertThat(new MetricPoint(metric(MetricKind.GAUGE), number).point()).isSameAs(number);
    assertThat(new MetricPoint(metric(MetricKind.SUM), number).point()).isSameAs(number);
    assertThatThrownBy(() -> new MetricPoint(metric(MetricKind.HISTOGRAM), number))
        .isInstanceOf(InvalidTelemetryException.class)
        .hasMessageContaining("histogram metric cannot hold a number value");
  }

  @Test
  void aPointNeedsATimeAndNumbersAreIntOrDouble() {
    assertThatThrownBy(() -> point(0, 0, NumberValue.of(1.5)))
        .isInstanceOf(InvalidTelemetryException.class);
    assertThatThrownBy(() -> new NumberValue(1))
        .isInstanceOf(InvalidTelemetryException.class); // an Integer is neither
    assertThat(NumberValue.of(1.0).isDouble()).isTrue();
    assertThat(NumberValue.of(1L).isDouble()).isFalse();
    assertThatThrownBy(() -> new Exemplar(1, null, null, null, null))
        .isInstanceOf(InvalidTelemetryException.class);
  }

  @Test
  void histogramsHaveOneMoreCountThanBoundsAndConsistentCounts() {
    HistogramValue ok =
        new HistogramValue(
            6, OptionalDouble.of(30), NONE, NONE, List.of(1L, 2L, 3L), List.of(1.0, 5.0));
    assertThat(ok.bucketCounts()).containsExactly(1L, 2L, 3L);
    assertThat(new HistogramValue(4, NONE, NONE, NONE, List.of(), List.of()).count()).isEqualTo(4);
    assertThat(new HistogramValue(4, NONE, NONE, NONE, List.of(4L), List.of()).count())
        .isEqualTo(4);
    assertInvalid(() -> new HistogramValue(3, NONE, NONE, NONE, List.of(1L, 2L), List.of()));
    assertInvalid(() -> new HistogramValue(0, NONE, NONE, NONE, List.of(), List.of(1.0)));
    assertInvalid(
        () -> new HistogramValue(2, NONE, NONE, NONE, List.of(1L, 1L, 0L), List.of(5.0, 1.0)));
    assertInvalid(
        () -> new HistogramValue(2, NONE, NONE, NONE, List.of(1L, 1L, 0L), List.of(1.0, 1.0)));
    assertInvalid(
        () ->
            new HistogramValue(
                2, NONE, NONE, NONE, List.of(1L, 1L), List.of(Double.POSITIVE_INFINITY)));
    assertInvalid(() -> new HistogramValue(0, NONE, NONE, NONE, List.of(-1L, 1L), List.of(1.0)));
    assertInvalid(() -> new HistogramValue(5, NONE, NONE, NONE, List.of(1L, 1L), List.of(1.0)));
    assertInvalid(() -> new HistogramValue(-1, NONE, NONE, NONE, List.of(), List.of()));
    assertInvalid(
        () ->
            new HistogramValue(
                0, NONE, NONE, NONE, List.of(Long.MAX_VALUE, Long.MAX_VALUE), List.of(1.0)));
  }

  @Test
  void exponentialHistogramsCheckScaleThresholdAndCounts() {
    Buckets positive = new Buckets(-2, List.of(1L, 0L, 4L));
    Buckets negative = new Buckets(3, List.of(2L));
    ExponentialHistogramValue ok =
        new ExponentialHistogramValue(8, NONE, NONE, NONE, 3, 1, 0.0, positive, negative);
    assertThat(ok.positive().offset()).isEqualTo(-2);
    assertThat(new ExponentialHistogramValue(0, NONE, NONE, NONE, 0, 0, 0, null, null).negative())
        .isEqualTo(Buckets.EMPTY);
    assertInvalid(
        () -> new ExponentialHistogramValue(9, NONE, NONE, NONE, 3, 1, 0, positive, negative));
    assertInvalid(() -> new ExponentialHistogramValue(0, NONE, NONE, NONE, 21, 0, 0, null, null));
    assertInvalid(() -> new ExponentialHistogramValue(0, NONE, NONE, NONE, -11, 0, 0, null, null));
    assertInvalid(
        () -> new ExponentialHistogramValue(0, NONE, NONE, NONE, 0, 0, Double.NaN, null, null));
    assertInvalid(() -> new ExponentialHistogramValue(0, NONE, NONE, NONE, 0, 0, -1, null, null));
    assertInvalid(() -> new Buckets(Integer.MAX_VALUE, List.of(1L)));
    assertInvalid(() -> new Buckets(0, List.of(-5L)));
  }

  @Test
  void summariesHaveQuantilesBetweenZeroAndOneAndNoExemplars() {
    SummaryValue summary =
        new SummaryValue(
            3, 6.5, List.of(new SummaryValue.Quantile(0, 1), new SummaryValue.Quantile(1, 4)));
    assertThat(summary.quantiles()).hasSize(2);
    assertInvalid(() -> new SummaryValue.Quantile(1.5, 1));
    assertInvalid(() -> new SummaryValue.Quantile(Double.NaN, 1));
    Exemplar exemplar = new Exemplar(5, 1.0, null, null, null);
    assertInvalid(() -> new DataPoint(Attributes.EMPTY, 0, 1, 0, summary, List.of(exemplar)));
  }

  @Test
  void futureTimesBecomeTheArrivalAndLaterStartsAreUnset() {
    DataPoint usual = point(100, 150, NumberValue.of(1L));
    assertThat(usual.arrivedAt(1_000, 10)).isSameAs(usual);
    DataPoint future = point(100, 5_000, NumberValue.of(1L)).arrivedAt(1_000, 10);
    assertThat(future.timeUnixNano()).isEqualTo(1_000);
    assertThat(future.startTimeUnixNano()).isEqualTo(100);
    DataPoint bothFuture = point(4_000, 5_000, NumberValue.of(1L)).arrivedAt(1_000, 10);
    assertThat(bothFuture.startTimeUnixNano()).isZero();
    DataPoint beyond2262 = point(-5, -1, NumberValue.of(1L)).arrivedAt(1_000, 10);
    assertThat(beyond2262.timeUnixNano()).isEqualTo(1_000);
    assertThat(beyond2262.startTimeUnixNano()).isZero();
  }

  @Test
  void limitsApplyToPointAndExemplarAttributes() {
    Exemplar exemplar =
        new Exemplar(
            7,
            2L,
            TraceId.fromHex("5b8efff798038103d269b633813fc60c"),
            SpanId.fromHex("eee19b7ec3c1b174"),
            Attributes.of(Attribute.of("user", "abcdef")));
    DataPoint p =
        new DataPoint(
            Attributes.of(Attribute.of("route", "/abcdef"), Attribute.of("x", "y")),
            1,
            2,
            0,
            NumberValue.of(1L),
            List.of(exemplar));
    MetricPoint ready =
        new MetricPoint(metric(MetricKind.SUM), p)
            .arrivedAt(3, 10)
            .limitedBy(new RecordLimits(1, 3));
    assertThat(ready.point().attributes().entries()).containsExactly(Attribute.of("route", "/ab"));
    assertThat(ready.point().attributes().droppedCount()).isEqualTo(1);
    Exemplar limited = ready.point().exemplars().get(0);
    assertThat(limited.filteredAttributes().entries()).containsExactly(Attribute.of("user", "abc"));
    assertThat(limited.traceId()).isEqualTo(exemplar.traceId());
    MetricPoint untouched = new MetricPoint(metric(MetricKind.SUM), p);
    assertThat(untouched.arrivedAt(3, 10).limitedBy(RecordLimits.OTEL_DEFAULTS))
        .isSameAs(untouched);
  }

  private static void assertInvalid(Runnable construction) {
    assertThatThrownBy(construction::run).isInstanceOf(InvalidTelemetryException.class);
  }
}
