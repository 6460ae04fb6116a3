package dev.glust.application.service;

import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineStats;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.in.IngestSpansUseCase;
import dev.glust.application.port.in.ReadIngestStatsQuery;
import dev.glust.domain.common.AttributeLimits;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.trace.Span;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Applies the domain's ingest rules to an export request and hands the records to the bounded
 * pipeline of their signal. The caller's future completes only after storage committed them.
 */
public final class IngestTelemetryService
    implements IngestSpansUseCase, IngestLogsUseCase, ReadIngestStatsQuery {
  private final BatchingPipeline<Span> spans;
  private final BatchingPipeline<LogRecord> logs;
  private final AttributeLimits limits;
  private final LongSupplier nowUnixNano;

  public IngestTelemetryService(
      BatchingPipeline<Span> spans,
      BatchingPipeline<LogRecord> logs,
      AttributeLimits limits,
      LongSupplier nowUnixNano) {
    this.spans = Objects.requireNonNull(spans);
    this.logs = Objects.requireNonNull(logs);
    this.limits = Objects.requireNonNull(limits);
    this.nowUnixNano = Objects.requireNonNull(nowUnixNano);
  }

  @Override
  public CompletableFuture<IngestResult> ingestSpans(ExportBatch<Span> batch) {
    List<Span> limited = batch.records().stream().map(s -> s.limitedBy(limits)).toList();
    return spans.submit(limited, batch.wireBytes()).thenApply(done -> resultOf(batch));
  }

  @Override
  public CompletableFuture<IngestResult> ingestLogs(ExportBatch<LogRecord> batch) {
    long now = nowUnixNano.getAsLong();
    List<LogRecord> limited =
        batch.records().stream().map(r -> r.observedAt(now).limitedBy(limits)).toList();
    return logs.submit(limited, batch.wireBytes()).thenApply(done -> resultOf(batch));
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
  public PipelineStats spanStats() {
    return spans.stats();
  }

  @Override
  public PipelineStats logStats() {
    return logs.stats();
  }

  @Override
  public boolean saturated() {
    return spans.saturated() || logs.saturated();
  }

  private static IngestResult resultOf(ExportBatch<?> batch) {
    return new IngestResult(batch.records().size(), batch.rejectedCount(), batch.rejectionReason());
  }
}
