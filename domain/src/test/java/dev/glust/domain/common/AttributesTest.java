package dev.glust.domain.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AttributesTest {
  @Test
  void repeatedKeysKeepTheLastValueAndCountAsDropped() {
    Attributes a =
        new Attributes(
            List.of(Attribute.of("k", "first"), Attribute.of("x", 1), Attribute.of("k", "last")),
            2);
    assertThat(a.entries()).containsExactly(Attribute.of("x", 1), Attribute.of("k", "last"));
    assertThat(a.droppedCount()).isEqualTo(3);
  }

  @Test
  void largeSetsAreDeduplicatedToo() {
    List<Attribute> many =
        IntStream.range(0, 40).mapToObj(i -> Attribute.of("k" + (i % 20), i)).toList();
    Attributes a = new Attributes(many, 0);
    assertThat(a.entries()).hasSize(20);
    assertThat(a.droppedCount()).isEqualTo(20);
    assertThat(a.get("k0")).contains(AnyValue.of(20L));
  }

  @Test
  void limitsDropExcessAttributesAndCountThem() {
    List<Attribute> many = IntStream.range(0, 130).mapToObj(i -> Attribute.of("k" + i, i)).toList();
    Attributes limited = RecordLimits.OTEL_DEFAULTS.apply(new Attributes(many, 5));
    assertThat(limited.entries()).hasSize(128);
    assertThat(limited.droppedCount()).isEqualTo(7);
  }

  @Test
  void droppedCountsSaturateAtTheLargestInt() {
    List<Attribute> many = IntStream.range(0, 130).mapToObj(i -> Attribute.of("k" + i, i)).toList();
    Attributes limited = RecordLimits.OTEL_DEFAULTS.apply(new Attributes(many, Integer.MAX_VALUE));
    assertThat(limited.entries()).hasSize(128);
    assertThat(limited.droppedCount()).isEqualTo(Integer.MAX_VALUE);

    List<Attribute> repeated = List.of(Attribute.of("k", 1L), Attribute.of("k", 2L));
    assertThat(new Attributes(repeated, Integer.MAX_VALUE).droppedCount())
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(
            new Attributes(repeated, Integer.MAX_VALUE).with("k", AnyValue.of(3L)).droppedCount())
        .isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void lengthLimitCutsStringsAndStringsInArraysOnly() {
    RecordLimits limits = new RecordLimits(128, 3);
    Attributes limited =
        limits.apply(
            Attributes.of(
                Attribute.of("s", "abcdef"),
                new Attribute(
                    "arr",
                    new AnyValue.ArrayValue(List.of(AnyValue.of("xyzw"), AnyValue.of(12345L)))),
                new Attribute("b", new AnyValue.BytesValue(new byte[10]))));
    assertThat(limited.get("s")).contains(AnyValue.of("abc"));
    assertThat(limited.get("arr"))
        .contains(new AnyValue.ArrayValue(List.of(AnyValue.of("xyz"), AnyValue.of(12345L))));
    assertThat(limited.get("b")).contains(new AnyValue.BytesValue(new byte[10]));
    assertThat(limited.droppedCount()).isZero();
  }

  @Test
  void longKeysAreCutAndKeysCutToTheSamePrefixKeepTheLastValue() {
    RecordLimits limits = new RecordLimits(128, -1, 3, 10, -1);
    Attributes limited =
        limits.apply(Attributes.of(Attribute.of("abcX", 1L), Attribute.of("abcY", 2L)));
    assertThat(limited.entries()).containsExactly(Attribute.of("abc", 2L));
    assertThat(limited.droppedCount()).isEqualTo(1);
  }

  @Test
  void valuesNestedDeeperThanTheLimitAreCutThere() {
    AnyValue deep = AnyValue.of("leaf");
    for (int i = 0; i < 5; i++) {
      deep = new AnyValue.ArrayValue(List.of(deep, AnyValue.of(i)));
    }
    RecordLimits limits = new RecordLimits(128, -1, 100, 2, -1);

    Attributes limited = limits.apply(Attributes.of(new Attribute("deep", deep)));

    AnyValue.ArrayValue level0 = (AnyValue.ArrayValue) limited.get("deep").orElseThrow();
    AnyValue.ArrayValue level1 = (AnyValue.ArrayValue) level0.values().get(0);
    assertThat(level1.values().get(0)).isEqualTo(AnyValue.EMPTY); // a third level: cut
    assertThat(level1.values().get(1)).isEqualTo(AnyValue.of(3L)); // scalars stay
    assertThat(limits.allows(limited)).isTrue();
  }

  @Test
  void noLimitsReturnTheSameInstance() {
    Attributes a = Attributes.of(Attribute.of("s", "abcdef"));
    assertThat(RecordLimits.OTEL_DEFAULTS.apply(a)).isSameAs(a);
  }

  @Test
  void stringValuesAndKeysAreSanitised() {
    Attribute a = Attribute.of("k\u0000", "v\u0000");
    assertThat(a.key()).isEqualTo("k\uFFFD");
    assertThat(a.value()).isEqualTo(AnyValue.of("v\uFFFD"));
  }
}
