package dev.glust.application.port.in.query.metric;

import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Optional;

/** The series of one metric; empty when no metric of that name was ever stored. */
public interface ListMetricSeriesQuery {
  Optional<List<MetricSeries>> listMetricSeries(TenantId tenant, MetricSeriesSearch search);
}
