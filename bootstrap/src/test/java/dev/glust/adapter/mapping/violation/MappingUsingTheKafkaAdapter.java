package dev.glust.adapter.mapping.violation;

import dev.glust.adapter.kafka.KafkaSettings;

/** Breaks a rule on purpose: the shared mapping reaching into one of the adapters it serves. */
public final class MappingUsingTheKafkaAdapter {
  public KafkaSettings settings;
}
