package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * TLS of the OTLP receivers; both blank: plain text. Typed configuration: the default of each
 * component lives in {@link Setting}, which application.yml maps; SettingCatalogTest holds the two
 * together.
 */
@ConfigurationProperties("glust.tls")
record TlsConfig(String certFile, String keyFile) {}
