package dev.glust.bootstrap;

import dev.glust.adapter.kafka.KafkaSettings;
import dev.glust.adapter.kafka.KafkaTransport;
import dev.glust.adapter.kafka.KafkaWriter;
import dev.glust.application.service.IngestTelemetryService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The Kafka side of the receiver and writer modes. The transport is made only when a mode asks for
 * it (see {@link GlustFactory}); the writer's consumers start with the application in writer mode.
 */
@Factory
class KafkaWiring {

  @Singleton
  KafkaMetrics kafkaMetrics(MeterRegistry registry) {
    return new KafkaMetrics(registry);
  }

  @Singleton
  @Bean(preDestroy = "close")
  KafkaTransport kafka(KafkaMetrics metrics, KafkaConfig kafka) {
    return KafkaTransport.connect(
        new KafkaSettings(
            kafka.bootstrap(),
            kafka.topicPrefix(),
            kafka.partitions(),
            kafka.replicationFactor(),
            kafka.minInsyncReplicas(),
            kafka.group(),
            kafka.consumers(),
            kafka.publishTimeout()),
        metrics);
  }

  /**
   * Writer mode: consume the topics from the start through the ingest use cases, so that a record a
   * Collector wrote meets the rules an OTLP request meets (the ingest service stands in front of
   * the storage pipelines, which are therefore closed after the writer).
   */
  @Context
  @Requires(property = GlustMode.PROPERTY, value = "writer")
  @Bean(preDestroy = "close")
  KafkaWriter kafkaWriter(KafkaTransport kafka, IngestTelemetryService ingest) {
    return kafka.startWriter(ingest, ingest, ingest);
  }
}
