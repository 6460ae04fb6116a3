package dev.glust.application.port.out;

import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Optional;

/** The stored metrics and their series (not their points). */
public interface LoadMetricCatalogPort {
  /** Metrics with a series seen in the range, by name then kind; at most {@code limit}. */
  List<MetricSummary> loadMetrics(
      TenantId tenant, Optional<String> service, TimeRange range, int limit);

  /** The kinds stored under this name at any time, by code; empty for an unknown name. */
  List<MetricKind> loadMetricKinds(TenantId tenant, String metricName);

  /** The matching series, ordered by id; at most {@code search.limit()}. */
  List<MetricSeries> loadMetricSeries(TenantId tenant, MetricSeriesSearch search);
}
