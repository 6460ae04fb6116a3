package dev.glust.adapter.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the broker is and how Glust uses it.
 *
 * @param bootstrap the brokers, {@code host:port[,host:port…]}
 * @param topicPrefix topics are this plus {@code spans}, {@code logs}, {@code dlq}
 * @param partitions partitions of a topic Glust creates (the most writers that can share a signal)
 * @param replicationFactor replicas of a topic Glust creates
 * @param minInSyncReplicas the topic's {@code min.insync.replicas}: how many replicas must hold a
 *     record before the broker acknowledges it (acks=all); 0 chooses 2, or the replication factor
 *     when it is 1
 * @param group the writers' consumer group
 * @param consumers consumers (threads) per writer process
 * @param publishTimeout how long a receiver waits for the broker before answering "retry later"
 */
public record KafkaSettings(
    String bootstrap,
    String topicPrefix,
    int partitions,
    short replicationFactor,
    int minInSyncReplicas,
    String group,
    int consumers,
    Duration publishTimeout) {

  public KafkaSettings {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException(
          "GLUST_KAFKA_BOOTSTRAP must name the brokers in receiver and writer modes");
    }
    Objects.requireNonNull(topicPrefix);
    Objects.requireNonNull(group);
    if (partitions < 1 || replicationFactor < 1 || consumers < 1) {
      throw new IllegalArgumentException(
          "Kafka partitions, replication factor and consumers must be at least 1");
    }
    if (minInSyncReplicas == 0) {
      minInSyncReplicas = Math.min(2, replicationFactor);
    }
    if (minInSyncReplicas < 1 || minInSyncReplicas > replicationFactor) {
      throw new IllegalArgumentException(
          "GLUST_KAFKA_MIN_INSYNC_REPLICAS is "
              + minInSyncReplicas
              + " but must be between 1 and GLUST_KAFKA_REPLICATION_FACTOR ("
              + replicationFactor
              + "): the broker would refuse every acknowledged write with fewer replicas than"
              + " that");
    }
    if (publishTimeout.toMillis() < 1000) {
      throw new IllegalArgumentException("the Kafka publish timeout must be at least 1s");
    }
  }

  String topic(String signal) {
    return topicPrefix + signal;
  }

  String deadLetterTopic() {
    return topic("dlq");
  }
}
