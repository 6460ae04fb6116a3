package dev.glust.application.port.in.query.metric;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.domain.common.TimeRange;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A metric over time: the series of {@code metricName} matching {@code service} and {@code labels}
 * (as in {@link MetricSeriesSearch}), aggregated into buckets of {@code stepNanos} covering {@code
 * range}, one output series per value of label {@code groupBy} (one in all without it). Without an
 * aggregation, the metric's kind chooses one (see docs/api.md, "Metrics queries").
 *
 * <p>Buckets are aligned on multiples of the step since the unix epoch, so the same step always
 * gives the same boundaries: bucket {@code i} covers {@code [alignedStart + i·step, alignedStart +
 * (i+1)·step)}; the first one holds {@code range.start}, the last one {@code range.end}.
 */
public record MetricQuery(
    String metricName,
    Optional<String> service,
    Map<String, String> labels,
    TimeRange range,
    long stepNanos,
    Optional<MetricAggregation> aggregation,
    Optional<String> groupBy) {
  /** As many buckets as Prometheus allows in one range query. */
  public static final int MAX_BUCKETS = 11_000;

  public MetricQuery {
    Objects.requireNonNull(metricName, "metricName");
    if (metricName.isBlank()) {
      throw new InvalidQueryException("name", "a metric name is required");
    }
    Objects.requireNonNull(service, "service");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(groupBy, "groupBy");
    if (stepNanos <= 0) {
      throw new InvalidQueryException("step", "must be greater than 0");
    }
    long buckets = bucketCount(range, stepNanos);
    if (buckets > MAX_BUCKETS) {
      throw new InvalidQueryException(
          "step",
          "start to end by this step is "
              + buckets
              + " buckets, more than "
              + MAX_BUCKETS
              + "; use a larger step or a shorter range");
    }
  }

  public long alignedStartUnixNano() {
    return alignedStart(range, stepNanos);
  }

  public int bucketCount() {
    return (int) bucketCount(range, stepNanos);
  }

  private static long alignedStart(TimeRange range, long step) {
    return Math.floorDiv(range.startUnixNano(), step) * step;
  }

  private static long bucketCount(TimeRange range, long step) {
    // end - alignedStart can exceed a long only for ranges across most of int64: clamp, too many
    long span = range.endUnixNano() - alignedStart(range, step);
    return span < 0 ? Long.MAX_VALUE : span / step + 1;
  }
}
