package dev.glust.application.port.model;

import dev.glust.domain.tenant.TenantId;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What one tenant stored of one signal on one UTC day (the day the records were stored, not their
 * own time).
 *
 * @param records records stored (exact: a rolled-back batch and re-sent duplicates count nothing)
 * @param writtenBytes bytes the writer sent to storage for them (exact where storage can tell; see
 *     docs/tenants.md#usage)
 * @param storedBytesEstimate the tenant's share of what the signal's storage for that day takes on
 *     disk, apportioned by written bytes (an estimate)
 */
public record TenantUsage(
    TenantId tenant,
    UsageSignal signal,
    LocalDate day,
    long records,
    long writtenBytes,
    long storedBytesEstimate) {
  public TenantUsage {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(day, "day");
    if (records < 0 || writtenBytes < 0 || storedBytesEstimate < 0) {
      throw new IllegalArgumentException("usage counts are not negative");
    }
  }
}
