package dev.glust.application.port.in.query.metric;

import dev.glust.application.port.model.MetricSummary;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Optional;

/** The metrics that had series in a time range (from one service, when given), by name. */
public interface ListMetricsQuery {
  List<MetricSummary> listMetrics(TenantId tenant, Optional<String> service, TimeRange range);
}
