package dev.glust.adapter.otlp;

import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestMetricsUseCase;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.in.IngestSpansUseCase;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A use-case fake that records what the receivers handed over, or fails as told. */
final class RecordingIngest implements IngestSpansUseCase, IngestLogsUseCase, IngestMetricsUseCase {
  final List<Span> spans = new CopyOnWriteArrayList<>();
  final List<LogRecord> logs = new CopyOnWriteArrayList<>();
  final List<MetricPoint> metricPoints = new CopyOnWriteArrayList<>();

  /** The tenant of every request handed over, in order. */
  final List<TenantId> tenants = new CopyOnWriteArrayList<>();

  volatile RuntimeException failure;

  /** Answers wait for this, as for a slow commit. */
  volatile CompletableFuture<Void> commits = CompletableFuture.completedFuture(null);

  @Override
  public CompletableFuture<IngestResult> ingestSpans(ExportBatch<Span> batch) {
    return record(batch, spans);
  }

  @Override
  public CompletableFuture<IngestResult> ingestLogs(ExportBatch<LogRecord> batch) {
    return record(batch, logs);
  }

  @Override
  public CompletableFuture<IngestResult> ingestMetrics(ExportBatch<MetricPoint> batch) {
    return record(batch, metricPoints);
  }

  @Override
  public void refuseSpansIfFull(long wireBytes) {}

  @Override
  public void refuseMetricsIfFull(long wireBytes) {}

  @Override
  public void refuseLogsIfFull(long wireBytes) {}

  /** Fails the way the real use case does: asynchronously, as storage would. */
  private <T> CompletableFuture<IngestResult> record(ExportBatch<T> batch, List<T> into) {
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    tenants.add(batch.tenant());
    into.addAll(batch.records());
    return commits.thenApply(
        committed ->
            new IngestResult(
                batch.records().size(), batch.rejectedCount(), batch.rejectionReason()));
  }
}
