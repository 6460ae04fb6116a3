package dev.glust.application.service;

import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestMetricsUseCase;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.in.IngestSpansUseCase;
import dev.glust.application.port.in.PipelineStats;
import dev.glust.application.port.in.ReadIngestStatsQuery;
import dev.glust.application.port.observe.TenantLimitObserver;
import dev.glust.application.tenant.ActiveSeriesLimiter;
import dev.glust.application.tenant.TenantPolicies;
import dev.glust.application.tenant.TenantRateLimiter;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Applies the domain's ingest rules to an export request and hands the records to the bounded
 * pipeline of their signal. The caller's future completes only after storage committed them.
 * Records older than their signal's {@link MaxRecordAge} are refused, and records whose names had
 * to be cut are kept; the answer says both (OTLP partial success). Each tenant is held to its
 * limits: a request beyond its ingest rate is refused whole, at once ({@link
 * dev.glust.application.port.in.TenantLimitedException}); data points of new series beyond its
 * active series cap are refused within an accepted request.
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
  private final TenantRateLimiter rates;

  /** Without tenant limits: every tenant may send as fast as Glust takes it. */
  public IngestTelemetryService(
      BatchingPipeline<Span> spans,
      BatchingPipeline<LogRecord> logs,
      BatchingPipeline<MetricPoint> metrics,
      RecordLimits limits,
      Duration maxClockSkew,
      MaxRecordAges maxAges,
      LongSupplier nowUnixNano) {
    this(
        spans,
        logs,
        metrics,
        limits,
        maxClockSkew,
        maxAges,
        nowUnixNano,
        new TenantRateLimiter(
            () -> TenantPolicies.NONE, 1, System::nanoTime, TenantLimitObserver.NONE),
        new ActiveSeriesLimiter(
            () -> TenantPolicies.NONE, 1, System::nanoTime, TenantLimitObserver.NONE));
  }

  /**
   * @param maxClockSkew how far after its arrival a record's time may lie before it counts as a
   *     broken clock and is normalised (see {@link Span#arrivedAt}, {@link LogRecord#arrivedAt},
   *     {@link dev.glust.domain.metric.DataPoint#arrivedAt})
   * @param metrics a pipeline of data points: its limits count rows, one per point
   * @param maxAges how old a record of each signal may be on arrival (after that normalisation)
   * @param rates each tenant's ingest rate, charged per request after decoding
   * @param series each tenant's cap of active metric series
   */
  public IngestTelemetryService(
      BatchingPipeline<Span> spans,
      BatchingPipeline<LogRecord> logs,
      BatchingPipeline<MetricPoint> metrics,
      RecordLimits limits,
      Duration maxClockSkew,
      MaxRecordAges maxAges,
      LongSupplier nowUnixNano,
      TenantRateLimiter rates,
      ActiveSeriesLimiter series) {
    this.spans = Objects.requireNonNull(spans);
    this.logs = Objects.requireNonNull(logs);
    this.metrics = Objects.requireNonNull(metrics);
    this.rates = Objects.requireNonNull(rates);
    Objects.requireNonNull(series);
    Objects.requireNonNull(limits);
    long skew = maxClockSkew.toNanos();
    this.nowUnixNano = Objects.requireNonNull(nowUnixNano);
    this.spanRules =
        new SignalRules<>(
            "traces",
            "span",
            "service.name",
            maxAges::spansOf,
            (s, now) -> s.arrivedAt(now, skew),
            Span::startTimeUnixNano,
            Span::namesFit,
            s -> s.limitedBy(limits),
            Admission::all);
    this.logRules =
        new SignalRules<>(
            "logs",
            "log record",
            "service.name",
            maxAges::logsOf,
            (r, now) -> r.arrivedAt(now, skew),
            LogRecord::effectiveTimeUnixNano,
            LogRecord::namesFit,
            r -> r.limitedBy(limits),
            Admission::all);
    this.metricRules =
        new SignalRules<>(
            "metrics",
            "data point",
            "service.name or metric name",
            maxAges::metricsOf,
            (p, now) -> p.arrivedAt(now, skew),
            p -> p.point().timeUnixNano(),
            MetricPoint::namesFit,
            p -> p.limitedBy(limits),
            (tenant, points) -> {
              ActiveSeriesLimiter.Admitted admitted = series.admit(tenant, points);
              return new Admission<>(admitted.points(), admitted.refused(), admitted.reason());
            });
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
   * The tenant's rate charged (or the request refused whole), times normalised against one arrival
   * time, records older than the signal's maximum age refused, limits applied to the others, the
   * tenant's admission applied to them, and what is left goes to the pipeline.
   */
  private <T> CompletableFuture<IngestResult> ingest(
      BatchingPipeline<T> pipeline, ExportBatch<T> batch, SignalRules<T> rules) {
    rates.admit(batch.tenant(), rules.signal(), batch.records().size(), batch.wireBytes());
    long now = nowUnixNano.getAsLong();
    MaxRecordAge maxAge = rules.maxAge().apply(batch.tenant());
    long oldest = maxAge.oldestAt(now);
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
    Admission<T> admitted = rules.admit().apply(batch.tenant(), ready);
    IngestResult result =
        new IngestResult(
            admitted.kept().size(),
            batch.rejectedCount() + tooOld + admitted.refused(),
            joined(
                batch.rejectionReason(),
                rules.tooOld(tooOld, maxAge),
                rules.cut(cut),
                admitted.reason()));
    return pipeline
        .submit(batch.tenant(), admitted.kept(), batch.wireBytes())
        .thenApply(done -> result);
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

  /** The records of a request a tenant may store, and why the others were refused. */
  private record Admission<T>(List<T> kept, int refused, String reason) {
    static <T> Admission<T> all(TenantId tenant, List<T> records) {
      return new Admission<>(records, 0, "");
    }
  }

  /** What the ingest steps need to know of one signal's records. */
  private record SignalRules<T>(
      String signal,
      String noun,
      String names,
      Function<TenantId, MaxRecordAge> maxAge,
      BiFunction<T, Long, T> arrive,
      ToLongFunction<T> time,
      Predicate<T> namesFit,
      UnaryOperator<T> limit,
      BiFunction<TenantId, List<T>, Admission<T>> admit) {

    String tooOld(int count, MaxRecordAge maxAge) {
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
