package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The Kafka of the receiver and writer modes. Typed configuration: the default of each component
 * lives in {@link Setting}, which application.yml maps; SettingCatalogTest holds the two together.
 */
@ConfigurationProperties("glust.kafka")
record KafkaConfig(
    String bootstrap,
    String topicPrefix,
    int partitions,
    short replicationFactor,
    int minInsyncReplicas,
    String group,
    int consumers,
    Duration publishTimeout) {}
