package dev.glust.bootstrap;

import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineObserver;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.trace.Span;
import java.time.Duration;

/**
 * The ingest pipelines (spans, logs, metric data points) in front of storage (PostgreSQL, or Kafka
 * in receiver mode); closing drains them. The metrics pipeline counts data points: its batch and
 * queue limits are rows, like the others'.
 */
final class IngestPipelines implements AutoCloseable {
  final BatchingPipeline<Span> spans;
  final BatchingPipeline<LogRecord> logs;
  final BatchingPipeline<MetricPoint> metrics;
  private final Duration drainGrace;

  IngestPipelines(
      SaveSpansPort spanStorage,
      SaveLogsPort logStorage,
      SaveMetricsPort metricStorage,
      PipelineSettings settings,
      Duration drainGrace,
      PipelineObserver observer) {
    this.spans =
        new BatchingPipeline<>(
            "spans", spanStorage::saveSpans, settings, StorageRejectedException.class, observer);
    this.logs =
        new BatchingPipeline<>(
            "logs", logStorage::saveLogs, settings, StorageRejectedException.class, observer);
    this.metrics =
        new BatchingPipeline<>(
            "metrics",
            metricStorage::saveMetrics,
            settings,
            StorageRejectedException.class,
            observer);
    this.drainGrace = drainGrace;
  }

  /** Unset sizes follow the machine: writers per core, held bytes an eighth of the heap. */
  static PipelineSettings settings(
      int maxBatchRecords,
      Duration linger,
      long maxQueuedRecords,
      long maxQueuedBytes,
      int writers) {
    return new PipelineSettings(
        maxBatchRecords,
        linger,
        maxQueuedRecords,
        maxQueuedBytes > 0 ? maxQueuedBytes : Runtime.getRuntime().maxMemory() / 8,
        writers > 0 ? writers : Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  Duration drainGrace() {
    return drainGrace;
  }

  @Override
  public void close() {
    spans.close(drainGrace);
    logs.close(drainGrace);
    metrics.close(drainGrace);
  }
}
