package dev.glust.bootstrap;

import dev.glust.adapter.kafka.KafkaTransport;
import dev.glust.adapter.kafka.KafkaWriter;
import dev.glust.adapter.otlp.OtlpReceiverOptions;
import dev.glust.adapter.otlp.OtlpReceiverSettings;
import dev.glust.adapter.otlp.OtlpReceivers;
import dev.glust.adapter.otlp.OtlpTls;
import dev.glust.adapter.postgres.PostgresSettings;
import dev.glust.application.port.in.CheckAccessUseCase;
import dev.glust.application.port.in.CheckHealthQuery;
import dev.glust.application.port.out.ProbeStoragePort;
import dev.glust.application.port.out.Storage;
import dev.glust.application.port.out.StorageProvider;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.application.service.ActivityQueryService;
import dev.glust.application.service.HealthService;
import dev.glust.application.service.IngestTelemetryService;
import dev.glust.application.service.MaxRecordAge;
import dev.glust.application.service.MaxRecordAges;
import dev.glust.application.service.MetricQueryService;
import dev.glust.application.service.NewestRecordsService;
import dev.glust.application.service.PerformanceQueryService;
import dev.glust.application.service.SpanMetrics;
import dev.glust.application.service.SpansetQueryService;
import dev.glust.application.service.TelemetryQueryService;
import dev.glust.application.service.TenantUsageService;
import dev.glust.application.tenant.ActiveSeriesLimiter;
import dev.glust.application.tenant.TenantPolicies;
import dev.glust.application.tenant.TenantRateLimiter;
import dev.glust.application.tenant.TenantRetentions;
import dev.glust.domain.common.RecordLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.convert.ConversionService;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wires the hexagon: storage adapter → use cases → inbound adapters. GLUST_STORAGE chooses the
 * storage adapter (PostgreSQL unless another provider is on the classpath); the mode (GLUST_MODE)
 * chooses what stands behind the ingest pipelines: that storage (all, writer) or Kafka (receiver).
 */
@Factory
class GlustFactory {
  /**
   * Tenants whose ingest buckets and active series are kept at most (least recently used first
   * forgotten): far more than a Glust serves, few enough to bound memory.
   */
  private static final int MAX_TRACKED_TENANTS = 10_000;

  @Singleton
  GlustMode mode(@Value("${glust.mode}") String mode) {
    return GlustMode.parse(mode);
  }

  @Singleton
  @Bean(preDestroy = "close")
  DatabaseLauncher database(
      GlustMode mode,
      DatabaseConfig db,
      QueryConfig query,
      @Value("${glust.data-dir}") String dataDir,
      @Value("${glust.embedded-db.port}") int embeddedPort) {
    if (mode == GlustMode.RECEIVER && db.url().isBlank()) {
      // a receiver never starts a database of its own; queries need the writers' one
      throw new StorageUnavailableException(
          "receiver mode: set GLUST_DB_URL to the writers' PostgreSQL to serve queries", null);
    }
    return DatabaseLauncher.launch(
        new PostgresSettings(
            db.url(),
            db.user(),
            db.password(),
            db.poolSize(),
            db.queryPoolSize(),
            db.connectTimeout(),
            query.timeout(),
            db.serviceUser(),
            db.servicePassword()),
        Path.of(dataDir),
        embeddedPort);
  }

  /**
   * The storage adapter GLUST_STORAGE names, found among the {@link StorageProvider}s on the
   * classpath. The embedded PostgreSQL starts only if the adapter asks for {@code glust.db.url}.
   *
   * <p>It is told the tenants' retentions now and after each reload that changes them, in every
   * mode: a receiver's storage (the writers' database, for queries) maintains the partitions too,
   * and with the global retention alone it would drop those kept for a tenant's longer one.
   */
  @Singleton
  @Bean(preDestroy = "close")
  Storage storage(
      @Value("${glust.storage}") String name,
      Environment environment,
      BeanProvider<DatabaseLauncher> database,
      TenantPoliciesFile tenantPolicies) {
    Storage storage =
        StorageProviders.named(name)
            .open(new ConfiguredStorageEnvironment(environment, database::get));
    tenantPolicies.onLoad(new TenantRetentions(storage.retention())::apply);
    return storage;
  }

  /** An optional duration setting: blank means the general one. */
  private static Duration durationOr(String value, Duration general) {
    return value.isBlank()
        ? general
        : ConversionService.SHARED.convertRequired(value.strip(), Duration.class);
  }

  /**
   * A signal accepts records as old as it keeps them: its retention, else the general one, else
   * (keep forever) GLUST_MAX_RECORD_AGE.
   */
  private static MaxRecordAge maxAge(
      String signalRetention, String setting, Duration retention, MaxRecordAge fallback) {
    Duration kept = durationOr(signalRetention, retention);
    if (kept.isZero() || kept.isNegative()) {
      return fallback;
    }
    return new MaxRecordAge(kept, signalRetention.isBlank() ? "GLUST_RETENTION" : setting);
  }

  @Singleton
  IngestMetrics ingestMetrics(MeterRegistry registry) {
    return new IngestMetrics(registry);
  }

  /** The tenants file's policies, checked for changes on a schedule; none without a file. */
  @Singleton
  @Bean(preDestroy = "close")
  TenantPoliciesFile tenantPolicies(TenantsConfig tenants, IngestMetrics metrics) {
    TenantPoliciesFile file = new TenantPoliciesFile(tenants.file(), tenants.checkEvery());
    metrics.watch(file);
    return file;
  }

  /** API keys and rate limits: one guard for the OTLP receivers and the query API. */
  @Singleton
  CheckAccessUseCase access(ApiKeysConfig keys, RateLimitConfig rateLimit) {
    return AccessSettings.guard(
        keys.apiKeys(),
        keys.apiKeysFile(),
        rateLimit.perSecond(),
        rateLimit.burst(),
        rateLimit.maxClients());
  }

  @Singleton
  @Bean(preDestroy = "close")
  IngestPipelines pipelines(
      GlustMode mode,
      BeanProvider<Storage> storage,
      BeanProvider<KafkaTransport> kafka,
      IngestMetrics metrics,
      PipelineConfig pipeline,
      @Value("${glust.shutdown.grace}") Duration grace) {
    boolean toKafka = mode == GlustMode.RECEIVER;
    return new IngestPipelines(
        toKafka ? kafka.get().spans() : storage.get().spans(),
        toKafka ? kafka.get().logs() : storage.get().logs(),
        toKafka ? kafka.get().metrics() : storage.get().metrics(),
        IngestPipelines.settings(
            pipeline.maxBatchRecords(),
            pipeline.linger(),
            pipeline.maxQueuedRecords(),
            pipeline.maxQueuedBytes(),
            pipeline.writers()),
        grace,
        metrics);
  }

  @Singleton
  IngestTelemetryService ingestTelemetry(
      GlustMode mode,
      IngestPipelines pipelines,
      IngestMetrics metrics,
      IngestLimitsConfig limits,
      PartitionConfig partitions,
      TenantPoliciesFile tenantPolicies) {
    MaxRecordAge fallback = new MaxRecordAge(limits.maxRecordAge(), "GLUST_MAX_RECORD_AGE");
    // a writer stores what receivers already admitted under the tenants' limits: not twice
    Supplier<TenantPolicies> policies =
        mode == GlustMode.WRITER ? () -> TenantPolicies.NONE : tenantPolicies;
    Duration retention = partitions.retention();
    MaxRecordAges maxAges =
        new MaxRecordAges(
            maxAge(partitions.spansRetention(), "GLUST_SPANS_RETENTION", retention, fallback),
            maxAge(partitions.logsRetention(), "GLUST_LOGS_RETENTION", retention, fallback),
            maxAge(partitions.metricsRetention(), "GLUST_METRICS_RETENTION", retention, fallback),
            // in every mode: a writer must not refuse what a receiver admitted for a tenant kept
            // longer
            tenantPolicies);
    IngestTelemetryService service =
        new IngestTelemetryService(
            pipelines.spans,
            pipelines.logs,
            pipelines.metrics,
            new RecordLimits(
                limits.maxAttributes(),
                limits.maxAttributeLength(),
                limits.maxAttributeKeyLength(),
                limits.maxValueDepth(),
                limits.maxLogBodyLength()),
            limits.maxClockSkew(),
            maxAges,
            GlustFactory::nowUnixNano,
            new TenantRateLimiter(policies, MAX_TRACKED_TENANTS, System::nanoTime, metrics),
            new ActiveSeriesLimiter(policies, MAX_TRACKED_TENANTS, System::nanoTime, metrics));
    metrics.watch(service);
    return service;
  }

  /** One read-side service answers every query port of the API adapter. */
  @Singleton
  TelemetryQueryService queries(Storage storage, QueryConfig query) {
    return new TelemetryQueryService(
        storage.traceLoader(),
        storage.traceSearch(),
        storage.logSearch(),
        storage.services(),
        query.maxRange());
  }

  /** TraceQL's searches (Tempo's API): spanset queries over the storage's spanset search. */
  @Singleton
  SpansetQueryService spansets(Storage storage, QueryConfig query) {
    return new SpansetQueryService(storage.spansetSearch(), query.maxRange());
  }

  /** Overviews for the web explorer: log volume histogram, activity per service. */
  @Singleton
  ActivityQueryService activity(Storage storage, QueryConfig query) {
    return new ActivityQueryService(
        storage.logVolume(), storage.serviceActivity(), query.maxRange());
  }

  /** Every tenant's usage, for the admin scope. */
  @Singleton
  TenantUsageService tenantUsage(Storage storage, QueryConfig query) {
    return new TenantUsageService(storage.tenantUsage(), query.maxRange());
  }

  /** Where the newest span and log record are (the explorer's hint for an empty time range). */
  @Singleton
  NewestRecordsService newestRecords(Storage storage) {
    return new NewestRecordsService(storage.newestRecords());
  }

  /**
   * Metric queries: catalog, series, aggregation over time (the read side of OTLP metrics), with
   * the span rollups as two more metrics ({@code traces.span.metrics.calls|duration}).
   */
  @Singleton
  MetricQueryService metricQueries(Storage storage, QueryConfig query) {
    SpanMetrics metrics =
        new SpanMetrics(
            storage.metricCatalog(), storage.metricPoints(), storage.operationRollups());
    return new MetricQueryService(metrics, metrics, query.maxRange());
  }

  /** Rate, errors, durations and dependencies of services, from the span rollups. */
  @Singleton
  PerformanceQueryService performance(Storage storage, QueryConfig query) {
    return new PerformanceQueryService(
        storage.operationRollups(), storage.dependencyRollups(), query.maxRange());
  }

  /** Ready when the storage this mode writes to answers: PostgreSQL, Kafka, or both. */
  @Singleton
  CheckHealthQuery health(
      GlustMode mode,
      BeanProvider<Storage> storage,
      BeanProvider<KafkaTransport> kafka,
      IngestTelemetryService ingest) {
    ProbeStoragePort probe;
    if (mode == GlustMode.ALL) {
      probe = storage.get().probe();
    } else if (mode == GlustMode.RECEIVER) {
      probe = kafka.get().probe();
    } else {
      ProbeStoragePort database = storage.get().probe();
      ProbeStoragePort broker = kafka.get().probe();
      probe = () -> database.problem().or(broker::problem);
    }
    return new HealthService(probe, ingest::saturated);
  }

  /**
   * Eager: the receivers must listen as soon as the application has started (not in writer mode).
   */
  @Context
  @Requires(property = GlustMode.PROPERTY, notEquals = "writer")
  OtlpReceivers otlpReceivers(
      IngestTelemetryService ingest,
      CheckAccessUseCase access,
      IngestMetrics metrics,
      SelfTracing selfTracing,
      TlsConfig tlsFiles,
      OtlpConfig otlp)
      throws IOException, InterruptedException {
    Optional<OtlpTls> tls =
        tlsFiles.certFile().isBlank() && tlsFiles.keyFile().isBlank()
            ? Optional.empty()
            : Optional.of(new OtlpTls(Path.of(tlsFiles.certFile()), Path.of(tlsFiles.keyFile())));
    return OtlpReceivers.start(
        new OtlpReceiverSettings(
            otlp.host(),
            otlp.grpcPort(),
            otlp.httpPort(),
            otlp.maxRequestBytes(),
            otlp.maxRecordsPerRequest(),
            otlp.maxQueueWait(),
            otlp.maxDecodeQueue()),
        new OtlpReceiverOptions(access, selfTracing.observing(metrics), tls),
        ingest,
        ingest,
        ingest);
  }

  /** Closed first (created last): see {@link GracefulShutdown}. */
  @Context
  @Bean(preDestroy = "close")
  GracefulShutdown gracefulShutdown(
      Optional<OtlpReceivers> receivers, Optional<KafkaWriter> writer, IngestPipelines pipelines) {
    return new GracefulShutdown(receivers, writer, pipelines);
  }

  private static long nowUnixNano() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
