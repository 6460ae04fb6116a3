package dev.glust.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.observe.TenantLimitObserver;
import dev.glust.application.tenant.ActiveSeriesLimiter;
import dev.glust.application.tenant.IngestRate;
import dev.glust.application.tenant.Retention;
import dev.glust.application.tenant.TenantLimits;
import dev.glust.application.tenant.TenantPolicies;
import dev.glust.application.tenant.TenantRateLimiter;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A tenant kept for a time of its own accepts records exactly as old as that. */
class TenantMaxRecordAgeTest {
  private static final long NOW = 1_700_000_000_000_000_000L;
  private static final long DAY = Duration.ofDays(1).toNanos();
  private static final TenantId ACME = new TenantId("acme");
  private static final TenantId BETA = new TenantId("beta");
  private static final PipelineSettings SETTINGS =
      new PipelineSettings(1000, Duration.ofMillis(1), 10_000, 1 << 20, 1);
  private final BatchingPipeline<Span> spans =
      new BatchingPipeline<>("spans", (t, r) -> {}, SETTINGS);
  private final BatchingPipeline<LogRecord> logs =
      new BatchingPipeline<>("logs", (t, r) -> {}, SETTINGS);
  private final BatchingPipeline<MetricPoint> metrics =
      new BatchingPipeline<>("metrics", (t, r) -> {}, SETTINGS);
  private final TenantPolicies policies =
      new TenantPolicies(
          TenantLimits.UNLIMITED,
          Map.of(
              ACME, keptForDays(10),
              BETA, keptForDays(1)));
  private final MaxRecordAge threeDays =
      new MaxRecordAge(Duration.ofDays(3), "GLUST_SPANS_RETENTION");
  private final IngestTelemetryService service =
      new IngestTelemetryService(
          spans,
          logs,
          metrics,
          new RecordLimits(128, -1),
          Duration.ofHours(1),
          new MaxRecordAges(threeDays, threeDays, threeDays, () -> policies),
          () -> NOW,
          new TenantRateLimiter(() -> policies, 10, () -> 0L, TenantLimitObserver.NONE),
          new ActiveSeriesLimiter(() -> policies, 10, () -> 0L, TenantLimitObserver.NONE));

  private static TenantLimits keptForDays(int days) {
    return new TenantLimits(
        IngestRate.UNLIMITED,
        0,
        new Retention(Optional.of(Duration.ofDays(days)), Optional.empty(), Optional.empty()));
  }

  @AfterEach
  void close() {
    spans.close();
    logs.close();
    metrics.close();
  }

  @Test
  void aSpanOlderThanTheGlobalAgeIsAcceptedForATenantKeptLonger() {
    assertThat(ingestSpanDaysAgo(ACME, 5).accepted()).isEqualTo(1);

    IngestResult other = ingestSpanDaysAgo(TenantId.DEFAULT, 5);
    assertThat(other.rejected()).isEqualTo(1);
    assertThat(other.rejectionReason()).contains("older than 3d (GLUST_SPANS_RETENTION)");
  }

  @Test
  void aTenantKeptShorterRefusesWhatItWouldNotKeep() {
    IngestResult result = ingestSpanDaysAgo(BETA, 2);

    assertThat(result.rejected()).isEqualTo(1);
    assertThat(result.rejectionReason()).contains("older than 1d (" + MaxRecordAges.TENANT_SETTING);
    assertThat(ingestSpanDaysAgo(TenantId.DEFAULT, 2).accepted()).isEqualTo(1);
  }

  private IngestResult ingestSpanDaysAgo(TenantId tenant, int days) {
    long start = NOW - days * DAY;
    Span span = SampleTelemetry.withTimes(SampleTelemetry.span(), start, start + 1000);
    return service.ingestSpans(ExportBatch.of(tenant, List.of(span))).join();
  }
}
