package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.model.MetricExemplar;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.metric.Exemplar;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonbCodecTest {
  private static AnyValue roundTrip(AnyValue value) {
    return JsonbCodec.readValue(new String(JsonbCodec.value(value), StandardCharsets.UTF_8));
  }

  @Test
  void everyScalarTypeSurvives() {
    for (AnyValue v :
        List.of(
            AnyValue.of("text \"quoted\" ✓"),
            AnyValue.of(true),
            AnyValue.of(Long.MIN_VALUE),
            AnyValue.of(Long.MAX_VALUE),
            AnyValue.of(2.0),
            AnyValue.of(1e300),
            AnyValue.of(-4.9e-324),
            AnyValue.of(Double.NaN),
            AnyValue.of(Double.POSITIVE_INFINITY),
            AnyValue.of(Double.NEGATIVE_INFINITY),
            new AnyValue.BytesValue(new byte[] {0, -1, 127}),
            AnyValue.EMPTY)) {
      assertThat(roundTrip(v)).as("%s", v).isEqualTo(v);
    }
  }

  @Test
  void nestedValuesSurvive() {
    AnyValue nested =
        new AnyValue.ArrayValue(
            List.of(
                AnyValue.of(1L),
                new AnyValue.KeyValueListValue(List.of(Attribute.of("k", "v"))),
                new AnyValue.ArrayValue(List.of())));
    assertThat(roundTrip(nested)).isEqualTo(nested);
  }

  @Test
  void aKeyValueListThatOnlyLooksWrappedStaysAList() {
    AnyValue notBytes = new AnyValue.KeyValueListValue(List.of(Attribute.of("bytesValue", "%%")));
    assertThat(roundTrip(notBytes)).isEqualTo(notBytes);
  }

  @Test
  void droppedCountsComeFromTheirColumn() {
    Attributes read = JsonbCodec.readAttributes("{\"a\": 1}", 4);
    assertThat(read).isEqualTo(new Attributes(List.of(Attribute.of("a", 1L)), 4));
  }

  @Test
  void exemplarsSurviveAsTheQueryApiReadsThem() {
    TraceId trace = TraceId.fromHex("5b8efff798038103d269b633813fc60c");
    SpanId span = SpanId.fromHex("eee19b7ec3c1b174");
    Attributes filtered = new Attributes(List.of(Attribute.of("user.id", "u-7")), 2);
    List<Exemplar> written =
        List.of(
            new Exemplar(1_700_000_000_000_000_007L, 12.5, trace, span, filtered),
            new Exemplar(3L, 3L, null, null, Attributes.EMPTY),
            new Exemplar(4L, Long.MIN_VALUE, null, null, Attributes.EMPTY),
            new Exemplar(5L, Double.NaN, null, span, Attributes.EMPTY),
            new Exemplar(6L, Double.NEGATIVE_INFINITY, trace, null, Attributes.EMPTY));

    List<MetricExemplar> read =
        JsonbCodec.readExemplars(new String(JsonbCodec.exemplars(written), StandardCharsets.UTF_8));

    assertThat(read)
        .containsExactly(
            new MetricExemplar(1_700_000_000_000_000_007L, 12.5, trace, span),
            new MetricExemplar(3L, 3.0, null, null),
            new MetricExemplar(4L, (double) Long.MIN_VALUE, null, null),
            new MetricExemplar(5L, Double.NaN, null, span),
            new MetricExemplar(6L, Double.NEGATIVE_INFINITY, trace, null));
  }

  @Test
  void noExemplarsAndUnreadableIdsReadAsNone() {
    assertThat(JsonbCodec.readExemplars(null)).isEmpty();
    assertThat(
            JsonbCodec.readExemplars(
                new String(JsonbCodec.exemplars(List.of()), StandardCharsets.UTF_8)))
        .isEmpty();
    assertThat(
            JsonbCodec.readExemplars(
                "[{\"timeUnixNano\": 9, \"value\": {\"doubleValue\": \"oops\"},"
                    + " \"traceId\": \"zz\", \"spanId\": \"\"}]"))
        .containsExactly(new MetricExemplar(9L, Double.NaN, null, null));
  }
}
