package dev.glust.adapter.query.loki;

import dev.glust.adapter.query.loki.LogQl.Expr;
import dev.glust.adapter.query.loki.LogQl.LogExpr;
import dev.glust.adapter.query.loki.LogQl.MatchOp;
import dev.glust.adapter.query.loki.LogQl.Matcher;
import dev.glust.adapter.query.loki.LogQl.MetricExpr;
import dev.glust.application.port.in.query.log.ReadLogVolumeQuery;
import dev.glust.application.port.in.query.log.SearchLogsQuery;
import dev.glust.application.port.in.query.service.ListServicesQuery;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.json.JsonMapper;
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

  LokiQueries(
      SearchLogsQuery logs,
      ReadLogVolumeQuery volumes,
      ListServicesQuery services,
      JsonMapper json) {
    this.logs = logs;
    this.volumes = volumes;
    this.services = services;
    this.json = json;
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

  /** Loki's index statistics: streams, chunks (one per stream here), entries and bytes. */
  Map<String, Object> indexStats(TenantId tenant, LogExpr selector, TimeRange range) {
    Set<SortedMap<String, String>> streams = new LinkedHashSet<>();
    long[] entries = {0};
    long[] bytes = {0};
    LogExpr selectorOnly = new LogExpr(selector.selector(), List.of());
    scan(MAX_SCANNED_RECORDS)
        .scan(
            tenant,
            selectorOnly,
            range,
            passed -> {
              streams.add(passed.stream());
              entries[0]++;
              bytes[0] += passed.entry().bytes();
              return true;
            });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("streams", streams.size());
    out.put("chunks", streams.size());
    out.put("entries", entries[0]);
    out.put("bytes", bytes[0]);
    return out;
  }

  private Set<SortedMap<String, String>> sampleStreams(
      TenantId tenant, LogExpr selector, TimeRange range) {
    Set<SortedMap<String, String>> streams = new LinkedHashSet<>();
    scan(LABEL_SAMPLE_RECORDS)
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
