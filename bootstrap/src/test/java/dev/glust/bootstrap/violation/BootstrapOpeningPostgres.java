package dev.glust.bootstrap.violation;

import dev.glust.adapter.postgres.PostgresStorage;

/**
 * Breaks a rule on purpose: bootstrap opening the PostgreSQL adapter itself, past GLUST_STORAGE.
 */
public final class BootstrapOpeningPostgres {
  public PostgresStorage storage;
}
