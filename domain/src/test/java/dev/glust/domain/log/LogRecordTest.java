package dev.glust.domain.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.testing.SampleTelemetry;
import org.junit.jupiter.api.Test;

class LogRecordTest {
  private static LogRecord at(long time, long observed) {
    return SampleTelemetry.withTimes(SampleTelemetry.log(AnyValue.of("body")), time, observed);
  }

  @Test
  void effectiveTimeFallsBackToObservedTime() {
    assertThat(at(10, 20).effectiveTimeUnixNano()).isEqualTo(10);
    assertThat(at(0, 20).effectiveTimeUnixNano()).isEqualTo(20);
  }

  @Test
  void unobservedRecordsAreStampedButObservedOnesKeepTheirTime() {
    assertThat(at(0, 0).arrivedAt(99, 10).observedTimeUnixNano()).isEqualTo(99);
    assertThat(at(0, 0).arrivedAt(99, 10).timeUnixNano()).isZero();
    assertThat(at(0, 5).arrivedAt(99, 10).observedTimeUnixNano()).isEqualTo(5);
    LogRecord usual = at(50, 60);
    assertThat(usual.arrivedAt(99, 10)).isSameAs(usual);
  }

  @Test
  void aTimeFromABrokenClockIsKeptAsAnAttributeAndTheRecordIndexedByItsObservedTime() {
    LogRecord future = at(1_000, 90).arrivedAt(99, 10);
    assertThat(future.timeUnixNano()).isZero();
    assertThat(future.effectiveTimeUnixNano()).isEqualTo(90);
    assertThat(future.attributes().get(LogRecord.ORIGINAL_TIME_ATTRIBUTE))
        .contains(AnyValue.of(1_000L));

    LogRecord past2262 = at(-5, 500).arrivedAt(99, 10); // an unsigned fixed64 beyond 2^63
    assertThat(past2262.timeUnixNano()).isZero();
    assertThat(past2262.observedTimeUnixNano()).isEqualTo(99); // observed was in the future too
    assertThat(past2262.attributes().get(LogRecord.ORIGINAL_TIME_ATTRIBUTE))
        .contains(AnyValue.of(-5L));
  }

  @Test
  void longBodiesAreCut() {
    LogRecord limited =
        SampleTelemetry.log(AnyValue.of("0123456789"))
            .limitedBy(new RecordLimits(128, -1, 100, 10, 4));
    assertThat(limited.body()).isEqualTo(AnyValue.of("0123"));
  }

  @Test
  void outOfRangeSeverityBecomesUnspecified() {
    LogRecord r = SampleTelemetry.log(AnyValue.of("b"));
    LogRecord odd =
        new LogRecord(
            1, 1, 99, "x", r.body(), r.attributes(), 0, null, null, "", r.resource(), r.scope());
    assertThat(odd.severityNumber()).isZero();
  }

  @Test
  void limitsApplyToLogAttributes() {
    LogRecord limited = SampleTelemetry.log(AnyValue.of("b")).limitedBy(new RecordLimits(2, -1));
    assertThat(limited.attributes().entries()).hasSize(2);
    assertThat(limited.attributes().droppedCount()).isEqualTo(3 + 7);
  }

  @Test
  void overlongServiceNamesAreCutAndResourceAndScopeLimited() {
    LogRecord sample = SampleTelemetry.log(AnyValue.of("b"));
    LogRecord overlong =
        new LogRecord(
            sample.timeUnixNano(),
            sample.observedTimeUnixNano(),
            9,
            "INFO",
            sample.body(),
            sample.attributes(),
            0,
            null,
            null,
            "",
            SampleTelemetry.resource("s".repeat(3000)),
            sample.scope());
    assertThat(overlong.namesFit()).isFalse();

    LogRecord limited = overlong.limitedBy(new RecordLimits(1, -1));

    assertThat(limited.namesFit()).isTrue();
    assertThat(limited.serviceName()).hasSize(RecordLimits.MAX_NAME_LENGTH);
    assertThat(limited.resource().attributes().entries()).hasSize(1);
    assertThat(sample.namesFit()).isTrue();
  }
}
