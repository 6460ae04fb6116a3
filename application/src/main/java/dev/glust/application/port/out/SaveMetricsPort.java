package dev.glust.application.port.out;

import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/**
 * Durably stores metric data points, and the series they belong to: all of the list in one
 * transaction, or none of it.
 */
public interface SaveMetricsPort {
  /**
   * @throws StorageUnavailableException when storage is down or busy (nothing was stored)
   * @throws StorageRejectedException when storage refuses the data itself (nothing was stored)
   */
  void saveMetrics(TenantId tenant, List<MetricPoint> points);
}
