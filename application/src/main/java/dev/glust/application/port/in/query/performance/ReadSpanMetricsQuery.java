package dev.glust.application.port.in.query.performance;

import dev.glust.domain.tenant.TenantId;
import java.util.List;

/**
 * Call rates, error ratios or latency quantiles over sliding windows, for Jaeger's metrics API: one
 * series per service (or service and operation) with spans in the range, by name.
 */
public interface ReadSpanMetricsQuery {
  List<SpanMetricSeries> readSpanMetrics(TenantId tenant, SpanMetricsSearch search);
}
