package dev.glust.adapter.query.loki;

import dev.glust.adapter.query.loki.LogQl.Expr;
import dev.glust.adapter.query.loki.LogQl.LogExpr;
import dev.glust.adapter.query.loki.LogQl.MatchOp;
import dev.glust.adapter.query.loki.LogQl.Matcher;
import dev.glust.adapter.query.loki.LogQl.MetricExpr;
import dev.glust.application.port.in.query.log.LogVolume;
import dev.glust.application.port.in.query.log.ReadLogVolumeQuery;
import dev.glust.application.port.in.query.log.SearchLogsQuery;
import dev.glust.application.port.in.query.service.ListServicesQuery;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.LogVolumeSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/** Runs LogQL queries and the label, series and stats look-ups over the log search. */
@Singleton
class LokiQueries {
  /** The most log records one query reads; beyond, it answers for these with a warning. */
  static final int MAX_SCANNED_RECORDS = 200_000;

  /** Label names, values and series come from the newest this many records of the range. */
  static final int LABEL_SAMPLE_RECORDS = 5_000;

  /** Matches every record: each has a service name ({@code unknown_service} at least). */
  static final LogExpr EVERYTHING =
      new LogExpr(List.of(Matcher.of(LokiEntries.SERVICE_NAME, MatchOp.REGEX, ".+")), List.of());

  private final SearchLogsQuery logs;
  private final ReadLogVolumeQuery volumes;
  private final ListServicesQuery services;
  private final JsonMapper json;
  private final int labelSampleRecords;

  @Inject
  LokiQueries(
      SearchLogsQuery logs,
      ReadLogVolumeQuery volumes,
      ListServicesQuery services,
      JsonMapper json) {
    this(logs, volumes, services, json, LABEL_SAMPLE_RECORDS);
  }

  /** With another label sample size (tests). */
  LokiQueries(
      SearchLogsQuery logs,
      ReadLogVolumeQuery volumes,
      ListServicesQuery services,
      JsonMapper json,
      int labelSampleRecords) {
    this.logs = logs;
    this.volumes = volumes;
    this.services = services;
    this.json = json;
    this.labelSampleRecords = labelSampleRecords;
  }

  /** Where a log query's lines come from and how many it returns. */
  record LogRequest(TimeRange range, int limit, boolean forward, boolean categorize) {}

  /** {@code query_range}: streams for a log query, a matrix for a metric query. */
  Map<String, Object> queryRange(
      TenantId tenant, Expr expr, LogRequest request, long step, QueryStats stats) {
    if (expr instanceof LogExpr log) {
      return LokiJson.streams(entries(tenant, log, request, stats), request.categorize(), stats);
    }
    MetricEvaluator grid =
        new MetricEvaluator(
            scan(MAX_SCANNED_RECORDS),
            volumes,
            tenant,
            request.range().startUnixNano(),
            request.range().endUnixNano(),
            step,
            stats);
    return LokiJson.matrix(grid.evaluate((MetricExpr) expr), grid, stats);
  }

  /** {@code query}: streams before {@code time} for a log query, a vector at it otherwise. */
  Map<String, Object> queryInstant(
      TenantId tenant, Expr expr, LogRequest request, QueryStats stats) {
    if (expr instanceof LogExpr log) {
      return LokiJson.streams(entries(tenant, log, request, stats), request.categorize(), stats);
    }
    long time = request.range().endUnixNano();
    MetricEvaluator grid =
        new MetricEvaluator(scan(MAX_SCANNED_RECORDS), volumes, tenant, time, time, 1, stats);
    return LokiJson.instant(grid.evaluate((MetricExpr) expr), grid, stats);
  }

  /** The newest (backward) or oldest (forward) {@code limit} entries of the range. */
  List<LogPipeline.Passed> entries(
      TenantId tenant, LogExpr log, LogRequest request, QueryStats stats) {
    Deque<LogPipeline.Passed> kept = new ArrayDeque<>();
    LogScan.Figures figures =
        scan(MAX_SCANNED_RECORDS)
            .scan(
                tenant,
                log,
                request.range(),
                passed -> {
                  kept.addLast(passed);
                  if (!request.forward()) {
                    return kept.size() < request.limit();
                  }
                  if (kept.size() > request.limit()) {
                    kept.removeFirst(); // scanning newest first: the oldest come last
                  }
                  return true;
                });
    stats.add(figures);
    List<LogPipeline.Passed> out = new ArrayList<>(kept);
    if (request.forward()) {
      java.util.Collections.reverse(out);
    }
    return out;
  }

  /** Stream label names of the range (of the streams {@code selector} picks, if given). */
  List<String> labelNames(TenantId tenant, LogExpr selector, TimeRange range) {
    Set<String> names = new TreeSet<>();
    for (SortedMap<String, String> stream : sampleStreams(tenant, selector, range)) {
      names.addAll(stream.keySet());
    }
    return List.copyOf(names);
  }

  /** Values of one stream label in the range; service names come from the service catalog. */
  List<String> labelValues(TenantId tenant, String name, LogExpr selector, TimeRange range) {
    if (name.equals(LokiEntries.SERVICE_NAME) && selector == null) {
      return services.listServices(tenant, range).stream()
          .filter(s -> s.logCount() > 0)
          .map(ServiceSummary::name)
          .sorted()
          .toList();
    }
    Set<String> values = new TreeSet<>();
    for (SortedMap<String, String> stream : sampleStreams(tenant, selector, range)) {
      String value = stream.get(name);
      if (value != null) {
        values.add(value);
      }
    }
    return List.copyOf(values);
  }

  /** The distinct label sets of the streams any of the selectors picks. */
  List<SortedMap<String, String>> series(
      TenantId tenant, List<LogExpr> selectors, TimeRange range) {
    Set<SortedMap<String, String>> out = new LinkedHashSet<>();
    for (LogExpr selector : selectors) {
      out.addAll(sampleStreams(tenant, selector, range));
    }
    return List.copyOf(out);
  }

  /**
   * Loki's index statistics of a selector (Grafana's "this query will process about …"): streams,
   * chunks (one per stream here), entries and bytes. Exact when the range holds at most a label
   * sample of records; else estimated as Loki's are: the storage counts what the pushed-down search
   * matches, and the newest sample says which share of those the whole selector keeps, how many
   * bytes a line has and which streams there are.
   */
  Map<String, Object> indexStats(TenantId tenant, LogExpr selector, TimeRange range) {
    Set<SortedMap<String, String>> streams = new LinkedHashSet<>();
    long[] matched = {0};
    long[] matchedBytes = {0};
    LogExpr selectorOnly = new LogExpr(selector.selector(), List.of());
    LogScan.Figures sample =
        scan(labelSampleRecords)
            .scan(
                tenant,
                selectorOnly,
                range,
                passed -> {
                  streams.add(passed.stream());
                  matched[0]++;
                  matchedBytes[0] += passed.entry().bytes();
                  return true;
                });
    long entries = matched[0];
    long bytes = matchedBytes[0];
    if (sample.truncated()) {
      LogSearch pushed = LogScan.pushedDown(selectorOnly, range, PageRequest.first(1));
      long candidates =
          volumes.readLogVolume(tenant, new LogVolumeSearch(pushed, 1)).buckets().stream()
              .mapToLong(LogVolume.Bucket::total)
              .sum();
      entries = Math.round((double) candidates * matched[0] / sample.records());
      bytes = matched[0] == 0 ? 0 : Math.round((double) entries * matchedBytes[0] / matched[0]);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("streams", streams.size());
    out.put("chunks", streams.size());
    out.put("entries", entries);
    out.put("bytes", bytes);
    return out;
  }

  private Set<SortedMap<String, String>> sampleStreams(
      TenantId tenant, LogExpr selector, TimeRange range) {
    Set<SortedMap<String, String>> streams = new LinkedHashSet<>();
    scan(labelSampleRecords)
        .scan(
            tenant,
            selector == null ? EVERYTHING : selector,
            range,
            passed -> {
              streams.add(passed.stream());
              return true;
            });
    return streams;
  }

  LogScan scan(int maxRecords) {
    return new LogScan(logs, json, maxRecords);
  }

  JsonMapper json() {
    return json;
  }
}
