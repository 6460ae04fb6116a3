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

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1000 * MS;

  /** Steps people read easily; buckets on multiples of them line up with clock minutes, hours. */
  private static final long[] ROUND_STEPS = {
    MS,
    2 * MS,
    5 * MS,
    10 * MS,
    20 * MS,
    50 * MS,
    100 * MS,
    200 * MS,
    500 * MS,
    SECOND,
    2 * SECOND,
    5 * SECOND,
    10 * SECOND,
    15 * SECOND,
    30 * SECOND,
    60 * SECOND,
    120 * SECOND,
    300 * SECOND,
    600 * SECOND,
    900 * SECOND,
    1800 * SECOND,
    3600 * SECOND,
    7200 * SECOND,
    3 * 3600 * SECOND,
    6 * 3600 * SECOND,
    12 * 3600 * SECOND,
    86_400 * SECOND
  };

  /**
   * A round step (1 s, 30 s, 5 min, 1 h, whole days…) giving about {@code buckets} buckets over the
   * range; a range a little longer than a round length (a client's clock) keeps the round step.
   */
  public static long defaultStep(TimeRange range, int buckets) {
    double wanted = 0.9 * (range.endUnixNano() - (double) range.startUnixNano()) / buckets;
    for (long step : ROUND_STEPS) {
      if (step >= wanted) {
        return step;
      }
    }
    long day = ROUND_STEPS[ROUND_STEPS.length - 1];
    return (long) Math.ceil(wanted / day) * day;
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
