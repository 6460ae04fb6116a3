package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The rate limit per client. Typed configuration: the default of each component lives in {@link
 * Setting}, which application.yml maps; SettingCatalogTest holds the two together.
 */
@ConfigurationProperties("glust.security.rate-limit")
record RateLimitConfig(double perSecond, int burst, int maxClients) {}
