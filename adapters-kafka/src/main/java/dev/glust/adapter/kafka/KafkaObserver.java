package dev.glust.adapter.kafka;

/** Told what the Kafka adapter does, for metrics; the adapter itself knows no metrics library. */
public interface KafkaObserver {
  KafkaObserver NONE = new KafkaObserver() {};

  /** A receiver publishes this signal; told once, before any batch (series can start at 0). */
  default void publishing(String signal) {}

  /** A writer consumes this topic; told once, before any record (series can start at 0). */
  default void consuming(String topic) {}

  /** A receiver's batch published (every record acknowledged by the broker) or failed. */
  default void published(String signal, int records, long nanos, boolean ok) {}

  /** A record moved to the dead-letter topic instead of being stored. */
  default void deadLettered(String sourceTopic, String reason) {}

  /** Records of a partition this writer owns not consumed yet; 0 once the partition moved away. */
  default void lag(String topic, int partition, long records) {}
}
