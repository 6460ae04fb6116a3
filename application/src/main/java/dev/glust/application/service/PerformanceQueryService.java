package dev.glust.application.service;

import dev.glust.application.port.in.query.performance.CallStats;
import dev.glust.application.port.in.query.performance.DependencyGraph;
import dev.glust.application.port.in.query.performance.OperationPerformance;
import dev.glust.application.port.in.query.performance.OperationsPerformance;
import dev.glust.application.port.in.query.performance.PerformancePoint;
import dev.glust.application.port.in.query.performance.PerformanceSearch;
import dev.glust.application.port.in.query.performance.PerformanceStats;
import dev.glust.application.port.in.query.performance.ReadDependenciesQuery;
import dev.glust.application.port.in.query.performance.ReadServicePerformanceQuery;
import dev.glust.application.port.in.query.performance.ReadSpanMetricsQuery;
import dev.glust.application.port.in.query.performance.ServicePerformance;
import dev.glust.application.port.in.query.performance.ServicesPerformance;
import dev.glust.application.port.in.query.performance.SpanMetricSeries;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch;
import dev.glust.application.port.model.OperationRollupSearch;
import dev.glust.application.port.out.LoadDependencyRollupsPort;
import dev.glust.application.port.out.LoadOperationRollupsPort;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.performance.DependencyRollup;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.SpanDurations;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rate, errors and duration of services and operations, the dependency graph, and Jaeger's
 * sliding-window metrics, all from the per-minute span rollups: rollups of one minute and key are
 * added up here (storage may return several), durations merged as histograms, so quantiles lie
 * within 2.2 % of the exact value (docs/api.md, "Service performance").
 */
public final class PerformanceQueryService
    implements ReadServicePerformanceQuery, ReadDependenciesQuery, ReadSpanMetricsQuery {
  private static final double NANOS_PER_SECOND = 1e9;

  private final LoadOperationRollupsPort operations;
  private final LoadDependencyRollupsPort dependencies;
  private final QueryRangeLimit rangeLimit;

  /** With the default maximum query range (31 days). */
  public PerformanceQueryService(
      LoadOperationRollupsPort operations, LoadDependencyRollupsPort dependencies) {
    this(operations, dependencies, QueryRangeLimit.DEFAULT_MAX);
  }

  /**
   * @param maxRange the longest time range one query may cover
   */
  public PerformanceQueryService(
      LoadOperationRollupsPort operations,
      LoadDependencyRollupsPort dependencies,
      Duration maxRange) {
    this.rangeLimit = new QueryRangeLimit(maxRange);
    this.operations = Objects.requireNonNull(operations);
    this.dependencies = Objects.requireNonNull(dependencies);
  }

  @Override
  public ServicesPerformance readServicesPerformance(TenantId tenant, PerformanceSearch search) {
    List<OperationRollup> rollups = load(tenant, search, Set.of());
    Set<String> served = servedServices(rollups);
    Map<String, Steps> byService = new TreeMap<>();
    for (OperationRollup r : rollups) {
      if (countsForService(r, served)) {
        byService.computeIfAbsent(r.key().service(), s -> new Steps(search)).add(r);
      }
    }
    List<ServicePerformance> services = new ArrayList<>(byService.size());
    byService.forEach(
        (name, steps) -> services.add(new ServicePerformance(name, steps.stats(), steps.series())));
    return new ServicesPerformance(search.alignedStartUnixNano(), search.stepNanos(), services);
  }

  @Override
  public OperationsPerformance readOperationsPerformance(
      TenantId tenant, String service, PerformanceSearch search) {
    List<OperationRollup> rollups = load(tenant, search, Set.of(service));
    Set<String> served = servedServices(rollups);
    Steps ofService = new Steps(search);
    Map<Operation, Steps> byOperation = new HashMap<>();
    for (OperationRollup r : rollups) {
      if (!r.key().service().equals(service)) {
        continue;
      }
      if (countsForService(r, served)) {
        ofService.add(r);
      }
      byOperation
          .computeIfAbsent(
              new Operation(r.key().operation(), r.key().kind()), o -> new Steps(search))
          .add(r);
    }
    List<OperationPerformance> out = new ArrayList<>(byOperation.size());
    byOperation.forEach(
        (operation, steps) -> {
          PerformanceStats stats = steps.stats();
          double impact = stats.calls().ratePerSecond() * steps.total.meanMillis();
          out.add(
              new OperationPerformance(
                  operation.name(), operation.kind(), stats, impact, steps.series()));
        });
    out.sort(
        Comparator.comparingDouble(OperationPerformance::impact)
            .reversed()
            .thenComparing(OperationPerformance::name)
            .thenComparing(OperationPerformance::kind));
    return new OperationsPerformance(
        service,
        search.alignedStartUnixNano(),
        search.stepNanos(),
        ofService.stats(),
        ofService.series(),
        out);
  }

  private List<OperationRollup> load(
      TenantId tenant, PerformanceSearch search, Set<String> services) {
    rangeLimit.check(search.range());
    TimeRange minutes = new TimeRange(search.alignedStartUnixNano(), search.range().endUnixNano());
    return operations.loadOperationRollups(
        tenant, new OperationRollupSearch(minutes, services, Set.of()));
  }

  @Override
  public DependencyGraph readDependencies(TenantId tenant, TimeRange range) {
    rangeLimit.check(range);
    long start = OperationRollup.minuteOf(range.startUnixNano());
    TimeRange minutes = new TimeRange(start, range.endUnixNano());
    long nanos = Math.max(range.endUnixNano() - start, OperationRollup.MINUTE_NANOS);

    Map<String, Map<String, CallCount>> edges = new TreeMap<>();
    Map<String, CallCount> nodes = new TreeMap<>();
    for (DependencyRollup d : dependencies.loadDependencyRollups(tenant, minutes)) {
      edges
          .computeIfAbsent(d.parent(), p -> new TreeMap<>())
          .computeIfAbsent(d.child(), c -> new CallCount())
          .add(d.calls(), d.errors());
      nodes.computeIfAbsent(d.parent(), n -> new CallCount());
      nodes.computeIfAbsent(d.child(), n -> new CallCount());
    }
    List<OperationRollup> rollups =
        operations.loadOperationRollups(
            tenant, new OperationRollupSearch(minutes, Set.of(), Set.of()));
    Set<String> served = servedServices(rollups);
    for (OperationRollup r : rollups) {
      CallCount node = nodes.computeIfAbsent(r.key().service(), n -> new CallCount());
      if (countsForService(r, served)) {
        node.add(r.calls(), r.errors());
      }
    }
    List<DependencyGraph.Node> nodeList = new ArrayList<>(nodes.size());
    nodes.forEach((name, n) -> nodeList.add(new DependencyGraph.Node(name, n.over(nanos))));
    List<DependencyGraph.Edge> edgeList = new ArrayList<>();
    edges.forEach(
        (parent, children) ->
            children.forEach(
                (child, e) ->
                    edgeList.add(new DependencyGraph.Edge(parent, child, e.over(nanos)))));
    return new DependencyGraph(start, range.endUnixNano(), nodeList, edgeList);
  }

  @Override
  public List<SpanMetricSeries> readSpanMetrics(TenantId tenant, SpanMetricsSearch search) {
    TimeRange range = rangeLimit.check(search.loadRange());
    Map<SeriesKey, TreeMap<Long, RollupTally>> groups =
        new TreeMap<>(
            Comparator.comparing(SeriesKey::service)
                .thenComparing(
                    SeriesKey::operation,
                    Comparator.nullsFirst(Comparator.<String>naturalOrder())));
    for (OperationRollup r :
        operations.loadOperationRollups(
            tenant, new OperationRollupSearch(range, search.services(), search.kinds()))) {
      SeriesKey key =
          new SeriesKey(r.key().service(), search.groupByOperation() ? r.key().operation() : null);
      groups
          .computeIfAbsent(key, k -> new TreeMap<>())
          .computeIfAbsent(r.minuteUnixNano(), m -> new RollupTally())
          .add(r);
    }
    List<SpanMetricSeries> out = new ArrayList<>(groups.size());
    groups.forEach(
        (key, minutes) ->
            out.add(
                new SpanMetricSeries(
                    key.service(),
                    Optional.ofNullable(key.operation()),
                    slide(search, new ArrayList<>(minutes.entrySet())))));
    return out;
  }

  /**
   * The measure at each point, over the minutes starting in {@code [t − window, t)}: minutes enter
   * the window as the points advance and leave it behind them (both in time order).
   */
  private static List<SpanMetricSeries.Point> slide(
      SpanMetricsSearch search, List<Map.Entry<Long, RollupTally>> minutes) {
    SpanDurations.Counter durations = new SpanDurations.Counter();
    boolean latency = search.measure() == SpanMetricsSearch.Measure.LATENCY;
    double windowSeconds = search.windowNanos() / NANOS_PER_SECOND;
    long calls = 0;
    long errors = 0;
    int entered = 0;
    int left = 0;
    List<SpanMetricSeries.Point> points = new ArrayList<>(search.pointCount());
    for (int i = 0; i < search.pointCount(); i++) {
      long t = search.startUnixNano() + i * search.stepNanos();
      while (entered < minutes.size() && minutes.get(entered).getKey() < t) {
        RollupTally m = minutes.get(entered++).getValue();
        calls += m.calls();
        errors += m.errors();
        if (latency) {
          durations.add(m.durations());
        }
      }
      while (left < entered && minutes.get(left).getKey() < t - search.windowNanos()) {
        RollupTally m = minutes.get(left++).getValue();
        calls -= m.calls();
        errors -= m.errors();
        if (latency) {
          durations.remove(m.durations());
        }
      }
      double value =
          switch (search.measure()) {
            case CALL_RATE -> calls / windowSeconds;
            case ERROR_RATIO -> calls == 0 ? Double.NaN : errors / (double) calls;
            case LATENCY -> durations.quantileMillis(search.quantile());
          };
      points.add(new SpanMetricSeries.Point(t, value));
    }
    return points;
  }

  /** Services that served calls (spans of kind SERVER or CONSUMER) in these rollups. */
  private static Set<String> servedServices(List<OperationRollup> rollups) {
    Set<String> served = new HashSet<>();
    for (OperationRollup r : rollups) {
      if (isServing(r.key().kind()) && r.calls() > 0) {
        served.add(r.key().service());
      }
    }
    return served;
  }

  /**
   * A service's own figures count the calls it served, not its outgoing or internal spans; one that
   * served none (a batch job, a client) is measured by all its spans.
   */
  private static boolean countsForService(OperationRollup rollup, Set<String> served) {
    return isServing(rollup.key().kind()) || !served.contains(rollup.key().service());
  }

  private static boolean isServing(SpanKind kind) {
    return kind == SpanKind.SERVER || kind == SpanKind.CONSUMER;
  }

  /** Calls and errors added up (an edge's or a node's). */
  private static final class CallCount {
    private long calls;
    private long errors;

    void add(long moreCalls, long moreErrors) {
      calls += moreCalls;
      errors += moreErrors;
    }

    CallStats over(long nanos) {
      return CallStats.of(calls, errors, nanos);
    }
  }

  private record Operation(String name, SpanKind kind) {}

  /** A Jaeger series: a service, or a service and operation ({@code null} when not grouped). */
  private record SeriesKey(String service, String operation) {}

  /** Rollups of one service or operation, over the whole range and per step. */
  private static final class Steps {
    private final PerformanceSearch search;
    private final long start;
    private final RollupTally total = new RollupTally();
    private final RollupTally[] steps;

    Steps(PerformanceSearch search) {
      this.search = search;
      this.start = search.alignedStartUnixNano();
      this.steps = new RollupTally[search.stepCount()];
    }

    /** Adds a rollup of a minute in the steps (the whole range is the sum of its steps). */
    void add(OperationRollup rollup) {
      long offset = rollup.minuteUnixNano() - start;
      if (offset < 0 || offset / search.stepNanos() >= steps.length) {
        return;
      }
      int i = (int) (offset / search.stepNanos());
      if (steps[i] == null) {
        steps[i] = new RollupTally();
      }
      steps[i].add(rollup);
      total.add(rollup);
    }

    PerformanceStats stats() {
      return total.stats(search.coveredNanos());
    }

    List<PerformancePoint> series() {
      List<PerformancePoint> points = new ArrayList<>(steps.length);
      PerformanceStats empty = RollupTally.emptyStats(search.stepNanos());
      for (int i = 0; i < steps.length; i++) {
        points.add(
            new PerformancePoint(
                start + i * search.stepNanos(),
                steps[i] == null ? empty : steps[i].stats(search.stepNanos())));
      }
      return points;
    }
  }
}
