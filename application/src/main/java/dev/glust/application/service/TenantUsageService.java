package dev.glust.application.service;

import dev.glust.application.port.in.query.tenant.ReadTenantUsageQuery;
import dev.glust.application.port.model.TenantUsage;
import dev.glust.application.port.out.LoadTenantUsagePort;
import dev.glust.domain.common.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/** Tenants' usage by UTC day, within the maximum query range as every other query. */
public final class TenantUsageService implements ReadTenantUsageQuery {
  private final LoadTenantUsagePort usage;
  private final QueryRangeLimit rangeLimit;

  /**
   * @param maxRange the longest time range one usage read may cover
   */
  public TenantUsageService(LoadTenantUsagePort usage, Duration maxRange) {
    this.usage = Objects.requireNonNull(usage);
    this.rangeLimit = new QueryRangeLimit(maxRange);
  }

  /** The days from the one holding {@code start} to the one holding the range's last instant. */
  @Override
  public List<TenantUsage> readTenantUsage(TimeRange range) {
    rangeLimit.check(range);
    long lastInstant = Math.max(range.startUnixNano(), range.endUnixNano() - 1);
    return usage.loadTenantUsage(day(range.startUnixNano()), day(lastInstant));
  }

  private static LocalDate day(long unixNano) {
    return LocalDate.ofInstant(
        Instant.ofEpochSecond(Math.floorDiv(unixNano, 1_000_000_000L)), ZoneOffset.UTC);
  }
}
