package dev.glust.application.port.in.query.metric;

import dev.glust.domain.tenant.TenantId;
import java.util.Optional;

/** A metric aggregated over time; empty when no metric of that name was ever stored. */
public interface QueryMetricQuery {
  Optional<MetricQueryResult> queryMetric(TenantId tenant, MetricQuery query);
}
