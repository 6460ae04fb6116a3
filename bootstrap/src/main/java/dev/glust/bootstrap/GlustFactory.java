package dev.glust.bootstrap;

import dev.glust.adapter.otlp.OtlpReceiverSettings;
import dev.glust.adapter.otlp.OtlpReceivers;
import dev.glust.adapter.postgres.PostgresSettings;
import dev.glust.adapter.postgres.PostgresStorage;
import dev.glust.application.port.in.CheckHealthQuery;
import dev.glust.application.service.ActivityQueryService;
import dev.glust.application.service.HealthService;
import dev.glust.application.service.IngestTelemetryService;
import dev.glust.application.service.TelemetryQueryService;
import dev.glust.domain.common.AttributeLimits;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Wires the hexagon: storage adapter → use cases → inbound adapters. */
@Factory
class GlustFactory {

  @Singleton
  @Bean(preDestroy = "close")
  DatabaseLauncher database(
      @Value("${glust.db.url:}") String url,
      @Value("${glust.db.user:}") String user,
      @Value("${glust.db.password:}") String password,
      @Value("${glust.db.pool-size:12}") int poolSize,
      @Value("${glust.db.connect-timeout:5s}") Duration connectTimeout,
      @Value("${glust.data-dir:./data}") String dataDir,
      @Value("${glust.embedded-db.port:0}") int embeddedPort) {
    return DatabaseLauncher.launch(
        new PostgresSettings(url, user, password, poolSize, connectTimeout),
        Path.of(dataDir),
        embeddedPort);
  }

  @Singleton
  @Bean(preDestroy = "close")
  PostgresStorage storage(DatabaseLauncher database) {
    return PostgresStorage.open(database.settings());
  }

  @Singleton
  @Bean(preDestroy = "close")
  IngestPipelines pipelines(
      PostgresStorage storage,
      @Value("${glust.pipeline.max-batch-records:10000}") int maxBatchRecords,
      @Value("${glust.pipeline.linger:10ms}") Duration linger,
      @Value("${glust.pipeline.max-queued-records:50000}") long maxQueuedRecords,
      @Value("${glust.pipeline.max-queued-bytes:0}") long maxQueuedBytes,
      @Value("${glust.pipeline.writers:0}") int writers,
      @Value("${glust.shutdown.grace:20s}") Duration grace) {
    return new IngestPipelines(
        storage,
        IngestPipelines.settings(
            maxBatchRecords, linger, maxQueuedRecords, maxQueuedBytes, writers),
        grace);
  }

  @Singleton
  IngestTelemetryService ingestTelemetry(
      IngestPipelines pipelines,
      @Value("${glust.limits.max-attributes:128}") int maxAttributes,
      @Value("${glust.limits.max-attribute-length:-1}") int maxAttributeLength) {
    return new IngestTelemetryService(
        pipelines.spans,
        pipelines.logs,
        new AttributeLimits(maxAttributes, maxAttributeLength),
        GlustFactory::nowUnixNano);
  }

  /** One read-side service answers every query port of the API adapter. */
  @Singleton
  TelemetryQueryService queries(PostgresStorage storage) {
    return new TelemetryQueryService(
        storage.traceLoader(), storage.traceSearch(), storage.logSearch(), storage.services());
  }

  /** Overviews for the web explorer: log volume histogram, activity per service. */
  @Singleton
  ActivityQueryService activity(PostgresStorage storage) {
    return new ActivityQueryService(storage.logVolume(), storage.serviceActivity());
  }

  @Singleton
  CheckHealthQuery health(PostgresStorage storage) {
    return new HealthService(storage.probe());
  }

  /** Eager: the receivers must listen as soon as the application has started. */
  @Context
  OtlpReceivers otlpReceivers(
      IngestTelemetryService ingest,
      @Value("${glust.otlp.host:0.0.0.0}") String host,
      @Value("${glust.otlp.grpc-port:4317}") int grpcPort,
      @Value("${glust.otlp.http-port:4318}") int httpPort,
      @Value("${glust.otlp.max-request-bytes:20971520}") int maxRequestBytes)
      throws IOException, InterruptedException {
    return OtlpReceivers.start(
        new OtlpReceiverSettings(host, grpcPort, httpPort, maxRequestBytes), ingest, ingest);
  }

  /** Closed first (created last): see {@link GracefulShutdown}. */
  @Context
  @Bean(preDestroy = "close")
  GracefulShutdown gracefulShutdown(OtlpReceivers receivers, IngestPipelines pipelines) {
    return new GracefulShutdown(receivers, pipelines);
  }

  private static long nowUnixNano() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
