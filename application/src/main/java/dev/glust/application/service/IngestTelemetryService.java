package dev.glust.application.service;

import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.in.IngestSpansUseCase;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.domain.common.AttributeLimits;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.trace.Span;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Applies the domain's ingest rules to an export request and hands the records to storage. The
 * caller is answered only after storage committed, so an acknowledged record is durable.
 */
public final class IngestTelemetryService implements IngestSpansUseCase, IngestLogsUseCase {
  private final SaveSpansPort saveSpans;
  private final SaveLogsPort saveLogs;
  private final AttributeLimits limits;
  private final LongSupplier nowUnixNano;

  public IngestTelemetryService(
      SaveSpansPort saveSpans,
      SaveLogsPort saveLogs,
      AttributeLimits limits,
      LongSupplier nowUnixNano) {
    this.saveSpans = Objects.requireNonNull(saveSpans);
    this.saveLogs = Objects.requireNonNull(saveLogs);
    this.limits = Objects.requireNonNull(limits);
    this.nowUnixNano = Objects.requireNonNull(nowUnixNano);
  }

  @Override
  public IngestResult ingestSpans(ExportBatch<Span> batch) {
    List<Span> spans = batch.records().stream().map(s -> s.limitedBy(limits)).toList();
    if (!spans.isEmpty()) {
      saveSpans.saveSpans(spans);
    }
    return resultOf(batch);
  }

  @Override
  public IngestResult ingestLogs(ExportBatch<LogRecord> batch) {
    long now = nowUnixNano.getAsLong();
    List<LogRecord> logs =
        batch.records().stream().map(r -> r.observedAt(now).limitedBy(limits)).toList();
    if (!logs.isEmpty()) {
      saveLogs.saveLogs(logs);
    }
    return resultOf(batch);
  }

  private static IngestResult resultOf(ExportBatch<?> batch) {
    return new IngestResult(batch.records().size(), batch.rejectedCount(), batch.rejectionReason());
  }
}
