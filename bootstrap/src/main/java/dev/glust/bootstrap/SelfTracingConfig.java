package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Glust's own traces; a blank endpoint: off. Typed configuration: the default of each component
 * lives in {@link Setting}, which application.yml maps; SettingCatalogTest holds the two together.
 */
@ConfigurationProperties("glust.self-tracing")
record SelfTracingConfig(
    String endpoint,
    String serviceName,
    String headers,
    double sampleRatio,
    Duration exportDelay) {}
