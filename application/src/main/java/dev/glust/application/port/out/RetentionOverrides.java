package dev.glust.application.port.out;

import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.Map;

/**
 * Per signal, the tenants whose records are kept for a time of their own instead of the global
 * retention (GLUST_RETENTION, GLUST_SPANS_RETENTION, …). Tenants not named keep the global one.
 */
public record RetentionOverrides(
    Map<TenantId, Duration> traces, Map<TenantId, Duration> logs, Map<TenantId, Duration> metrics) {
  public static final RetentionOverrides NONE =
      new RetentionOverrides(Map.of(), Map.of(), Map.of());

  public RetentionOverrides {
    traces = positive(traces);
    logs = positive(logs);
    metrics = positive(metrics);
  }

  private static Map<TenantId, Duration> positive(Map<TenantId, Duration> retentions) {
    retentions.values().stream()
        .filter(kept -> kept.isZero() || kept.isNegative())
        .findAny()
        .ifPresent(
            kept -> {
              throw new IllegalArgumentException("a retention must be positive, not " + kept);
            });
    return Map.copyOf(retentions);
  }

  /**
   * How long a signal's partitions must be kept: the longest of the global retention and the
   * overrides; zero (the global setting's "forever") wins over every override.
   */
  public static Duration longest(Duration global, Map<TenantId, Duration> overrides) {
    if (global.isZero()) {
      return Duration.ZERO;
    }
    return overrides.values().stream().reduce(global, (a, b) -> a.compareTo(b) >= 0 ? a : b);
  }
}
