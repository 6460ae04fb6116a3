package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The tenants file and how often it is checked. Typed configuration: the default of each component
 * lives in {@link Setting}, which application.yml maps; SettingCatalogTest holds the two together.
 */
@ConfigurationProperties("glust.tenants")
record TenantsConfig(String file, Duration checkEvery) {}
