package dev.glust.application.service;

import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestMetricsUseCase;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.in.IngestSpansUseCase;
import dev.glust.application.port.in.PipelineStats;
import dev.glust.application.port.in.ReadIngestStatsQuery;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.trace.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Applies the domain's ingest rules to an export request and hands the records to the bounded
 * pipeline of their signal. The caller's future completes only after storage committed them.
 * Records older than their signal's {@link MaxRecordAge} are refused, and records whose names had
 * to be cut are kept; the answer says both (OTLP partial success).
 */
public final class IngestTelemetryService
    implements IngestSpansUseCase, IngestLogsUseCase, IngestMetricsUseCase, ReadIngestStatsQuery {
  private final BatchingPipeline<Span> spans;
  private final BatchingPipeline<LogRecord> logs;
  private final BatchingPipeline<MetricPoint> metrics;
  private final LongSupplier nowUnixNano;
  private final SignalRules<Span> spanRules;
  private final SignalRules<LogRecord> logRules;
  private final SignalRules<MetricPoint> metricRules;

  /**
   * @param maxClockSkew how far after its arrival a record's time may lie before it counts as a
   *     broken clock and is normalised (see {@link Span#arrivedAt}, {@link LogRecord#arrivedAt},
   *     {@link dev.glust.domain.metric.DataPoint#arrivedAt})
   * @param metrics a pipeline of data points: its limits count rows, one per point
   * @param maxAges how old a record of each signal may be on arrival (after that normalisation)
   */
  public IngestTelemetryService(
      BatchingPipeline<Span> spans,
      BatchingPipeline<LogRecord> logs,
      BatchingPipeline<MetricPoint> metrics,
      RecordLimits limits,
      Duration maxClockSkew,
      MaxRecordAges maxAges,
      LongSupplier nowUnixNano) {
    this.spans = Objects.requireNonNull(spans);
    this.logs = Objects.requireNonNull(logs);
    this.metrics = Objects.requireNonNull(metrics);
    Objects.requireNonNull(limits);
    long skew = maxClockSkew.toNanos();
    this.nowUnixNano = Objects.requireNonNull(nowUnixNano);
    this.spanRules =
        new SignalRules<>(
            "span",
            "service.name",
            maxAges.spans(),
            (s, now) -> s.arrivedAt(now, skew),
            Span::startTimeUnixNano,
            Span::namesFit,
            s -> s.limitedBy(limits));
    this.logRules =
        new SignalRules<>(
            "log record",
            "service.name",
            maxAges.logs(),
            (r, now) -> r.arrivedAt(now, skew),
            LogRecord::effectiveTimeUnixNano,
            LogRecord::namesFit,
            r -> r.limitedBy(limits));
    this.metricRules =
        new SignalRules<>(
            "data point",
            "service.name or metric name",
            maxAges.metrics(),
            (p, now) -> p.arrivedAt(now, skew),
            p -> p.point().timeUnixNano(),
            MetricPoint::namesFit,
            p -> p.limitedBy(limits));
  }

  @Override
  public CompletableFuture<IngestResult> ingestSpans(ExportBatch<Span> batch) {
    return ingest(spans, batch, spanRules);
  }

  @Override
  public CompletableFuture<IngestResult> ingestLogs(ExportBatch<LogRecord> batch) {
    return ingest(logs, batch, logRules);
  }

  @Override
  public CompletableFuture<IngestResult> ingestMetrics(ExportBatch<MetricPoint> batch) {
    return ingest(metrics, batch, metricRules);
  }

  /**
   * Times normalised against one arrival time, records older than the signal's maximum age refused,
   * limits applied to the others, which then go to the pipeline.
   */
  private <T> CompletableFuture<IngestResult> ingest(
      BatchingPipeline<T> pipeline, ExportBatch<T> batch, SignalRules<T> rules) {
    long now = nowUnixNano.getAsLong();
    long oldest = rules.maxAge().oldestAt(now);
    List<T> ready = new ArrayList<>(batch.records().size());
    int tooOld = 0;
    int cut = 0;
    for (T record : batch.records()) {
      T arrived = rules.arrive().apply(record, now);
      if (rules.time().applyAsLong(arrived) < oldest) {
        tooOld++;
        continue;
      }
      if (!rules.namesFit().test(arrived)) {
        cut++;
      }
      ready.add(rules.limit().apply(arrived));
    }
    IngestResult result =
        new IngestResult(
            ready.size(),
            batch.rejectedCount() + tooOld,
            joined(batch.rejectionReason(), rules.tooOld(tooOld), rules.cut(cut)));
    return pipeline.submit(batch.tenant(), ready, batch.wireBytes()).thenApply(done -> result);
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

  private static String joined(String... reasons) {
    return Arrays.stream(reasons).filter(r -> !r.isEmpty()).collect(Collectors.joining("; "));
  }

  /** What the ingest steps need to know of one signal's records. */
  private record SignalRules<T>(
      String noun,
      String names,
      MaxRecordAge maxAge,
      BiFunction<T, Long, T> arrive,
      ToLongFunction<T> time,
      Predicate<T> namesFit,
      UnaryOperator<T> limit) {

    String tooOld(int count) {
      return count == 0
          ? ""
          : counted(count)
              + " refused: older than "
              + maxAge.label()
              + " ("
              + maxAge.setting()
              + ")";
    }

    String cut(int count) {
      return count == 0
          ? ""
          : counted(count)
              + " kept with the "
              + names
              + " cut to "
              + RecordLimits.MAX_NAME_LENGTH
              + " characters";
    }

    private String counted(int count) {
      return count + " " + noun + (count == 1 ? "" : "s");
    }
  }
}
