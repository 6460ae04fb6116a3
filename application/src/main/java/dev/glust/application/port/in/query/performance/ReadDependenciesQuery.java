package dev.glust.application.port.in.query.performance;

import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;

/** The service dependency graph of a time range, from the dependency rollups. */
public interface ReadDependenciesQuery {
  DependencyGraph readDependencies(TenantId tenant, TimeRange range);
}
