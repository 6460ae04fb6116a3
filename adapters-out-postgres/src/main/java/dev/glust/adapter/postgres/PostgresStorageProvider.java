package dev.glust.adapter.postgres;

import dev.glust.application.port.out.StorageEnvironment;
import dev.glust.application.port.out.StorageProvider;
import java.time.Duration;

/**
 * GLUST_STORAGE=postgres: reads the {@code glust.db.*}, {@code glust.partitions.*}, query and span
 * rollup settings and opens {@link PostgresStorage}. Registered in META-INF/services.
 */
public final class PostgresStorageProvider implements StorageProvider {
  public static final String NAME = "postgres";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PostgresStorage open(StorageEnvironment environment) {
    return PostgresStorage.open(
        settings(environment),
        partitionSettings(environment),
        SpanRollups.parse(environment.setting("glust.span-rollups", String.class)),
        environment.clock());
  }

  static PostgresSettings settings(StorageEnvironment environment) {
    return new PostgresSettings(
        environment.setting("glust.db.url", String.class),
        environment.setting("glust.db.user", String.class),
        environment.setting("glust.db.password", String.class),
        environment.setting("glust.db.pool-size", Integer.class),
        environment.setting("glust.db.query-pool-size", Integer.class),
        environment.setting("glust.db.connect-timeout", Duration.class),
        environment.setting("glust.query.timeout", Duration.class),
        environment.setting("glust.db.service-user", String.class),
        environment.setting("glust.db.service-password", String.class));
  }

  static PartitionSettings partitionSettings(StorageEnvironment environment) {
    Duration retention = environment.setting("glust.partitions.retention", Duration.class);
    return new PartitionSettings(
        environment.setting("glust.partitions.interval", Duration.class),
        environment.setting("glust.partitions.ahead", Integer.class),
        durationOr(environment, "glust.partitions.spans-retention", retention),
        durationOr(environment, "glust.partitions.logs-retention", retention),
        durationOr(environment, "glust.partitions.metrics-retention", retention),
        environment.setting("glust.partitions.maintenance-every", Duration.class),
        environment.setting("glust.partitions.max-new-per-batch", Integer.class),
        environment.setting("glust.limits.max-clock-skew", Duration.class),
        environment.setting("glust.partitions.seal-after", Duration.class));
  }

  /** An optional duration setting: blank means the general one. */
  private static Duration durationOr(StorageEnvironment environment, String key, Duration general) {
    return environment.setting(key, String.class).isBlank()
        ? general
        : environment.setting(key, Duration.class);
  }
}
