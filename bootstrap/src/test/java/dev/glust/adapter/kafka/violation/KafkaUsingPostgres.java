package dev.glust.adapter.kafka.violation;

import dev.glust.adapter.postgres.PostgresStorage;

/** Breaks a rule on purpose: the Kafka writer calling the PostgreSQL adapter, not the ports. */
public final class KafkaUsingPostgres {
  public PostgresStorage storage;
}
