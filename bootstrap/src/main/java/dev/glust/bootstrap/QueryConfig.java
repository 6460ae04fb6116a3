package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Limits of the read side. Typed configuration: the default of each component lives in {@link
 * Setting}, which application.yml maps; SettingCatalogTest holds the two together.
 */
@ConfigurationProperties("glust.query")
record QueryConfig(Duration timeout, Duration maxRange) {}
