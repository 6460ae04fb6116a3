package dev.glust.bootstrap;

import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineObserver;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.trace.Span;
import java.time.Duration;
import java.util.List;

/**
 * The ingest pipelines (spans, logs, metric data points) in front of storage (PostgreSQL, or Kafka
 * in receiver mode); closing drains them. The metrics pipeline counts data points: its batch and
 * queue limits are rows, like the others'. They drain in parallel, within one grace period.
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
    this.spans = new BatchingPipeline<>("spans", spanStorage::saveSpans, settings, observer);
    this.logs = new BatchingPipeline<>("logs", logStorage::saveLogs, settings, observer);
    this.metrics =
        new BatchingPipeline<>("metrics", metricStorage::saveMetrics, settings, observer);
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
    closeBy(System.nanoTime() + drainGrace.toNanos());
  }

  /**
   * Stops the intake of all three, then lets them drain together until {@code deadline} ({@link
   * System#nanoTime}): a stuck storage delays shutdown by one grace period, not one per pipeline.
   */
  void closeBy(long deadline) {
    List<BatchingPipeline<?>> all = List.of(spans, logs, metrics);
    all.forEach(BatchingPipeline::stopAccepting);
    all.forEach(pipeline -> pipeline.awaitDrained(deadline));
  }
}
