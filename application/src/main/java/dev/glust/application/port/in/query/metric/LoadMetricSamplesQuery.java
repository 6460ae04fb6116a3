package dev.glust.application.port.in.query.metric;

import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/**
 * The raw points of a metric's series, for query languages that evaluate them their own way
 * (PromQL's lookback, extrapolated rates). Refused with an {@link
 * dev.glust.application.port.model.InvalidQueryException} beyond the series and point limits the
 * other metric queries have.
 */
public interface LoadMetricSamplesQuery {
  /**
   * The series matching {@code search} (its limit is the service's own), each with its points in
   * {@code search.range()} in time order; summaries come without points. Empty for an unknown name.
   */
  List<MetricSeriesSamples> loadMetricSamples(TenantId tenant, MetricSeriesSearch search);
}
