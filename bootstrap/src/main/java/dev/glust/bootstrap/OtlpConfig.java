package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The OTLP receivers: where they listen, how much one request may carry. Typed configuration: the
 * default of each component lives in {@link Setting}, which application.yml maps;
 * SettingCatalogTest holds the two together.
 */
@ConfigurationProperties("glust.otlp")
record OtlpConfig(
    String host,
    int grpcPort,
    int httpPort,
    int maxRequestBytes,
    int maxRecordsPerRequest,
    Duration maxQueueWait,
    int maxDecodeQueue) {}
