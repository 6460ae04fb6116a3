package dev.glust.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * What one ingested record may hold and how old or new it may be. Typed configuration: the default
 * of each component lives in {@link Setting}, which application.yml maps; SettingCatalogTest holds
 * the two together.
 */
@ConfigurationProperties("glust.limits")
record IngestLimitsConfig(
    int maxAttributes,
    int maxAttributeLength,
    int maxAttributeKeyLength,
    int maxValueDepth,
    int maxLogBodyLength,
    Duration maxClockSkew,
    Duration maxRecordAge) {}
