package dev.glust.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestTelemetryServiceTest {
  private static final long NOW = 1_700_000_000_000_000_123L;
  private static final PipelineSettings SETTINGS =
      new PipelineSettings(1000, Duration.ofMillis(1), 10_000, 1 << 20, 1);
  private final InMemoryStorage storage = new InMemoryStorage();
  private final BatchingPipeline<Span> spanPipeline =
      new BatchingPipeline<>("spans", storage::saveSpans, SETTINGS);
  private final BatchingPipeline<LogRecord> logPipeline =
      new BatchingPipeline<>("logs", storage::saveLogs, SETTINGS);
  private final BatchingPipeline<MetricPoint> metricPipeline =
      new BatchingPipeline<>("metrics", storage::saveMetrics, SETTINGS);

  /** Old enough for the samples, which date from 2018. */
  private final IngestTelemetryService service = service(new RecordLimits(4, 2), CENTURY);

  private static final Duration CENTURY = Duration.ofDays(36_500);

  private IngestTelemetryService service(RecordLimits limits, Duration maxAge) {
    return new IngestTelemetryService(
        spanPipeline,
        logPipeline,
        metricPipeline,
        limits,
        Duration.ofHours(1),
        MaxRecordAges.all(new MaxRecordAge(maxAge, "GLUST_MAX_RECORD_AGE")),
        () -> NOW);
  }

  @AfterEach
  void close() {
    spanPipeline.close();
    logPipeline.close();
    metricPipeline.close();
  }

  @Test
  void storesSpansInOneBatchWithLimitsApplied() {
    IngestResult result =
        service
            .ingestSpans(
                ExportBatch.of(
                    TenantId.DEFAULT, List.of(SampleTelemetry.span(), SampleTelemetry.span())))
            .join();

    assertThat(result).isEqualTo(new IngestResult(2, 0, ""));
    assertThat(storage.spanBatches).hasSize(1);
    Span stored = storage.spanBatches.get(0).get(0);
    assertThat(stored.attributes().entries()).hasSize(4);
    assertThat(stored.attributes().get("str")).contains(AnyValue.of("va"));
  }

  @Test
  void reportsRecordsTheAdapterRejectedAsPartialSuccess() {
    IngestResult result =
        service
            .ingestSpans(
                new ExportBatch<>(
                    TenantId.DEFAULT, List.of(SampleTelemetry.span()), 3, "bad ids", 10))
            .join();

    assertThat(result.accepted()).isEqualTo(1);
    assertThat(result.rejected()).isEqualTo(3);
    assertThat(result.rejectionReason()).isEqualTo("bad ids");
    assertThat(result.isPartial()).isTrue();
  }

  @Test
  void anEmptyRequestTouchesNoStorage() {
    storage.down = true;
    IngestResult result =
        service.ingestLogs(new ExportBatch<>(TenantId.DEFAULT, List.of(), 1, "all bad", 10)).join();
    assertThat(result).isEqualTo(new IngestResult(0, 1, "all bad"));
    assertThat(storage.logBatches).isEmpty();
  }

  @Test
  void unobservedLogsAreStampedWithTheReceiveTime() {
    LogRecord sample = SampleTelemetry.log(AnyValue.of("b"));
    LogRecord unobserved =
        new LogRecord(
            0,
            0,
            9,
            "INFO",
            sample.body(),
            sample.attributes(),
            0,
            null,
            null,
            "",
            sample.resource(),
            sample.scope());

    service.ingestLogs(ExportBatch.of(TenantId.DEFAULT, List.of(unobserved, sample))).join();

    List<LogRecord> stored = storage.logBatches.get(0);
    assertThat(stored.get(0).observedTimeUnixNano()).isEqualTo(NOW);
    assertThat(stored.get(0).effectiveTimeUnixNano()).isEqualTo(NOW);
    assertThat(stored.get(1).observedTimeUnixNano()).isEqualTo(sample.observedTimeUnixNano());
  }

  @Test
  void storageOutagesReachTheCallerAsRetryable() {
    storage.down = true;
    assertThatThrownBy(
            () ->
                service
                    .ingestSpans(ExportBatch.of(TenantId.DEFAULT, List.of(SampleTelemetry.span())))
                    .join())
        .hasCauseInstanceOf(StorageUnavailableException.class);
  }

  @Test
  void storesMetricPointsAsRowsWithLimitsAndTimesApplied() {
    MetricPoint sample =
        SampleTelemetry.metricPoint(SampleTelemetry.metric("m", MetricKind.SUM), NOW + 1);
    MetricPoint future =
        SampleTelemetry.metricPoint(
            SampleTelemetry.metric("m", MetricKind.HISTOGRAM), NOW + Duration.ofHours(2).toNanos());

    IngestResult result =
        service
            .ingestMetrics(
                new ExportBatch<>(TenantId.DEFAULT, List.of(sample, future), 1, "no time", 10))
            .join();

    assertThat(result).isEqualTo(new IngestResult(2, 1, "no time"));
    assertThat(metricPipeline.stats().acceptedRecords()).isEqualTo(2); // rows, not requests
    List<MetricPoint> stored = storage.metricBatches.get(0);
    assertThat(stored.get(0).point().timeUnixNano()).isEqualTo(NOW + 1);
    assertThat(stored.get(0).point().exemplars().get(0).filteredAttributes().get("user.id"))
        .contains(AnyValue.of("u1"));
    assertThat(stored.get(1).point().timeUnixNano()).isEqualTo(NOW);
    assertThat(stored.get(1).point().attributes().get("route")).contains(AnyValue.of("/c"));
    assertThat(service.metricStats().committedBatches()).isEqualTo(1);
  }

  @Test
  void recordsOlderThanTheMaxAgeAreRefusedAndTheRestStored() {
    IngestTelemetryService weekly = service(RecordLimits.OTEL_DEFAULTS, Duration.ofDays(7));
    long monthAgo = NOW - Duration.ofDays(30).toNanos();
    long hourAgo = NOW - Duration.ofHours(1).toNanos();
    Span old = SampleTelemetry.withTimes(SampleTelemetry.span(), monthAgo, monthAgo + 5);
    Span fresh = SampleTelemetry.withTimes(SampleTelemetry.span(), hourAgo, hourAgo + 5);

    IngestResult spans =
        weekly
            .ingestSpans(
                new ExportBatch<>(TenantId.DEFAULT, List.of(old, fresh, old), 1, "bad ids", 10))
            .join();

    assertThat(spans)
        .isEqualTo(
            new IngestResult(
                1, 3, "bad ids; 2 spans refused: older than 7d (GLUST_MAX_RECORD_AGE)"));
    assertThat(storage.spanBatches.get(0))
        .extracting(Span::startTimeUnixNano)
        .containsExactly(hourAgo);

    LogRecord sample = SampleTelemetry.log(AnyValue.of("b"));
    IngestResult logs =
        weekly
            .ingestLogs(
                ExportBatch.of(
                    TenantId.DEFAULT,
                    List.of(
                        SampleTelemetry.withTimes(sample, 0, monthAgo), // indexed by observed time
                        SampleTelemetry.withTimes(sample, hourAgo, monthAgo))))
            .join();
    assertThat(logs)
        .isEqualTo(
            new IngestResult(1, 1, "1 log record refused: older than 7d (GLUST_MAX_RECORD_AGE)"));

    MetricPoint point =
        SampleTelemetry.metricPoint(SampleTelemetry.metric("m", MetricKind.GAUGE), monthAgo);
    IngestResult metrics =
        weekly.ingestMetrics(ExportBatch.of(TenantId.DEFAULT, List.of(point))).join();
    assertThat(metrics)
        .isEqualTo(
            new IngestResult(0, 1, "1 data point refused: older than 7d (GLUST_MAX_RECORD_AGE)"));
  }

  @Test
  void aRecordExactlyAsOldAsTheMaxAgeIsStored() {
    long weekAgo = NOW - Duration.ofDays(7).toNanos();
    Span span = SampleTelemetry.withTimes(SampleTelemetry.span(), weekAgo, weekAgo + 5);
    assertThat(
            service(RecordLimits.OTEL_DEFAULTS, Duration.ofDays(7))
                .ingestSpans(ExportBatch.of(TenantId.DEFAULT, List.of(span)))
                .join())
        .isEqualTo(new IngestResult(1, 0, ""));
  }

  @Test
  void cutNamesKeepTheRecordAndWarnInTheAnswer() {
    String huge = "s".repeat(3000);
    Span sample = SampleTelemetry.span();
    Span span =
        new Span(
            sample.traceId(),
            sample.spanId(),
            "",
            null,
            0,
            huge, // in no index: kept whole
            sample.kind(),
            sample.startTimeUnixNano(),
            sample.endTimeUnixNano(),
            null,
            List.of(),
            0,
            List.of(),
            0,
            null,
            SampleTelemetry.resource(huge),
            null);

    IngestResult result =
        service(RecordLimits.OTEL_DEFAULTS, CENTURY)
            .ingestSpans(ExportBatch.of(TenantId.DEFAULT, List.of(span, SampleTelemetry.span())))
            .join();

    assertThat(result)
        .isEqualTo(
            new IngestResult(2, 0, "1 span kept with the service.name cut to 256 characters"));
    assertThat(result.isPartial()).isTrue();
    Span stored = storage.spanBatches.get(0).get(0);
    assertThat(stored.serviceName()).hasSize(RecordLimits.MAX_NAME_LENGTH);
    assertThat(stored.resource().attributes().get("service.name"))
        .contains(AnyValue.of("s".repeat(RecordLimits.MAX_NAME_LENGTH)));
    assertThat(stored.name()).isEqualTo(huge);
  }
}
