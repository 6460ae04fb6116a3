package dev.glust.application.service;

import dev.glust.application.port.in.query.metric.ListMetricSeriesQuery;
import dev.glust.application.port.in.query.metric.ListMetricsQuery;
import dev.glust.application.port.in.query.metric.LoadMetricSamplesQuery;
import dev.glust.application.port.in.query.metric.MetricAggregation;
import dev.glust.application.port.in.query.metric.MetricAggregation.Function;
import dev.glust.application.port.in.query.metric.MetricQuery;
import dev.glust.application.port.in.query.metric.MetricQueryResult;
import dev.glust.application.port.in.query.metric.MetricSeriesSamples;
import dev.glust.application.port.in.query.metric.MetricSeriesSamples.NumberSample;
import dev.glust.application.port.in.query.metric.QueryMetricQuery;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.MetricExemplar;
import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.application.port.out.LoadMetricCatalogPort;
import dev.glust.application.port.out.LoadMetricPointsPort;
import dev.glust.application.port.out.LoadMetricPointsPort.NumberPoint;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.CumulativeIncrease;
import dev.glust.domain.metric.Histogram;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Metric queries: the catalog, series, and series aggregated into time buckets. Aggregation runs
 * here, over the raw points of the matching series (bounded by {@link #MAX_SERIES} and {@link
 * #MAX_POINTS}), because rate over resets and histogram quantiles need each series' points in
 * order; docs/metrics.md, "Cumulative-to-delta handling", describes the rules.
 */
public final class MetricQueryService
    implements ListMetricsQuery, ListMetricSeriesQuery, QueryMetricQuery, LoadMetricSamplesQuery {
  public static final int MAX_METRICS = 10_000;
  public static final int MAX_SERIES = 1_000;
  public static final int MAX_POINTS = 200_000;

  private final LoadMetricCatalogPort catalog;
  private final LoadMetricPointsPort points;
  private final int maxSeries;
  private final int maxPoints;
  private final QueryRangeLimit rangeLimit;

  /** With the default maximum query range (31 days). */
  public MetricQueryService(LoadMetricCatalogPort catalog, LoadMetricPointsPort points) {
    this(catalog, points, QueryRangeLimit.DEFAULT_MAX);
  }

  /**
   * @param maxRange the longest time range one metric query or listing may cover
   */
  public MetricQueryService(
      LoadMetricCatalogPort catalog, LoadMetricPointsPort points, Duration maxRange) {
    this(catalog, points, MAX_SERIES, MAX_POINTS, maxRange);
  }

  MetricQueryService(
      LoadMetricCatalogPort catalog, LoadMetricPointsPort points, int maxSeries, int maxPoints) {
    this(catalog, points, maxSeries, maxPoints, QueryRangeLimit.DEFAULT_MAX);
  }

  private MetricQueryService(
      LoadMetricCatalogPort catalog,
      LoadMetricPointsPort points,
      int maxSeries,
      int maxPoints,
      Duration maxRange) {
    this.rangeLimit = new QueryRangeLimit(maxRange);
    this.catalog = Objects.requireNonNull(catalog);
    this.points = Objects.requireNonNull(points);
    this.maxSeries = maxSeries;
    this.maxPoints = maxPoints;
  }

  @Override
  public List<MetricSummary> listMetrics(
      TenantId tenant, Optional<String> service, TimeRange range) {
    return catalog.loadMetrics(tenant, service, rangeLimit.check(range), MAX_METRICS);
  }

  @Override
  public Optional<List<MetricSeries>> listMetricSeries(TenantId tenant, MetricSeriesSearch search) {
    rangeLimit.check(search.range());
    List<MetricSeries> series = catalog.loadMetricSeries(tenant, search);
    // only an empty answer asks whether the metric exists at all (404) or has no series here
    if (series.isEmpty() && catalog.loadMetricKinds(tenant, search.metricName()).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(series);
  }

  @Override
  public List<MetricSeriesSamples> loadMetricSamples(TenantId tenant, MetricSeriesSearch search) {
    rangeLimit.check(search.range());
    List<MetricSeries> series =
        catalog.loadMetricSeries(
            tenant,
            new MetricSeriesSearch(
                search.metricName(),
                search.kind(),
                search.service(),
                search.labels(),
                search.range(),
                maxSeries + 1));
    if (series.size() > maxSeries) {
      throw new InvalidQueryException(
          "series", "more than " + maxSeries + " series of " + search.metricName() + " match");
    }
    Map<String, List<NumberSample>> numbers = new TreeMap<>();
    Map<String, List<MetricSeriesSamples.HistogramSample>> histograms = new TreeMap<>();
    Map<MetricKind, List<String>> idsByKind = new TreeMap<>();
    series.forEach(s -> idsByKind.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s.id()));
    TimeRange range = search.range();
    idsByKind.forEach(
        (kind, ids) -> {
          switch (kind) {
            case GAUGE, SUM ->
                bounded(points.loadNumberPoints(tenant, ids, range, maxPoints + 1))
                    .forEach(
                        p ->
                            listOf(numbers, p.seriesId())
                                .add(
                                    new NumberSample(
                                        p.timeUnixNano(),
                                        p.startTimeUnixNano(),
                                        p.value(),
                                        p.exemplars())));
            case HISTOGRAM ->
                bounded(points.loadHistogramPoints(tenant, ids, range, maxPoints + 1)).stream()
                    .map(HistogramSample::of)
                    .forEach(p -> listOf(histograms, p.seriesId()).add(p.sample()));
            case EXPONENTIAL_HISTOGRAM ->
                bounded(points.loadExponentialHistogramPoints(tenant, ids, range, maxPoints + 1))
                    .stream()
                    .map(HistogramSample::of)
                    .forEach(p -> listOf(histograms, p.seriesId()).add(p.sample()));
            case SUMMARY -> {
              // no query evaluates summaries yet: their series are listed without points
            }
          }
        });
    List<MetricSeriesSamples> out = new ArrayList<>();
    for (MetricSeries s : series) {
      List<NumberSample> n = new ArrayList<>(numbers.getOrDefault(s.id(), List.of()));
      n.sort(Comparator.comparingLong(NumberSample::timeUnixNano));
      List<MetricSeriesSamples.HistogramSample> h =
          new ArrayList<>(histograms.getOrDefault(s.id(), List.of()));
      h.sort(Comparator.comparingLong(MetricSeriesSamples.HistogramSample::timeUnixNano));
      out.add(new MetricSeriesSamples(s, n, h));
    }
    return out;
  }

  private static <T> List<T> listOf(Map<String, List<T>> bySeries, String seriesId) {
    return bySeries.computeIfAbsent(seriesId, k -> new ArrayList<>());
  }

  @Override
  public Optional<MetricQueryResult> queryMetric(TenantId tenant, MetricQuery query) {
    rangeLimit.check(query.range());
    List<MetricKind> kinds = catalog.loadMetricKinds(tenant, query.metricName());
    if (kinds.isEmpty()) {
      return Optional.empty();
    }
    MetricKind kind = chooseKind(kinds, query.aggregation());
    Bucketing grid = new Bucketing(query);
    List<MetricSeries> series =
        catalog.loadMetricSeries(
            tenant,
            new MetricSeriesSearch(
                query.metricName(),
                Optional.of(kind),
                query.service(),
                query.labels(),
                grid.loadRange(),
                maxSeries + 1));
    if (series.size() > maxSeries) {
      throw new InvalidQueryException(
          "series",
          "more than "
              + maxSeries
              + " series match; narrow them with service= or attr.<key>=<value>");
    }
    MetricAggregation aggregation =
        query.aggregation().orElseGet(() -> defaultAggregation(kind, series));
    checkApplies(aggregation, kind, query.metricName());

    Map<String, MetricSeries> byId = new TreeMap<>();
    TreeMap<String, MetricGroup> groups = new TreeMap<>();
    for (MetricSeries s : series) {
      byId.put(s.id(), s);
      groups.computeIfAbsent(groupKey(s, query.groupBy()), k -> new MetricGroup()).countSeries();
    }
    Aggregating run = new Aggregating(byId, groups, query.groupBy(), aggregation, grid);
    List<String> ids = List.copyOf(byId.keySet());
    if (!ids.isEmpty()) {
      switch (kind) {
        case GAUGE, SUM ->
            run.numbers(
                bounded(points.loadNumberPoints(tenant, ids, grid.loadRange(), maxPoints + 1)));
        case HISTOGRAM ->
            run.histograms(
                bounded(points.loadHistogramPoints(tenant, ids, grid.loadRange(), maxPoints + 1))
                    .stream()
                    .map(HistogramSample::of)
                    .toList());
        case EXPONENTIAL_HISTOGRAM ->
            run.histograms(
                bounded(
                        points.loadExponentialHistogramPoints(
                            tenant, ids, grid.loadRange(), maxPoints + 1))
                    .stream()
                    .map(HistogramSample::of)
                    .toList());
        case SUMMARY -> throw new IllegalStateException("refused by checkApplies");
      }
    }
    List<MetricQueryResult.Series> out = new ArrayList<>();
    groups.forEach(
        (key, group) ->
            out.add(
                group.toSeries(
                    query.groupBy().map(label -> Map.of(label, key)).orElse(Map.of()),
                    aggregation,
                    grid.alignedStart,
                    grid.step)));
    String unit = series.isEmpty() ? "" : series.get(0).unit();
    return Optional.of(
        new MetricQueryResult(
            query.metricName(),
            kind,
            unit,
            aggregation,
            grid.alignedStart,
            grid.step,
            grid.buckets,
            out));
  }

  private <T> List<T> bounded(List<T> loaded) {
    if (loaded.size() > maxPoints) {
      throw new InvalidQueryException(
          "start",
          "more than "
              + maxPoints
              + " data points in the range; query a shorter range or fewer series");
    }
    return loaded;
  }

  /** A name stored with several kinds: quantiles go to its histograms, the rest to the first. */
  private static MetricKind chooseKind(
      List<MetricKind> kinds, Optional<MetricAggregation> aggregation) {
    if (aggregation.isPresent() && aggregation.get().function() == Function.QUANTILE) {
      for (MetricKind k : kinds) {
        if (isHistogram(k)) {
          return k;
        }
      }
    }
    return kinds.get(0);
  }

  private static boolean isHistogram(MetricKind kind) {
    return kind == MetricKind.HISTOGRAM || kind == MetricKind.EXPONENTIAL_HISTOGRAM;
  }

  /** Gauges: avg; counters (monotonic sums): rate; other sums: avg; histograms: p95. */
  private static MetricAggregation defaultAggregation(MetricKind kind, List<MetricSeries> series) {
    if (isHistogram(kind)) {
      return new MetricAggregation(Function.QUANTILE, 0.95);
    }
    boolean counter = kind == MetricKind.SUM && series.stream().anyMatch(MetricSeries::monotonic);
    return MetricAggregation.of(counter ? Function.RATE : Function.AVG);
  }

  private static void checkApplies(MetricAggregation aggregation, MetricKind kind, String name) {
    Function f = aggregation.function();
    String problem = null;
    if (kind == MetricKind.SUMMARY) {
      problem = name + " is a summary: summaries are listed but cannot be aggregated yet";
    } else if (f == Function.QUANTILE && !isHistogram(kind)) {
      problem = "quantiles need a histogram; " + name + " is a " + kind.label();
    } else if (f == Function.RATE && kind == MetricKind.GAUGE) {
      problem = "rate needs a sum or a histogram; " + name + " is a gauge";
    } else if ((f == Function.MIN || f == Function.MAX) && isHistogram(kind)) {
      problem = "min and max are not computed for histograms; use a quantile such as p99";
    }
    if (problem != null) {
      throw new InvalidQueryException("agg", problem);
    }
  }

  private static String groupKey(MetricSeries series, Optional<String> groupBy) {
    return groupBy.map(series::labelText).orElse("");
  }

  /**
   * The bucket grid of a query, and the range its points are read from: one step before the first
   * bucket too, so that a cumulative series' first increase in the first bucket can be computed.
   */
  private static final class Bucketing {
    final long alignedStart;
    final long step;
    final int buckets;
    final TimeRange range;
    final long loadStart;

    Bucketing(MetricQuery query) {
      this.alignedStart = query.alignedStartUnixNano();
      this.step = query.stepNanos();
      this.buckets = query.bucketCount();
      this.range = query.range();
      long before = alignedStart - step;
      this.loadStart = before > alignedStart ? Long.MIN_VALUE : before; // no wrap-around
    }

    TimeRange loadRange() {
      return new TimeRange(loadStart, range.endUnixNano());
    }

    /** The bucket holding {@code time}, or -1 when none does. */
    int index(long time) {
      if (time < alignedStart) {
        return -1;
      }
      long i = (time - alignedStart) / step;
      return i < buckets ? (int) i : -1;
    }

    boolean inRange(long time) {
      return time >= range.startUnixNano() && time <= range.endUnixNano();
    }

    /** A cumulative run that began inside the read window counted everything since its start. */
    boolean startedInWindow(long startTimeUnixNano) {
      return startTimeUnixNano != 0 && startTimeUnixNano >= loadStart;
    }
  }

  /** A histogram point of either layout, with what the aggregation needs besides its value. */
  private record HistogramSample(
      String seriesId,
      long timeUnixNano,
      long startTimeUnixNano,
      Histogram value,
      List<MetricExemplar> exemplars) {
    static HistogramSample of(LoadMetricPointsPort.HistogramPoint p) {
      return new HistogramSample(
          p.seriesId(), p.timeUnixNano(), p.startTimeUnixNano(), p.value(), p.exemplars());
    }

    static HistogramSample of(LoadMetricPointsPort.ExponentialHistogramPoint p) {
      return new HistogramSample(
          p.seriesId(), p.timeUnixNano(), p.startTimeUnixNano(), p.value(), p.exemplars());
    }

    MetricSeriesSamples.HistogramSample sample() {
      return new MetricSeriesSamples.HistogramSample(
          timeUnixNano, startTimeUnixNano, value, exemplars);
    }

    /** What was counted since {@code earlier} of the same series; all of this on a reset. */
    HistogramSample since(HistogramSample earlier) {
      return new HistogramSample(
          seriesId,
          timeUnixNano,
          startTimeUnixNano,
          CumulativeIncrease.ofHistogram(
              earlier.value, earlier.startTimeUnixNano, value, startTimeUnixNano),
          exemplars);
    }
  }

  /** One query's pass over the points, series by series, into the groups' buckets. */
  private static final class Aggregating {
    private final Map<String, MetricSeries> series;
    private final Map<String, MetricGroup> groups;
    private final Optional<String> groupBy;
    private final MetricAggregation aggregation;
    private final Bucketing grid;

    Aggregating(
        Map<String, MetricSeries> series,
        Map<String, MetricGroup> groups,
        Optional<String> groupBy,
        MetricAggregation aggregation,
        Bucketing grid) {
      this.series = series;
      this.groups = groups;
      this.groupBy = groupBy;
      this.aggregation = aggregation;
      this.grid = grid;
    }

    private MetricGroup groupOf(MetricSeries s) {
      return groups.get(groupKey(s, groupBy));
    }

    void numbers(List<NumberPoint> all) {
      List<NumberPoint> sorted = new ArrayList<>(all);
      sorted.sort(
          Comparator.comparing(NumberPoint::seriesId).thenComparingLong(NumberPoint::timeUnixNano));
      int from = 0;
      while (from < sorted.size()) {
        int to = from;
        String id = sorted.get(from).seriesId();
        while (to < sorted.size() && sorted.get(to).seriesId().equals(id)) {
          to++;
        }
        MetricSeries s = series.get(id);
        if (s != null) {
          numberSeries(s, sorted.subList(from, to));
        }
        from = to;
      }
    }

    private void numberSeries(MetricSeries s, List<NumberPoint> run) {
      MetricGroup group = groupOf(s);
      boolean cumulative =
          s.kind() == MetricKind.SUM && s.temporality() != AggregationTemporality.DELTA;
      Function f = aggregation.function();
      NumberPoint previous = null;
      int lastBucket = -1;
      double lastValue = 0;
      for (NumberPoint p : run) {
        int bucket = grid.index(p.timeUnixNano());
        if (grid.inRange(p.timeUnixNano())) {
          group.addExemplars(p.exemplars());
        }
        if (f == Function.RATE && cumulative) {
          OptionalDouble increase = increase(previous, p, s.monotonic());
          if (increase.isPresent() && bucket >= 0) {
            group.addNumber(bucket, increase.getAsDouble());
          }
        } else if (f != Function.COUNT && f != Function.RATE && cumulative) {
          // a cumulative series reads as its latest total in each bucket
          if (bucket != lastBucket && lastBucket >= 0) {
            group.addNumber(lastBucket, lastValue);
          }
          lastBucket = bucket;
          lastValue = p.value();
        } else if (bucket >= 0) {
          group.addNumber(bucket, p.value());
        }
        previous = p;
      }
      if (lastBucket >= 0) {
        group.addNumber(lastBucket, lastValue);
      }
    }

    /**
     * How much a cumulative sum grew from {@code previous} to {@code current}, resets counted as
     * {@link CumulativeIncrease} says. The first point read counts only if its run started in the
     * read window.
     */
    private OptionalDouble increase(NumberPoint previous, NumberPoint current, boolean monotonic) {
      if (previous == null) {
        return grid.startedInWindow(current.startTimeUnixNano())
            ? OptionalDouble.of(current.value())
            : OptionalDouble.empty();
      }
      return OptionalDouble.of(
          CumulativeIncrease.ofSum(
              previous.value(),
              previous.startTimeUnixNano(),
              current.value(),
              current.startTimeUnixNano(),
              monotonic));
    }

    void histograms(List<HistogramSample> all) {
      List<HistogramSample> sorted = new ArrayList<>(all);
      sorted.sort(
          Comparator.comparing(HistogramSample::seriesId)
              .thenComparingLong(HistogramSample::timeUnixNano));
      HistogramSample previous = null;
      for (HistogramSample p : sorted) {
        if (previous != null && !previous.seriesId().equals(p.seriesId())) {
          previous = null;
        }
        MetricSeries s = series.get(p.seriesId());
        if (s == null) {
          continue;
        }
        MetricGroup group = groupOf(s);
        if (grid.inRange(p.timeUnixNano())) {
          group.addExemplars(p.exemplars());
        }
        HistogramSample counted;
        if (s.temporality() == AggregationTemporality.DELTA) {
          counted = p;
        } else if (previous == null) {
          counted = grid.startedInWindow(p.startTimeUnixNano()) ? p : null;
        } else {
          counted = p.since(previous);
        }
        int bucket = grid.index(p.timeUnixNano());
        if (counted != null && bucket >= 0) {
          group.addHistogram(bucket, counted.value());
        }
        previous = p;
      }
    }
  }
}
