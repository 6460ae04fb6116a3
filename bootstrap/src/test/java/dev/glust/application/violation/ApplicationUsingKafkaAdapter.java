package dev.glust.application.violation;

import dev.glust.adapter.kafka.KafkaSettings;

/** Breaks a rule on purpose: the application choosing the Kafka adapter instead of a port. */
public final class ApplicationUsingKafkaAdapter {
  public KafkaSettings settings;
}
