package dev.glust.application.port.in.query.performance;

import dev.glust.domain.tenant.TenantId;

/** Rate, errors and durations of services and their operations, from the span rollups. */
public interface ReadServicePerformanceQuery {
  ServicesPerformance readServicesPerformance(TenantId tenant, PerformanceSearch search);

  /** A service without spans in the range has no operations and no calls. */
  OperationsPerformance readOperationsPerformance(
      TenantId tenant, String service, PerformanceSearch search);
}
