package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Table partitions and retention; a blank per-signal retention means the general one. Typed
 * configuration: the default of each component lives in {@link Setting}, which application.yml
 * maps; SettingCatalogTest holds the two together.
 */
@ConfigurationProperties("glust.partitions")
record PartitionConfig(
    Duration interval,
    int ahead,
    Duration retention,
    String spansRetention,
    String logsRetention,
    String metricsRetention,
    Duration maintenanceEvery,
    int maxNewPerBatch,
    Duration sealAfter) {}
