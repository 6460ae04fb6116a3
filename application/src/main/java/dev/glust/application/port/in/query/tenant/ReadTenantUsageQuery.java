package dev.glust.application.port.in.query.tenant;

import dev.glust.application.port.model.TenantUsage;
import dev.glust.domain.common.TimeRange;
import java.util.List;

/**
 * Every tenant's usage on the UTC days a time range touches, sorted by day, tenant and signal. For
 * the admin scope: it reads across tenants.
 */
public interface ReadTenantUsageQuery {
  List<TenantUsage> readTenantUsage(TimeRange range);
}
