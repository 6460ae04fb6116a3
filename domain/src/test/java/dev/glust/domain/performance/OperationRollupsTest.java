package dev.glust.domain.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationRollupsTest {
  private static final long MINUTE = OperationRollup.MINUTE_NANOS;
  private static final long MS = 1_000_000L;

  /** 2023-11-14T22:13:00Z, the start of a minute. */
  private static final long T0 = 28_333_333L * MINUTE;

  private static int ids;

  private static Span span(
      String service, String name, SpanKind kind, SpanStatus.Code status, long start, long nanos) {
    ids++;
    return new Span(
        new TraceId(1, ids),
        new SpanId(ids),
        "",
        null,
        0,
        name,
        kind,
        start,
        start + nanos,
        Attributes.EMPTY,
        List.of(),
        0,
        List.of(),
        0,
        new SpanStatus(status, ""),
        SampleTelemetry.resource(service),
        InstrumentationScope.EMPTY);
  }

  private static OperationKey key(String service, String name, SpanKind kind, SpanStatus.Code s) {
    return new OperationKey(service, name, kind, s);
  }

  @Test
  void countsCallsAndDurationsPerOperationAndMinuteOfTheStart() {
    List<OperationRollup> rollups =
        OperationRollups.of(
            List.of(
                span("cart", "GET", SpanKind.SERVER, SpanStatus.Code.UNSET, T0, 10 * MS),
                span("cart", "GET", SpanKind.SERVER, SpanStatus.Code.UNSET, T0 + 59_999, 20 * MS),
                // starts in the minute, ends in the next: counted where it started
                span(
                    "cart", "GET", SpanKind.SERVER, SpanStatus.Code.UNSET, T0 + MINUTE - 1, MINUTE),
                span("cart", "GET", SpanKind.SERVER, SpanStatus.Code.UNSET, T0 + MINUTE, 30 * MS),
                span("cart", "GET", SpanKind.CLIENT, SpanStatus.Code.UNSET, T0, 40 * MS),
                span("shop", "GET", SpanKind.SERVER, SpanStatus.Code.UNSET, T0, 50 * MS)));

    OperationKey cartServer = key("cart", "GET", SpanKind.SERVER, SpanStatus.Code.UNSET);
    assertThat(rollups)
        .containsExactlyInAnyOrder(
            new OperationRollup(
                T0, cartServer, 3, 0, SpanDurations.ofNanos(10 * MS, 20 * MS, MINUTE)),
            new OperationRollup(T0 + MINUTE, cartServer, 1, 0, SpanDurations.ofNanos(30 * MS)),
            new OperationRollup(
                T0,
                key("cart", "GET", SpanKind.CLIENT, SpanStatus.Code.UNSET),
                1,
                0,
                SpanDurations.ofNanos(40 * MS)),
            new OperationRollup(
                T0,
                key("shop", "GET", SpanKind.SERVER, SpanStatus.Code.UNSET),
                1,
                0,
                SpanDurations.ofNanos(50 * MS)));
  }

  @Test
  void aSpanOfErrorStatusIsAnErrorOfItsOwnKey() {
    List<OperationRollup> rollups =
        OperationRollups.of(
            List.of(
                span("pay", "charge", SpanKind.SERVER, SpanStatus.Code.ERROR, T0, MS),
                span("pay", "charge", SpanKind.SERVER, SpanStatus.Code.ERROR, T0 + 1, MS),
                span("pay", "charge", SpanKind.SERVER, SpanStatus.Code.OK, T0 + 2, MS),
                span("pay", "charge", SpanKind.SERVER, SpanStatus.Code.UNSET, T0 + 3, MS)));

    assertThat(rollups)
        .extracting(r -> r.key().status(), OperationRollup::calls, OperationRollup::errors)
        .containsExactlyInAnyOrder(
            tuple(SpanStatus.Code.ERROR, 2L, 2L),
            tuple(SpanStatus.Code.OK, 1L, 0L),
            tuple(SpanStatus.Code.UNSET, 1L, 0L));
    assertThat(key("pay", "charge", SpanKind.SERVER, SpanStatus.Code.ERROR).isError()).isTrue();
    assertThat(key("pay", "charge", SpanKind.SERVER, SpanStatus.Code.OK).isError()).isFalse();
  }

  /** Spans arriving later, with older start times, add to their own minutes. */
  @Test
  void aLateSpanIsCountedInItsOwnMinute() {
    OperationRollups rollups = new OperationRollups();
    rollups.add(span("cart", "GET", SpanKind.SERVER, SpanStatus.Code.UNSET, T0 + 10 * MINUTE, MS));
    rollups.add(span("cart", "GET", SpanKind.SERVER, SpanStatus.Code.UNSET, T0 + 5, 2 * MS));
    rollups.add(span("cart", "GET", SpanKind.SERVER, SpanStatus.Code.UNSET, T0 + 7, 3 * MS));

    assertThat(rollups.rollups())
        .extracting(OperationRollup::minuteUnixNano, OperationRollup::calls)
        .containsExactlyInAnyOrder(tuple(T0, 2L), tuple(T0 + 10 * MINUTE, 1L));
  }

  @Test
  void minutesAreFlooredBeforeTheEpochToo() {
    assertThat(OperationRollup.minuteOf(-1)).isEqualTo(-MINUTE);
    assertThat(OperationRollup.minuteOf(0)).isZero();
    assertThat(OperationRollup.minuteOf(MINUTE - 1)).isZero();
    assertThat(OperationRollup.minuteOf(T0 + MINUTE)).isEqualTo(T0 + MINUTE);
  }

  @Test
  void noSpansNoRollups() {
    assertThat(OperationRollups.of(List.of())).isEmpty();
  }

  @Test
  void aRollupIsOfAMinuteWithAsManyDurationsAsCallsAndNoMoreErrors() {
    OperationKey key = key("a", "b", SpanKind.SERVER, SpanStatus.Code.ERROR);
    SpanDurations two = SpanDurations.ofNanos(MS, MS);
    assertThat(new OperationRollup(T0, key, 2, 2, two).calls()).isEqualTo(2);
    assertThatThrownBy(() -> new OperationRollup(T0 + 1, key, 2, 2, two))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OperationRollup(T0, key, 2, 3, two))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OperationRollup(T0, key, 3, 0, two))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rollupsOfOneMinuteAndOperationAddUpWithItsSpans() {
    Span first = span("cart", "GET /cart", SpanKind.SERVER, SpanStatus.Code.ERROR, T0, 2 * MS);
    Span second = span("cart", "GET /cart", SpanKind.SERVER, SpanStatus.Code.ERROR, T0 + 1, 8 * MS);
    OperationRollups sums = new OperationRollups();

    sums.add(OperationRollups.of(List.of(first)).get(0)); // counted elsewhere, e.g. stored
    sums.add(second);
    sums.add(OperationRollups.of(List.of(second)).get(0));

    assertThat(sums.rollups())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.calls()).isEqualTo(3);
              assertThat(r.errors()).isEqualTo(3);
              assertThat(r.durations()).isEqualTo(SpanDurations.ofNanos(2 * MS, 8 * MS, 8 * MS));
            });
  }

  @Test
  void rollupsSortByMinuteThenKey() {
    OperationKey a = new OperationKey("a", "x", SpanKind.SERVER, SpanStatus.Code.UNSET);
    OperationKey b = new OperationKey("b", "x", SpanKind.SERVER, SpanStatus.Code.UNSET);
    SpanDurations one = SpanDurations.ofNanos(MS);
    List<OperationRollup> sorted =
        new ArrayList<>(
            List.of(
                new OperationRollup(T0 + MINUTE, a, 1, 0, one),
                new OperationRollup(T0, b, 1, 0, one),
                new OperationRollup(T0, a, 1, 0, one)));

    sorted.sort(OperationRollup.BY_MINUTE_AND_KEY);

    assertThat(sorted)
        .extracting(OperationRollup::minuteUnixNano, r -> r.key().service())
        .containsExactly(tuple(T0, "a"), tuple(T0, "b"), tuple(T0 + MINUTE, "a"));
  }
}
