package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The PostgreSQL to use. Typed configuration: the default of each component lives in {@link
 * Setting}, which application.yml maps; SettingCatalogTest holds the two together.
 */
@ConfigurationProperties("glust.db")
record DatabaseConfig(
    String url,
    String user,
    String password,
    String serviceUser,
    String servicePassword,
    int poolSize,
    int queryPoolSize,
    Duration connectTimeout) {}
