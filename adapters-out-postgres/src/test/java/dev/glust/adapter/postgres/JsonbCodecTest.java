package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
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
}
