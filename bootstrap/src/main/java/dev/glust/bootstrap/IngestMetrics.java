package dev.glust.bootstrap;

import dev.glust.application.observe.ExportObserver;
import dev.glust.application.observe.ExportOutcome;
import dev.glust.application.observe.ExportReport;
import dev.glust.application.pipeline.PipelineObserver;
import dev.glust.application.pipeline.PipelineStats;
import dev.glust.application.port.in.ReadIngestStatsQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The Micrometer side of the application's observer ports: Glust's own ingest series, named for
 * Prometheus ({@code glust_…_total}, {@code _seconds}, {@code _bytes}), with histogram buckets so
 * p95/p99 can be computed from them.
 */
final class IngestMetrics implements ExportObserver, PipelineObserver {
  private final MeterRegistry registry;

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void exportFinished(ExportReport report) {
    String signal = report.signal();
    String protocol = report.transport();
    ExportOutcome outcome = report.outcome();
    Counter.builder("glust.ingest.requests")
        .description("OTLP export requests, by how they were answered")
        .tags("signal", signal, "protocol", protocol, "outcome", label(outcome))
        .register(registry)
        .increment();
    Timer.builder("glust.ingest.request.duration")
        .description("From an export request's arrival to its answer (after the commit)")
        .tags("signal", signal, "protocol", protocol)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(report.durationNanos(), TimeUnit.NANOSECONDS);
    if (report.records() == 0) {
      return; // answered before decoding: no record count to tell
    }
    records("received", signal, protocol, null).increment(report.records());
    if (outcome == ExportOutcome.ACCEPTED) {
      records("accepted", signal, protocol, null)
          .increment(Math.max(0, report.records() - report.rejectedRecords()));
      if (report.rejectedRecords() > 0) {
        records("rejected", signal, protocol, "invalid_record").increment(report.rejectedRecords());
      }
    } else {
      // retryable refusals will probably come again; rejections will not
      String kind = outcome.retryable() ? "refused" : "rejected";
      records(kind, signal, protocol, label(outcome)).increment(report.records());
    }
  }

  private Counter records(String kind, String signal, String protocol, String reason) {
    Counter.Builder builder =
        Counter.builder("glust.ingest.records." + kind)
            .description("Records (spans, log records, metric data points) " + kind)
            .tags("signal", signal, "protocol", protocol);
    if (reason != null) {
      builder.tag("reason", reason);
    }
    return builder.register(registry);
  }

  @Override
  public void batchWritten(String pipeline, int records, long nanos, boolean committed) {
    String result = committed ? "committed" : "failed";
    DistributionSummary.builder("glust.pipeline.batch.size")
        .description("Records per database batch (one COPY, one transaction)")
        .baseUnit("records")
        .tags("signal", pipeline, "result", result)
        .publishPercentileHistogram()
        .minimumExpectedValue(1.0)
        .maximumExpectedValue(100_000.0)
        .register(registry)
        .record(records);
    Timer.builder("glust.db.commit.duration")
        .description("Time to write and commit one batch")
        .tags("signal", pipeline, "result", result)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** What the pipelines hold now, read when scraped. */
  void watch(ReadIngestStatsQuery stats) {
    pipelineGauges("spans", stats, ReadIngestStatsQuery::spanStats);
    pipelineGauges("logs", stats, ReadIngestStatsQuery::logStats);
    pipelineGauges("metrics", stats, ReadIngestStatsQuery::metricStats);
    Gauge.builder("glust.pipeline.saturated", stats, s -> s.saturated() ? 1 : 0)
        .description("1 while a pipeline holds as much as it may (readiness is DOWN)")
        .register(registry);
  }

  private void pipelineGauges(
      String signal,
      ReadIngestStatsQuery stats,
      java.util.function.Function<ReadIngestStatsQuery, PipelineStats> of) {
    gauge("glust.pipeline.queued.records", null, signal, stats, s -> of.apply(s).queuedRecords());
    gauge("glust.pipeline.queued", BaseUnits.BYTES, signal, stats, s -> of.apply(s).queuedBytes());
  }

  private void gauge(
      String name,
      String unit,
      String signal,
      ReadIngestStatsQuery stats,
      ToDoubleFunction<ReadIngestStatsQuery> value) {
    Gauge.builder(name, stats, value)
        .description("Accepted but not yet committed, per pipeline")
        .baseUnit(unit)
        .tag("signal", signal)
        .register(registry);
  }

  private static String label(ExportOutcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }
}
