package dev.glust.bootstrap;

import dev.glust.adapter.kafka.KafkaTransport;
import dev.glust.adapter.kafka.KafkaWriter;
import dev.glust.adapter.otlp.OtlpReceiverOptions;
import dev.glust.adapter.otlp.OtlpReceiverSettings;
import dev.glust.adapter.otlp.OtlpReceivers;
import dev.glust.adapter.otlp.OtlpTls;
import dev.glust.adapter.postgres.PartitionSettings;
import dev.glust.adapter.postgres.PostgresSettings;
import dev.glust.adapter.postgres.PostgresStorage;
import dev.glust.application.port.in.CheckAccessUseCase;
import dev.glust.application.port.in.CheckHealthQuery;
import dev.glust.application.port.out.ProbeStoragePort;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.application.service.ActivityQueryService;
import dev.glust.application.service.HealthService;
import dev.glust.application.service.IngestTelemetryService;
import dev.glust.application.service.MaxRecordAge;
import dev.glust.application.service.MaxRecordAges;
import dev.glust.application.service.MetricQueryService;
import dev.glust.application.service.NewestRecordsService;
import dev.glust.application.service.TelemetryQueryService;
import dev.glust.domain.common.RecordLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.ConversionService;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Wires the hexagon: storage adapter → use cases → inbound adapters. The mode (GLUST_MODE) chooses
 * the storage behind the ingest pipelines: PostgreSQL (all, writer) or Kafka (receiver).
 */
@Factory
class GlustFactory {

  @Singleton
  GlustMode mode(@Value("${glust.mode:all}") String mode) {
    return GlustMode.parse(mode);
  }

  @Singleton
  @Bean(preDestroy = "close")
  DatabaseLauncher database(
      GlustMode mode,
      @Value("${glust.db.url:}") String url,
      @Value("${glust.db.user:}") String user,
      @Value("${glust.db.password:}") String password,
      @Value("${glust.db.pool-size:12}") int poolSize,
      @Value("${glust.db.query-pool-size:4}") int queryPoolSize,
      @Value("${glust.db.connect-timeout:5s}") Duration connectTimeout,
      @Value("${glust.query.timeout:30s}") Duration queryTimeout,
      @Value("${glust.data-dir:./data}") String dataDir,
      @Value("${glust.embedded-db.port:0}") int embeddedPort) {
    if (mode == GlustMode.RECEIVER && url.isBlank()) {
      // a receiver never starts a database of its own; queries need the writers' one
      throw new StorageUnavailableException(
          "receiver mode: set GLUST_DB_URL to the writers' PostgreSQL to serve queries", null);
    }
    return DatabaseLauncher.launch(
        new PostgresSettings(
            url, user, password, poolSize, queryPoolSize, connectTimeout, queryTimeout),
        Path.of(dataDir),
        embeddedPort);
  }

  @Singleton
  @Bean(preDestroy = "close")
  PostgresStorage storage(
      DatabaseLauncher database,
      @Value("${glust.partitions.interval:1d}") Duration interval,
      @Value("${glust.partitions.ahead:2}") int ahead,
      @Value("${glust.partitions.retention:0s}") Duration retention,
      @Value("${glust.partitions.spans-retention:}") String spansRetention,
      @Value("${glust.partitions.logs-retention:}") String logsRetention,
      @Value("${glust.partitions.metrics-retention:}") String metricsRetention,
      @Value("${glust.partitions.maintenance-every:10m}") Duration maintenanceEvery,
      @Value("${glust.partitions.max-new-per-batch:16}") int maxNewPerBatch,
      @Value("${glust.limits.max-clock-skew:1h}") Duration maxClockSkew,
      @Value("${glust.partitions.seal-after:1h}") Duration sealAfter) {
    return PostgresStorage.open(
        database.settings(),
        new PartitionSettings(
            interval,
            ahead,
            durationOr(spansRetention, retention),
            durationOr(logsRetention, retention),
            durationOr(metricsRetention, retention),
            maintenanceEvery,
            maxNewPerBatch,
            maxClockSkew,
            sealAfter),
        Clock.systemUTC());
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

  /** API keys and rate limits: one guard for the OTLP receivers and the query API. */
  @Singleton
  CheckAccessUseCase access(
      @Value("${glust.security.api-keys:}") String keys,
      @Value("${glust.security.api-keys-file:}") String keysFile,
      @Value("${glust.security.rate-limit.per-second:0}") double ratePerSecond,
      @Value("${glust.security.rate-limit.burst:0}") int burst,
      @Value("${glust.security.rate-limit.max-clients:10000}") int maxClients) {
    return AccessSettings.guard(keys, keysFile, ratePerSecond, burst, maxClients);
  }

  @Singleton
  @Bean(preDestroy = "close")
  IngestPipelines pipelines(
      GlustMode mode,
      BeanProvider<PostgresStorage> storage,
      BeanProvider<KafkaTransport> kafka,
      IngestMetrics metrics,
      @Value("${glust.pipeline.max-batch-records:10000}") int maxBatchRecords,
      @Value("${glust.pipeline.linger:10ms}") Duration linger,
      @Value("${glust.pipeline.max-queued-records:50000}") long maxQueuedRecords,
      @Value("${glust.pipeline.max-queued-bytes:0}") long maxQueuedBytes,
      @Value("${glust.pipeline.writers:0}") int writers,
      @Value("${glust.shutdown.grace:20s}") Duration grace) {
    boolean toKafka = mode == GlustMode.RECEIVER;
    return new IngestPipelines(
        toKafka ? kafka.get().spans() : storage.get().spans(),
        toKafka ? kafka.get().logs() : storage.get().logs(),
        toKafka ? kafka.get().metrics() : storage.get().metrics(),
        IngestPipelines.settings(
            maxBatchRecords, linger, maxQueuedRecords, maxQueuedBytes, writers),
        grace,
        metrics);
  }

  @Singleton
  IngestTelemetryService ingestTelemetry(
      IngestPipelines pipelines,
      IngestMetrics metrics,
      @Value("${glust.limits.max-attributes:128}") int maxAttributes,
      @Value("${glust.limits.max-attribute-length:-1}") int maxAttributeLength,
      @Value("${glust.limits.max-attribute-key-length:1024}") int maxKeyLength,
      @Value("${glust.limits.max-value-depth:10}") int maxDepth,
      @Value("${glust.limits.max-log-body-length:262144}") int maxBodyLength,
      @Value("${glust.limits.max-clock-skew:1h}") Duration maxClockSkew,
      @Value("${glust.limits.max-record-age:7d}") Duration maxRecordAge,
      @Value("${glust.partitions.retention:0s}") Duration retention,
      @Value("${glust.partitions.spans-retention:}") String spansRetention,
      @Value("${glust.partitions.logs-retention:}") String logsRetention,
      @Value("${glust.partitions.metrics-retention:}") String metricsRetention) {
    MaxRecordAge fallback = new MaxRecordAge(maxRecordAge, "GLUST_MAX_RECORD_AGE");
    MaxRecordAges maxAges =
        new MaxRecordAges(
            maxAge(spansRetention, "GLUST_SPANS_RETENTION", retention, fallback),
            maxAge(logsRetention, "GLUST_LOGS_RETENTION", retention, fallback),
            maxAge(metricsRetention, "GLUST_METRICS_RETENTION", retention, fallback));
    IngestTelemetryService service =
        new IngestTelemetryService(
            pipelines.spans,
            pipelines.logs,
            pipelines.metrics,
            new RecordLimits(
                maxAttributes, maxAttributeLength, maxKeyLength, maxDepth, maxBodyLength),
            maxClockSkew,
            maxAges,
            GlustFactory::nowUnixNano);
    metrics.watch(service);
    return service;
  }

  /** One read-side service answers every query port of the API adapter. */
  @Singleton
  TelemetryQueryService queries(
      PostgresStorage storage, @Value("${glust.query.max-range:31d}") Duration maxRange) {
    return new TelemetryQueryService(
        storage.traceLoader(),
        storage.traceSearch(),
        storage.logSearch(),
        storage.services(),
        maxRange);
  }

  /** Overviews for the web explorer: log volume histogram, activity per service. */
  @Singleton
  ActivityQueryService activity(
      PostgresStorage storage, @Value("${glust.query.max-range:31d}") Duration maxRange) {
    return new ActivityQueryService(storage.logVolume(), storage.serviceActivity(), maxRange);
  }

  /** Where the newest span and log record are (the explorer's hint for an empty time range). */
  @Singleton
  NewestRecordsService newestRecords(PostgresStorage storage) {
    return new NewestRecordsService(storage.newestRecords());
  }

  /** Metric queries: catalog, series, aggregation over time (the read side of OTLP metrics). */
  @Singleton
  MetricQueryService metricQueries(
      PostgresStorage storage, @Value("${glust.query.max-range:31d}") Duration maxRange) {
    return new MetricQueryService(storage.metricCatalog(), storage.metricPoints(), maxRange);
  }

  /** Ready when the storage this mode writes to answers: PostgreSQL, Kafka, or both. */
  @Singleton
  CheckHealthQuery health(
      GlustMode mode,
      BeanProvider<PostgresStorage> storage,
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
      @Value("${glust.tls.cert-file:}") String tlsCert,
      @Value("${glust.tls.key-file:}") String tlsKey,
      @Value("${glust.otlp.host:0.0.0.0}") String host,
      @Value("${glust.otlp.grpc-port:4317}") int grpcPort,
      @Value("${glust.otlp.http-port:4318}") int httpPort,
      @Value("${glust.otlp.max-request-bytes:20971520}") int maxRequestBytes,
      @Value("${glust.otlp.max-records-per-request:100000}") int maxRecordsPerRequest,
      @Value("${glust.otlp.max-queue-wait:1s}") Duration maxQueueWait,
      @Value("${glust.otlp.max-decode-queue:64}") int maxDecodeQueue)
      throws IOException, InterruptedException {
    Optional<OtlpTls> tls =
        tlsCert.isBlank() && tlsKey.isBlank()
            ? Optional.empty()
            : Optional.of(new OtlpTls(Path.of(tlsCert), Path.of(tlsKey)));
    return OtlpReceivers.start(
        new OtlpReceiverSettings(
            host,
            grpcPort,
            httpPort,
            maxRequestBytes,
            maxRecordsPerRequest,
            maxQueueWait,
            maxDecodeQueue),
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
