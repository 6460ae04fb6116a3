package dev.glust.bootstrap;

import dev.glust.application.pipeline.PipelineObserver;
import dev.glust.application.port.in.PipelineStats;
import dev.glust.application.port.in.ReadIngestStatsQuery;
import dev.glust.application.port.observe.ExportObserver;
import dev.glust.application.port.observe.ExportOutcome;
import dev.glust.application.port.observe.ExportReport;
import dev.glust.application.port.observe.TenantLimitObserver;
import dev.glust.domain.tenant.TenantId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The Micrometer side of the application's observer ports: Glust's own ingest series, named for
 * Prometheus ({@code glust_…_total}, {@code _seconds}, {@code _bytes}), with histogram buckets so
 * p95/p99 can be computed from them. Record counters and tenant limit refusals are labelled by
 * tenant, within {@link TenantLabels}' cap.
 */
final class IngestMetrics implements ExportObserver, PipelineObserver, TenantLimitObserver {
  private static final String INVALID_RECORD = "invalid_record";
  private static final String DEFAULT_TENANT = TenantId.DEFAULT.name();
  private final MeterRegistry registry;
  private final TenantLabels tenants = new TenantLabels();

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void exportFinished(ExportReport report) {
    String signal = report.signal();
    String protocol = report.transport();
    ExportOutcome outcome = report.outcome();
    requests(signal, protocol, outcome).increment();
    requestDuration(signal, protocol).record(report.durationNanos(), TimeUnit.NANOSECONDS);
    if (report.records() == 0) {
      return; // answered before decoding: no record count to tell
    }
    String tenant = tenants.of(report.tenant());
    records("received", signal, protocol, tenant, null).increment(report.records());
    if (outcome == ExportOutcome.ACCEPTED) {
      records("accepted", signal, protocol, tenant, null)
          .increment(Math.max(0, report.records() - report.rejectedRecords()));
      if (report.rejectedRecords() > 0) {
        records("rejected", signal, protocol, tenant, INVALID_RECORD)
            .increment(report.rejectedRecords());
      }
    } else {
      records(refusedOrRejected(outcome), signal, protocol, tenant, label(outcome))
          .increment(report.records());
    }
  }

  @Override
  public void limited(TenantId tenant, String signal, String limit, int records) {
    limitedRecords(tenants.of(tenant), signal, limit).increment(records);
  }

  private Counter limitedRecords(String tenant, String signal, String limit) {
    return Counter.builder("glust.tenant.limited")
        .description("Records a tenant's own limit refused (its ingest rate, its active series)")
        .tags("tenant", tenant, "signal", signal, "limit", limit)
        .register(registry);
  }

  /**
   * Registers every series {@link #exportFinished} can move for this signal and transport, at 0: a
   * series that appears only with its first increase hides that increase from {@code rate()}.
   */
  @Override
  public void serving(String signal, String transport) {
    requestDuration(signal, transport);
    records("received", signal, transport, DEFAULT_TENANT, null);
    records("accepted", signal, transport, DEFAULT_TENANT, null);
    records("rejected", signal, transport, DEFAULT_TENANT, INVALID_RECORD);
    for (ExportOutcome outcome : ExportOutcome.values()) {
      requests(signal, transport, outcome);
      if (outcome != ExportOutcome.ACCEPTED) {
        records(refusedOrRejected(outcome), signal, transport, DEFAULT_TENANT, label(outcome));
      }
    }
  }

  /** Retryable refusals will probably come again; rejections will not. */
  private static String refusedOrRejected(ExportOutcome outcome) {
    return outcome.retryable() ? "refused" : "rejected";
  }

  private Counter requests(String signal, String protocol, ExportOutcome outcome) {
    return Counter.builder("glust.ingest.requests")
        .description("OTLP export requests, by how they were answered")
        .tags("signal", signal, "protocol", protocol, "outcome", label(outcome))
        .register(registry);
  }

  private Timer requestDuration(String signal, String protocol) {
    return Timer.builder("glust.ingest.request.duration")
        .description("From an export request's arrival to its answer (after the commit)")
        .tags("signal", signal, "protocol", protocol)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  private Counter records(
      String kind, String signal, String protocol, String tenant, String reason) {
    Counter.Builder builder =
        Counter.builder("glust.ingest.records." + kind)
            .description("Records (spans, log records, metric data points) " + kind)
            .tags("signal", signal, "protocol", protocol, "tenant", tenant);
    if (reason != null) {
      builder.tag("reason", reason);
    }
    return builder.register(registry);
  }

  @Override
  public void batchWritten(String pipeline, int records, long nanos, boolean committed) {
    String result = committed ? "committed" : "failed";
    batchSize(pipeline, result).record(records);
    commitDuration(pipeline, result).record(nanos, TimeUnit.NANOSECONDS);
  }

  private DistributionSummary batchSize(String pipeline, String result) {
    return DistributionSummary.builder("glust.pipeline.batch.size")
        .description("Records per database batch (one COPY, one transaction)")
        .baseUnit("records")
        .tags("signal", pipeline, "result", result)
        .publishPercentileHistogram()
        .minimumExpectedValue(1.0)
        .maximumExpectedValue(100_000.0)
        .register(registry);
  }

  private Timer commitDuration(String pipeline, String result) {
    return Timer.builder("glust.db.commit.duration")
        .description("Time to write and commit one batch")
        .tags("signal", pipeline, "result", result)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  /** What the pipelines hold now, read when scraped; their batch series, at 0 from the start. */
  void watch(ReadIngestStatsQuery stats) {
    pipelineGauges("spans", stats, ReadIngestStatsQuery::spanStats);
    pipelineGauges("logs", stats, ReadIngestStatsQuery::logStats);
    pipelineGauges("metrics", stats, ReadIngestStatsQuery::metricStats);
    Gauge.builder("glust.pipeline.saturated", stats, s -> s.saturated() ? 1 : 0)
        .description("1 while a pipeline holds as much as it may (readiness is DOWN)")
        .register(registry);
  }

  /** Whether the tenants file's last check found it valid, and when it was last loaded. */
  void watch(TenantPoliciesFile tenantsFile) {
    Gauge.builder(
            "glust.tenants.config.reload.success",
            tenantsFile,
            file -> file.lastReloadSucceeded() ? 1 : 0)
        .description("1 while the tenants file (GLUST_TENANTS) is valid; 0: the previous is kept")
        .register(registry);
    Gauge.builder(
            "glust.tenants.config.last.reload.success.timestamp",
            tenantsFile,
            file -> file.lastSuccess().toEpochMilli() / 1000.0)
        .description("When the tenants file was last loaded (unix seconds)")
        .baseUnit("seconds")
        .register(registry);
  }

  private void pipelineGauges(
      String signal,
      ReadIngestStatsQuery stats,
      java.util.function.Function<ReadIngestStatsQuery, PipelineStats> of) {
    for (String result : List.of("committed", "failed")) { // at 0 until the first batch
      batchSize(signal, result);
      commitDuration(signal, result);
    }
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
