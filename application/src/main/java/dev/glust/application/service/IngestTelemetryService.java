package dev.glust.application.service;

import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineStats;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestMetricsUseCase;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.in.IngestSpansUseCase;
import dev.glust.application.port.in.ReadIngestStatsQuery;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.trace.Span;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * Applies the domain's ingest rules to an export request and hands the records to the bounded
 * pipeline of their signal. The caller's future completes only after storage committed them.
 */
public final class IngestTelemetryService
    implements IngestSpansUseCase, IngestLogsUseCase, IngestMetricsUseCase, ReadIngestStatsQuery {
  private final BatchingPipeline<Span> spans;
  private final BatchingPipeline<LogRecord> logs;
  private final BatchingPipeline<MetricPoint> metrics;
  private final RecordLimits limits;
  private final long maxClockSkewNanos;
  private final LongSupplier nowUnixNano;

  /**
   * @param maxClockSkew how far after its arrival a record's time may lie before it counts as a
   *     broken clock and is normalised (see {@link Span#arrivedAt}, {@link LogRecord#arrivedAt},
   *     {@link dev.glust.domain.metric.DataPoint#arrivedAt})
   * @param metrics a pipeline of data points: its limits count rows, one per point
   */
  public IngestTelemetryService(
      BatchingPipeline<Span> spans,
      BatchingPipeline<LogRecord> logs,
      BatchingPipeline<MetricPoint> metrics,
      RecordLimits limits,
      Duration maxClockSkew,
      LongSupplier nowUnixNano) {
    this.spans = Objects.requireNonNull(spans);
    this.logs = Objects.requireNonNull(logs);
    this.metrics = Objects.requireNonNull(metrics);
    this.limits = Objects.requireNonNull(limits);
    this.maxClockSkewNanos = maxClockSkew.toNanos();
    this.nowUnixNano = Objects.requireNonNull(nowUnixNano);
  }

  @Override
  public CompletableFuture<IngestResult> ingestSpans(ExportBatch<Span> batch) {
    return ingest(spans, batch, (s, now) -> s.arrivedAt(now, maxClockSkewNanos).limitedBy(limits));
  }

  @Override
  public CompletableFuture<IngestResult> ingestLogs(ExportBatch<LogRecord> batch) {
    return ingest(logs, batch, (r, now) -> r.arrivedAt(now, maxClockSkewNanos).limitedBy(limits));
  }

  @Override
  public CompletableFuture<IngestResult> ingestMetrics(ExportBatch<MetricPoint> batch) {
    return ingest(metrics, batch, (p, now) -> p.ready(now, maxClockSkewNanos, limits));
  }

  /** Times normalised against one arrival time, limits applied, then handed to the pipeline. */
  private <T> CompletableFuture<IngestResult> ingest(
      BatchingPipeline<T> pipeline, ExportBatch<T> batch, BiFunction<T, Long, T> prepare) {
    long now = nowUnixNano.getAsLong();
    List<T> ready = batch.records().stream().map(r -> prepare.apply(r, now)).toList();
    return pipeline.submit(ready, batch.wireBytes()).thenApply(done -> resultOf(batch));
  }

  @Override
  public void refuseSpansIfFull(long wireBytes) {
    spans.refuseIfFull(wireBytes);
  }

  @Override
  public void refuseLogsIfFull(long wireBytes) {
    logs.refuseIfFull(wireBytes);
  }

  @Override
  public void refuseMetricsIfFull(long wireBytes) {
    metrics.refuseIfFull(wireBytes);
  }

  @Override
  public PipelineStats spanStats() {
    return spans.stats();
  }

  @Override
  public PipelineStats logStats() {
    return logs.stats();
  }

  @Override
  public PipelineStats metricStats() {
    return metrics.stats();
  }

  @Override
  public boolean saturated() {
    return spans.saturated() || logs.saturated() || metrics.saturated();
  }

  private static IngestResult resultOf(ExportBatch<?> batch) {
    return new IngestResult(batch.records().size(), batch.rejectedCount(), batch.rejectionReason());
  }
}
