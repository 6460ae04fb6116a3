package dev.glust.application.tenant;

import java.util.Objects;

/**
 * What one tenant may do: its ingest rate, the most metric series it may keep active (0: no limit),
 * and how long its records are kept.
 */
public record TenantLimits(IngestRate ingest, long maxActiveSeries, Retention retention) {
  public static final TenantLimits UNLIMITED =
      new TenantLimits(IngestRate.UNLIMITED, 0, Retention.GLOBAL);

  public TenantLimits {
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(retention, "retention");
    if (maxActiveSeries < 0) {
      throw new IllegalArgumentException(
          "max_active_series must be 0 (no limit) or positive, not " + maxActiveSeries);
    }
  }
}
