package dev.glust.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.in.TenantLimitedException;
import dev.glust.application.port.observe.TenantLimitObserver;
import dev.glust.application.tenant.ActiveSeriesLimiter;
import dev.glust.application.tenant.IngestRate;
import dev.glust.application.tenant.Retention;
import dev.glust.application.tenant.TenantLimits;
import dev.glust.application.tenant.TenantPolicies;
import dev.glust.application.tenant.TenantRateLimiter;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ingest use case holds each tenant to its policy, and stores nothing it refused. */
class IngestTenantLimitsTest {
  private static final TenantId ACME = new TenantId("acme");
  private static final TenantId BETA = new TenantId("beta");
  private static final PipelineSettings SETTINGS =
      new PipelineSettings(1000, Duration.ofMillis(1), 10_000, 1 << 20, 1);
  private final List<List<?>> stored = new CopyOnWriteArrayList<>();
  private final BatchingPipeline<Span> spans =
      new BatchingPipeline<>("spans", (t, r) -> stored.add(r), SETTINGS);
  private final BatchingPipeline<LogRecord> logs =
      new BatchingPipeline<>("logs", (t, r) -> stored.add(r), SETTINGS);
  private final BatchingPipeline<MetricPoint> metrics =
      new BatchingPipeline<>("metrics", (t, r) -> stored.add(r), SETTINGS);
  private final TenantPolicies policies =
      new TenantPolicies(
          TenantLimits.UNLIMITED,
          Map.of(ACME, new TenantLimits(new IngestRate(2, 0, 1), 1, Retention.GLOBAL)));
  private final IngestTelemetryService service =
      new IngestTelemetryService(
          spans,
          logs,
          metrics,
          new RecordLimits(128, -1),
          Duration.ofHours(1),
          MaxRecordAges.all(new MaxRecordAge(Duration.ofDays(36_500), "GLUST_MAX_RECORD_AGE")),
          () -> 1_700_000_000_000_000_000L,
          new TenantRateLimiter(() -> policies, 10, () -> 0L, TenantLimitObserver.NONE),
          new ActiveSeriesLimiter(() -> policies, 10, () -> 0L, TenantLimitObserver.NONE));

  @AfterEach
  void close() {
    spans.close();
    logs.close();
    metrics.close();
  }

  @Test
  void aRequestBeyondTheTenantsRateIsRefusedWholeAndAnotherTenantIsNot() {
    List<Span> three =
        List.of(SampleTelemetry.span(), SampleTelemetry.span(), SampleTelemetry.span());
    service.ingestSpans(ExportBatch.of(ACME, three.subList(0, 2))).join();
    assertThatThrownBy(() -> service.ingestSpans(ExportBatch.of(ACME, three.subList(0, 1))))
        .isInstanceOfSatisfying(
            TenantLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
    assertThat(service.ingestSpans(ExportBatch.of(BETA, three)).join().accepted()).isEqualTo(3);
    assertThat(stored).hasSize(2).allSatisfy(batch -> assertThat(batch).isNotEmpty());
  }

  @Test
  void pointsOfANewSeriesBeyondTheCapAreRejectedAsPartialSuccess() {
    IngestResult result =
        service.ingestMetrics(ExportBatch.of(ACME, List.of(point("a"), point("b")))).join();
    assertThat(result.accepted()).isEqualTo(1);
    assertThat(result.rejected()).isEqualTo(1);
    assertThat(result.rejectionReason()).contains("max_active_series");
    assertThat(stored).containsExactly(List.of(point("a")));
  }

  private static MetricPoint point(String series) {
    MetricPoint sample =
        SampleTelemetry.metricPoint(SampleTelemetry.metric("requests", MetricKind.GAUGE), 1_000);
    DataPoint p = sample.point();
    return new MetricPoint(
        sample.metric(),
        new DataPoint(
            new Attributes(List.of(Attribute.of("series", series)), 0),
            p.startTimeUnixNano(),
            p.timeUnixNano(),
            p.flags(),
            p.value(),
            p.exemplars()));
  }
}
