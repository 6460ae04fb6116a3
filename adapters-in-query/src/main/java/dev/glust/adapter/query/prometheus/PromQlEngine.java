package dev.glust.adapter.query.prometheus;

import dev.glust.application.port.in.query.metric.ListMetricSeriesQuery;
import dev.glust.application.port.in.query.metric.ListMetricsQuery;
import dev.glust.application.port.in.query.metric.LoadMetricSamplesQuery;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/**
 * PromQL range queries over the metric use cases without HTTP, for callers such as the query
 * benchmark: the parser, evaluator and name translation the Prometheus API runs.
 */
public final class PromQlEngine {
  private final ListMetricsQuery catalog;
  private final ListMetricSeriesQuery series;
  private final LoadMetricSamplesQuery samples;

  public PromQlEngine(
      ListMetricsQuery catalog, ListMetricSeriesQuery series, LoadMetricSamplesQuery samples) {
    this.catalog = catalog;
    this.series = series;
    this.samples = samples;
  }

  /**
   * Runs a range query and answers how many samples its result holds (every series' values).
   *
   * @throws IllegalArgumentException a query the API would refuse with 400, with its message
   */
  public int rangeQuery(
      TenantId tenant, String query, long startUnixNano, long endUnixNano, long stepNanos) {
    try {
      List<PromSeries> result =
          new PromQueries(new StoredSeries(tenant, catalog, series, samples))
              .range(query, startUnixNano, endUnixNano, stepNanos);
      return result.stream().mapToInt(PromSeries::size).sum();
    } catch (PromQueryException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
