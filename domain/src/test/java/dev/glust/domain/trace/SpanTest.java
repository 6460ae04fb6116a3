package dev.glust.domain.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.testing.SampleTelemetry;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanTest {
  @Test
  void limitsApplyToSpanEventAndLinkAttributes() {
    Span limited = SampleTelemetry.span().limitedBy(new RecordLimits(0, -1));
    assertThat(limited.attributes().entries()).isEmpty();
    assertThat(limited.attributes().droppedCount()).isEqualTo(3 + 9);
    assertThat(limited.events().get(0).attributes().droppedCount()).isEqualTo(1);
    assertThat(limited.links().get(0).attributes().droppedCount()).isEqualTo(1);
    assertThat(limited.name()).isEqualTo("GET /checkout");
  }

  @Test
  void overlongServiceNamesAreCutAndResourceAndScopeLimitedButSpanNamesKept() {
    String huge = "x".repeat(3000);
    Span span =
        new Span(
            SampleTelemetry.TRACE_ID,
            SampleTelemetry.SPAN_ID,
            "",
            null,
            0,
            huge,
            SpanKind.SERVER,
            1,
            2,
            null,
            List.of(),
            0,
            List.of(),
            0,
            null,
            SampleTelemetry.resource(huge),
            SampleTelemetry.scope());
    assertThat(span.namesFit()).isFalse();

    Span limited = span.limitedBy(new RecordLimits(1, -1));

    assertThat(limited.namesFit()).isTrue();
    assertThat(limited.name()).isEqualTo(huge); // in no index: no limit
    assertThat(limited.serviceName()).hasSize(RecordLimits.MAX_NAME_LENGTH);
    assertThat(limited.resource().attributes().entries()).hasSize(1);
    assertThat(limited.scope().attributes().entries()).hasSize(1);
    assertThat(SampleTelemetry.span().namesFit()).isTrue();
    assertThat(span.serviceName()).hasSize(RecordLimits.MAX_NAME_LENGTH); // the indexed column
  }

  @Test
  void timesFromBrokenClocksAreMadeIndexable() {
    assertThat(at(100, 150).arrivedAt(1_000, 10)).isEqualTo(at(100, 150)); // the usual case
    assertThat(times(at(0, 150).arrivedAt(1_000, 10))).containsExactly(150L, 150L);
    assertThat(times(at(0, 0).arrivedAt(1_000, 10))).containsExactly(1_000L, 1_000L);
    assertThat(times(at(100, 50).arrivedAt(1_000, 10))).containsExactly(100L, 100L);

    Span future = at(5_000, 5_300).arrivedAt(1_000, 10);
    assertThat(times(future)).containsExactly(1_000L, 1_300L); // moved, duration kept
    assertThat(future.attributes().get(Span.ORIGINAL_START_ATTRIBUTE))
        .contains(AnyValue.of(5_000L));
    assertThat(times(at(-7, -3).arrivedAt(1_000, 10))).containsExactly(1_000L, 1_004L);
  }

  private static Span at(long start, long end) {
    return SampleTelemetry.withTimes(SampleTelemetry.span(), start, end);
  }

  private static List<Long> times(Span span) {
    return List.of(span.startTimeUnixNano(), span.endTimeUnixNano());
  }

  @Test
  void unknownKindAndStatusNumbersDegradeGracefully() {
    assertThat(SpanKind.fromCode(42)).isEqualTo(SpanKind.UNSPECIFIED);
    assertThat(SpanKind.fromCode(2)).isEqualTo(SpanKind.SERVER);
    assertThat(SpanStatus.Code.fromCode(-1)).isEqualTo(SpanStatus.Code.UNSET);
    assertThat(SpanStatus.Code.fromCode(2)).isEqualTo(SpanStatus.Code.ERROR);
  }

  @Test
  void serviceNameIsTheResources() {
    assertThat(SampleTelemetry.span().serviceName()).isEqualTo("checkout");
  }
}
