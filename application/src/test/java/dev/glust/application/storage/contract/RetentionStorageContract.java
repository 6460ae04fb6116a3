package dev.glust.application.storage.contract;

import static dev.glust.domain.testing.SampleTelemetry.log;
import static dev.glust.domain.testing.SampleTelemetry.metric;
import static dev.glust.domain.testing.SampleTelemetry.metricPoint;
import static dev.glust.domain.testing.SampleTelemetry.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.NewestRecords;
import dev.glust.application.port.out.Storage;
import dev.glust.application.port.out.TraceRecords;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retention, a capability only some storage adapters have (the in-memory one keeps everything):
 * records older than the retention are not kept, whether they arrive that old (stored as nothing,
 * not failed) or age past it, and records within it are. Seen through the ports only; how an
 * adapter expires (PostgreSQL: whole time partitions) is its own business and its own tests'.
 */
public abstract class RetentionStorageContract {
  private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
  private static final Duration KEPT = Duration.ofDays(3);
  private static final TraceId OLD = new TraceId(0x01d, 1);
  private static final TraceId RECENT = new TraceId(0x01d, 2);
  private static final Metric GAUGE = metric("queue.size", MetricKind.GAUGE);

  private final MovingClock clock = new MovingClock(NOW);
  private Storage storage;

  /** A storage holding nothing, keeping spans, logs and metrics for {@code retention}. */
  protected abstract Storage openEmptyStorage(Duration retention, Clock clock);

  /** Expires what the retention no longer covers, now (as the adapter's schedule would). */
  protected abstract void applyRetention(Storage storage);

  @AfterEach
  void close() {
    if (storage != null) {
      storage.close();
    }
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private void saveAt(TraceId trace, Instant time) {
    long at = nanos(time);
    storage
        .spans()
        .saveSpans(
            TenantId.DEFAULT,
            List.of(
                span(
                    trace, 1, null, "svc", "op", at, 1_000, SpanStatus.Code.OK, Attributes.EMPTY)));
    storage
        .logs()
        .saveLogs(
            TenantId.DEFAULT,
            List.of(log("svc", at, 9, AnyValue.of("hello"), trace, Attributes.EMPTY)));
  }

  private int recordsOf(TraceId trace) {
    TraceRecords records = storage.traceLoader().loadTrace(TenantId.DEFAULT, trace);
    return records.spans().size() + records.logs().size();
  }

  @Test
  void recordsArrivingOlderThanTheRetentionAreNotKeptAndNotRefused() {
    storage = openEmptyStorage(KEPT, clock);

    saveAt(OLD, NOW.minus(10, ChronoUnit.DAYS));
    saveAt(RECENT, NOW.minus(1, ChronoUnit.HOURS));

    assertThat(recordsOf(OLD)).isZero();
    assertThat(recordsOf(RECENT)).isEqualTo(2);
  }

  @Test
  void recordsWithinTheRetentionAreKept() {
    storage = openEmptyStorage(KEPT, clock);
    saveAt(RECENT, NOW.minus(1, ChronoUnit.HOURS));

    clock.now = NOW.plus(1, ChronoUnit.DAYS);
    applyRetention(storage);

    assertThat(recordsOf(RECENT)).isEqualTo(2);
  }

  @Test
  void recordsAgingPastTheRetentionAreRemovedEverywhere() {
    storage = openEmptyStorage(KEPT, clock);
    saveAt(RECENT, NOW.minus(1, ChronoUnit.HOURS));
    long pointTime = nanos(NOW.minus(1, ChronoUnit.HOURS));
    storage.metrics().saveMetrics(TenantId.DEFAULT, List.of(metricPoint(GAUGE, pointTime)));
    TimeRange around = new TimeRange(pointTime - 3_600_000_000_000L, nanos(NOW));
    String series =
        storage
            .metricCatalog()
            .loadMetricSeries(
                TenantId.DEFAULT,
                new MetricSeriesSearch(
                    GAUGE.name(), Optional.empty(), Optional.empty(), Map.of(), around, 10))
            .get(0)
            .id();
    assertThat(
            storage.metricPoints().loadNumberPoints(TenantId.DEFAULT, List.of(series), around, 10))
        .hasSize(1);

    clock.now = NOW.plus(10, ChronoUnit.DAYS);
    applyRetention(storage);

    assertThat(recordsOf(RECENT)).isZero();
    assertThat(storage.services().loadServices(TenantId.DEFAULT, around)).isEmpty();
    assertThat(storage.newestRecords().findNewestRecords(TenantId.DEFAULT, nanos(clock.now)))
        .isEqualTo(new NewestRecords(OptionalLong.empty(), OptionalLong.empty()));
    assertThat(
            storage.metricPoints().loadNumberPoints(TenantId.DEFAULT, List.of(series), around, 10))
        .isEmpty();
    assertThat(storage.metricCatalog().loadMetricKinds(TenantId.DEFAULT, GAUGE.name())).isEmpty();
  }
}
