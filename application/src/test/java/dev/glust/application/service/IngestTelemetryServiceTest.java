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
  private final IngestTelemetryService service =
      new IngestTelemetryService(
          spanPipeline,
          logPipeline,
          metricPipeline,
          new RecordLimits(4, 2),
          java.time.Duration.ofHours(1),
          () -> NOW);

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
            .ingestSpans(ExportBatch.of(List.of(SampleTelemetry.span(), SampleTelemetry.span())))
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
            .ingestSpans(new ExportBatch<>(List.of(SampleTelemetry.span()), 3, "bad ids", 10))
            .join();

    assertThat(result.accepted()).isEqualTo(1);
    assertThat(result.rejected()).isEqualTo(3);
    assertThat(result.rejectionReason()).isEqualTo("bad ids");
    assertThat(result.isPartial()).isTrue();
  }

  @Test
  void anEmptyRequestTouchesNoStorage() {
    storage.down = true;
    IngestResult result = service.ingestLogs(new ExportBatch<>(List.of(), 1, "all bad", 10)).join();
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

    service.ingestLogs(ExportBatch.of(List.of(unobserved, sample))).join();

    List<LogRecord> stored = storage.logBatches.get(0);
    assertThat(stored.get(0).observedTimeUnixNano()).isEqualTo(NOW);
    assertThat(stored.get(0).effectiveTimeUnixNano()).isEqualTo(NOW);
    assertThat(stored.get(1).observedTimeUnixNano()).isEqualTo(sample.observedTimeUnixNano());
  }

  @Test
  void storageOutagesReachTheCallerAsRetryable() {
    storage.down = true;
    assertThatThrownBy(
            () -> service.ingestSpans(ExportBatch.of(List.of(SampleTelemetry.span()))).join())
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
        service.ingestMetrics(new ExportBatch<>(List.of(sample, future), 1, "no time", 10)).join();

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
}
