package dev.glust.bootstrap;

import dev.glust.adapter.kafka.KafkaSettings;
import dev.glust.adapter.kafka.KafkaTransport;
import dev.glust.adapter.kafka.KafkaWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

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
  KafkaTransport kafka(
      KafkaMetrics metrics,
      @Value("${glust.kafka.bootstrap:}") String bootstrap,
      @Value("${glust.kafka.topic-prefix:glust.}") String topicPrefix,
      @Value("${glust.kafka.partitions:12}") int partitions,
      @Value("${glust.kafka.replication-factor:1}") short replicationFactor,
      @Value("${glust.kafka.min-insync-replicas:0}") int minInSyncReplicas,
      @Value("${glust.kafka.group:glust-writers}") String group,
      @Value("${glust.kafka.consumers:1}") int consumers,
      @Value("${glust.kafka.publish-timeout:5s}") Duration publishTimeout) {
    return KafkaTransport.connect(
        new KafkaSettings(
            bootstrap,
            topicPrefix,
            partitions,
            replicationFactor,
            minInSyncReplicas,
            group,
            consumers,
            publishTimeout),
        metrics);
  }

  /** Writer mode: consume the topics into the storage pipelines from the start. */
  @Context
  @Requires(property = GlustMode.PROPERTY, value = "writer")
  @Bean(preDestroy = "close")
  KafkaWriter kafkaWriter(KafkaTransport kafka, IngestPipelines pipelines) {
    return kafka.startWriter(pipelines.spans, pipelines.logs, pipelines.metrics);
  }
}
