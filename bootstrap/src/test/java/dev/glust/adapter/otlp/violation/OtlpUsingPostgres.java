package dev.glust.adapter.otlp.violation;

import dev.glust.adapter.postgres.PostgresStorage;

/** Breaks a rule on purpose: an inbound adapter that talks to the storage adapter directly. */
public final class OtlpUsingPostgres {
  public PostgresStorage storage;
}
