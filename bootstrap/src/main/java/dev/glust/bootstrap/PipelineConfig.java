package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The ingest pipelines' batches, queues and writers. Typed configuration: the default of each
 * component lives in {@link Setting}, which application.yml maps; SettingCatalogTest holds the two
 * together.
 */
@ConfigurationProperties("glust.pipeline")
record PipelineConfig(
    int maxBatchRecords,
    Duration linger,
    long maxQueuedRecords,
    long maxQueuedBytes,
    int writers) {}
