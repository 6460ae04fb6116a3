package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The API keys; blank: no key needed. Typed configuration: the default of each component lives in
 * {@link Setting}, which application.yml maps; SettingCatalogTest holds the two together.
 */
@ConfigurationProperties("glust.security")
record ApiKeysConfig(String apiKeys, String apiKeysFile) {}
