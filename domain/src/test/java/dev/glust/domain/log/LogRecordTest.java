package dev.glust.domain.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.AttributeLimits;
import dev.glust.domain.testing.SampleTelemetry;
import org.junit.jupiter.api.Test;

class LogRecordTest {
  private static LogRecord at(long time, long observed) {
    LogRecord r = SampleTelemetry.log(AnyValue.of("body"));
    return new LogRecord(
        time,
        observed,
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

  @Test
  void effectiveTimeFallsBackToObservedTime() {
    assertThat(at(10, 20).effectiveTimeUnixNano()).isEqualTo(10);
    assertThat(at(0, 20).effectiveTimeUnixNano()).isEqualTo(20);
  }

  @Test
  void unobservedRecordsAreStampedButObservedOnesKeepTheirTime() {
    assertThat(at(0, 0).observedAt(99).observedTimeUnixNano()).isEqualTo(99);
    assertThat(at(0, 0).observedAt(99).timeUnixNano()).isZero();
    assertThat(at(0, 5).observedAt(99).observedTimeUnixNano()).isEqualTo(5);
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
    LogRecord limited = SampleTelemetry.log(AnyValue.of("b")).limitedBy(new AttributeLimits(2, -1));
    assertThat(limited.attributes().entries()).hasSize(2);
    assertThat(limited.attributes().droppedCount()).isEqualTo(3 + 7);
  }
}
