package dev.glust.application.storage.contract;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.LogVolumeSearch;
import dev.glust.application.port.model.MetricExemplar;
import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.application.port.model.NewestRecords;
import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.OperationRollupSearch;
import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.PageCursor;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.ServiceActivity;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.application.port.model.SeverityLevel;
import dev.glust.application.port.model.TenantUsage;
import dev.glust.application.port.model.TraceSearch;
import dev.glust.application.port.model.TraceSummary;
import dev.glust.application.port.model.UsageSignal;
import dev.glust.application.port.model.spanset.SpansetMatch;
import dev.glust.application.port.model.spanset.SpansetSearch;
import dev.glust.application.port.out.ApplyRetentionPort;
import dev.glust.application.port.out.CountLogVolumePort;
import dev.glust.application.port.out.FindNewestRecordsPort;
import dev.glust.application.port.out.LoadDependencyRollupsPort;
import dev.glust.application.port.out.LoadMetricCatalogPort;
import dev.glust.application.port.out.LoadMetricPointsPort;
import dev.glust.application.port.out.LoadOperationRollupsPort;
import dev.glust.application.port.out.LoadServiceActivityPort;
import dev.glust.application.port.out.LoadServicesPort;
import dev.glust.application.port.out.LoadTenantUsagePort;
import dev.glust.application.port.out.LoadTracePort;
import dev.glust.application.port.out.ProbeStoragePort;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.application.port.out.SearchLogsPort;
import dev.glust.application.port.out.SearchSpansetsPort;
import dev.glust.application.port.out.SearchTracesPort;
import dev.glust.application.port.out.Storage;
import dev.glust.application.port.out.StorageMeter;
import dev.glust.application.port.out.TraceRecords;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.metric.NumberValue;
import dev.glust.domain.performance.DependencyRollup;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.OperationRollups;
import dev.glust.domain.performance.ServiceDependencies;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every storage port in memory, as the port contracts (their javadoc) describe them and the storage
 * contract suite checks them. Times are compared at microsecond precision, as PostgreSQL's time
 * columns hold them. For tests (the application's, and bootstrap's GLUST_STORAGE=memory).
 */
public final class MemoryStorage
    implements Storage,
        SaveSpansPort,
        SaveLogsPort,
        SaveMetricsPort,
        ProbeStoragePort,
        LoadTracePort,
        SearchTracesPort,
        SearchSpansetsPort,
        SearchLogsPort,
        LoadServicesPort,
        CountLogVolumePort,
        LoadServiceActivityPort,
        FindNewestRecordsPort,
        LoadMetricCatalogPort,
        LoadMetricPointsPort,
        LoadOperationRollupsPort,
        LoadTenantUsagePort,
        LoadDependencyRollupsPort {
  private final Map<TenantId, Shelf> shelves = new HashMap<>();

  private record UsageKey(LocalDate day, TenantId tenant, UsageSignal signal) {}

  /** Records and bytes stored per UTC day (of storing), tenant and signal. */
  private final Map<UsageKey, long[]> usage = new HashMap<>();

  /** A tenant's records, kept apart from every other tenant's as row-level security keeps them. */
  private synchronized Shelf shelf(TenantId tenant) {
    return shelves.computeIfAbsent(tenant, t -> new Shelf());
  }

  @Override
  public Optional<String> problem() {
    return Optional.empty();
  }

  @Override
  public void saveSpans(TenantId tenant, List<Span> batch) {
    count(tenant, UsageSignal.TRACES, shelf(tenant).saveSpans(batch));
  }

  @Override
  public void saveLogs(TenantId tenant, List<LogRecord> batch) {
    count(tenant, UsageSignal.LOGS, shelf(tenant).saveLogs(batch));
  }

  @Override
  public void saveMetrics(TenantId tenant, List<MetricPoint> batch) {
    count(tenant, UsageSignal.METRICS, shelf(tenant).saveMetrics(batch));
  }

  /**
   * Counts the records a save stored (not those it found stored already); their bytes are their
   * text's, memory having no storage format to measure.
   */
  private synchronized void count(TenantId tenant, UsageSignal signal, List<?> stored) {
    if (stored.isEmpty()) {
      return;
    }
    long bytes = 0;
    for (Object record : stored) {
      bytes += record.toString().getBytes(StandardCharsets.UTF_8).length;
    }
    long[] counts =
        usage.computeIfAbsent(
            new UsageKey(LocalDate.now(ZoneOffset.UTC), tenant, signal), k -> new long[2]);
    counts[0] += stored.size();
    counts[1] += bytes;
  }

  /** Memory stores what it was given: the stored bytes are the written ones. */
  @Override
  public synchronized List<TenantUsage> loadTenantUsage(LocalDate firstDay, LocalDate lastDay) {
    return usage.entrySet().stream()
        .filter(e -> !e.getKey().day().isBefore(firstDay) && !e.getKey().day().isAfter(lastDay))
        .sorted(
            Map.Entry.comparingByKey(
                Comparator.comparing(UsageKey::day)
                    .thenComparing(k -> k.tenant().name())
                    .thenComparing(k -> k.signal().label())))
        .map(
            e ->
                new TenantUsage(
                    e.getKey().tenant(),
                    e.getKey().signal(),
                    e.getKey().day(),
                    e.getValue()[0],
                    e.getValue()[1],
                    e.getValue()[1]))
        .toList();
  }

  /** Memory matches children with their parents at once, whenever they arrived. */
  @Override
  public List<DependencyRollup> loadDependencyRollups(TenantId tenant, TimeRange range) {
    return shelf(tenant).loadDependencyRollups(range);
  }

  @Override
  public TraceRecords loadTrace(TenantId tenant, TraceId traceId) {
    return shelf(tenant).loadTrace(traceId);
  }

  @Override
  public Page<TraceSummary> searchTraces(TenantId tenant, TraceSearch search) {
    return shelf(tenant).searchTraces(search);
  }

  @Override
  public List<SpansetMatch> searchSpansets(TenantId tenant, SpansetSearch search) {
    return shelf(tenant).searchSpansets(search);
  }

  @Override
  public Page<LogRecord> searchLogs(TenantId tenant, LogSearch search) {
    return shelf(tenant).searchLogs(search);
  }

  @Override
  public List<ServiceSummary> loadServices(TenantId tenant, TimeRange range) {
    return shelf(tenant).loadServices(range);
  }

  @Override
  public List<String> loadServiceNames(TenantId tenant) {
    return shelf(tenant).loadServiceNames();
  }

  @Override
  public List<Operation> loadOperations(TenantId tenant, String service, TimeRange range) {
    return shelf(tenant).loadOperations(service, range);
  }

  @Override
  public List<Count> countLogVolume(TenantId tenant, LogVolumeSearch search) {
    return shelf(tenant).countLogVolume(search);
  }

  @Override
  public List<ServiceActivity> loadServiceActivity(TenantId tenant, TimeRange range) {
    return shelf(tenant).loadServiceActivity(range);
  }

  @Override
  public NewestRecords findNewestRecords(TenantId tenant, long atOrBeforeUnixNano) {
    return shelf(tenant).findNewestRecords(atOrBeforeUnixNano);
  }

  @Override
  public List<MetricSummary> loadMetrics(
      TenantId tenant, Optional<String> service, TimeRange range, int limit) {
    return shelf(tenant).loadMetrics(service, range, limit);
  }

  @Override
  public List<MetricKind> loadMetricKinds(TenantId tenant, String metricName) {
    return shelf(tenant).loadMetricKinds(metricName);
  }

  @Override
  public List<MetricSeries> loadMetricSeries(TenantId tenant, MetricSeriesSearch search) {
    return shelf(tenant).loadMetricSeries(search);
  }

  @Override
  public List<NumberPoint> loadNumberPoints(
      TenantId tenant, List<String> ids, TimeRange range, int limit) {
    return shelf(tenant).loadNumberPoints(ids, range, limit);
  }

  @Override
  public List<HistogramPoint> loadHistogramPoints(
      TenantId tenant, List<String> ids, TimeRange range, int limit) {
    return shelf(tenant).loadHistogramPoints(ids, range, limit);
  }

  @Override
  public List<ExponentialHistogramPoint> loadExponentialHistogramPoints(
      TenantId tenant, List<String> ids, TimeRange range, int limit) {
    return shelf(tenant).loadExponentialHistogramPoints(ids, range, limit);
  }

  @Override
  public List<OperationRollup> loadOperationRollups(TenantId tenant, OperationRollupSearch search) {
    return shelf(tenant).loadOperationRollups(search);
  }

  /** One tenant's records: the storage before tenants, unchanged. */
  private static final class Shelf {
    synchronized int recordCount() {
      return spans.size() + logs.size() + points.size();
    }

    private static final long MICRO = 1000;

    private record SpanKey(TraceId traceId, String spanId, long startMicros) {}

    private record StoredLog(long id, LogRecord log) {}

    /** A series: the metric without its points, and the point attributes as labels. */
    private record SeriesKey(Metric metric, Attributes labels) {}

    /** A series with the earliest and latest time of its points (PostgreSQL: and arrivals). */
    private record StoredSeries(String id, SeriesKey key, long firstSeen, long lastSeen) {}

    private final Map<SpanKey, Span> spans = new LinkedHashMap<>();
    private final Set<LogRecord> logSet = new LinkedHashSet<>();
    private final List<StoredLog> logs = new ArrayList<>();
    private final Map<SeriesKey, StoredSeries> series = new LinkedHashMap<>();
    private final Set<MetricPoint> points = new LinkedHashSet<>();

    /** Returns the spans stored, leaving out those stored already. */
    synchronized List<Span> saveSpans(List<Span> batch) {
      List<Span> stored = new ArrayList<>();
      for (Span span : batch) {
        SpanKey key =
            new SpanKey(span.traceId(), span.spanId().toString(), micros(span.startTimeUnixNano()));
        if (spans.putIfAbsent(key, span) == null) {
          stored.add(span);
        }
      }
      return stored;
    }

    /** Returns the log records stored, leaving out those stored already. */
    synchronized List<LogRecord> saveLogs(List<LogRecord> batch) {
      List<LogRecord> stored = new ArrayList<>();
      for (LogRecord log : batch) {
        if (logSet.add(log)) {
          logs.add(new StoredLog(logs.size() + 1, log));
          stored.add(log);
        }
      }
      return stored;
    }

    /** Returns the points stored, leaving out those stored already. */
    synchronized List<MetricPoint> saveMetrics(List<MetricPoint> batch) {
      List<MetricPoint> stored = new ArrayList<>();
      for (MetricPoint point : batch) {
        if (!points.add(point)) {
          continue;
        }
        stored.add(point);
        SeriesKey key = seriesKey(point);
        long time = point.point().timeUnixNano();
        series.merge(
            key,
            new StoredSeries(String.format("%032x", series.size() + 1), key, time, time),
            (old, now) ->
                new StoredSeries(
                    old.id(),
                    key,
                    Math.min(old.firstSeen(), time),
                    Math.max(old.lastSeen(), time)));
      }
      return stored;
    }

    private static SeriesKey seriesKey(MetricPoint point) {
      return new SeriesKey(point.metric(), point.point().attributes());
    }

    synchronized List<DependencyRollup> loadDependencyRollups(TimeRange range) {
      return ServiceDependencies.in(spans.values()).rollups().stream()
          .filter(
              r ->
                  r.minuteUnixNano() >= range.startUnixNano()
                      && r.minuteUnixNano() <= range.endUnixNano())
          .toList();
    }

    synchronized TraceRecords loadTrace(TraceId traceId) {
      return new TraceRecords(
          spans.values().stream()
              .filter(s -> s.traceId().equals(traceId))
              .sorted(Comparator.comparingLong(Span::startTimeUnixNano))
              .toList(),
          logs.stream()
              .filter(l -> traceId.equals(l.log().traceId()))
              .sorted(
                  Comparator.comparingLong((StoredLog l) -> logMicros(l.log()))
                      .thenComparingLong(StoredLog::id))
              .map(StoredLog::log)
              .toList());
    }

    private record Match(TraceId traceId, long matchedAt) {}

    synchronized Page<TraceSummary> searchTraces(TraceSearch search) {
      Optional<TraceCursor> after = search.page().after().map(Shelf::traceCursor);
      Predicate<Span> matches =
          s ->
              inRange(micros(s.startTimeUnixNano()), search.range())
                  && search.service().map(s.serviceName()::equals).orElse(true)
                  && search.operation().map(s.name()::equals).orElse(true)
                  && search.minDurationNanos().map(d -> duration(s) >= d).orElse(true)
                  && search.maxDurationNanos().map(d -> duration(s) <= d).orElse(true)
                  && (!search.errorsOnly() || s.status().code() == SpanStatus.Code.ERROR)
                  && attributesMatch(
                      search.attributes(), s.attributes(), s.resource().attributes());
      Comparator<Match> newestFirst =
          Comparator.comparingLong(Match::matchedAt)
              .thenComparing(m -> m.traceId().toString())
              .reversed();
      List<Match> all =
          spans.values().stream()
              .filter(matches)
              .collect(
                  Collectors.toMap(
                      Span::traceId, Span::startTimeUnixNano, Math::max, LinkedHashMap::new))
              .entrySet()
              .stream()
              .map(e -> new Match(e.getKey(), e.getValue()))
              .filter(m -> after.map(c -> before(m, c)).orElse(true))
              .sorted(newestFirst)
              .toList();
      return page(
          all,
          search.page(),
          m -> summarise(m.traceId()),
          m -> new PageCursor(m.matchedAt(), m.traceId().toString()));
    }

    /** Where a trace page ended: its last trace's time and id. */
    private record TraceCursor(long matchedAt, String traceId) {}

    private static boolean before(Match m, TraceCursor cursor) {
      return m.matchedAt() < cursor.matchedAt()
          || (m.matchedAt() == cursor.matchedAt()
              && m.traceId().toString().compareTo(cursor.traceId()) < 0);
    }

    private static TraceCursor traceCursor(PageCursor cursor) {
      try {
        return new TraceCursor(cursor.timeUnixNano(), TraceId.fromHex(cursor.key()).toString());
      } catch (IllegalArgumentException e) {
        throw new InvalidQueryException("cursor", "not a trace search cursor");
      }
    }

    private TraceSummary summarise(TraceId traceId) {
      return TraceSummary.of(
          traceId, spans.values().stream().filter(s -> s.traceId().equals(traceId)).toList());
    }

    /** Every trace judged by the search's own meaning: memory needs no narrowing. */
    synchronized List<SpansetMatch> searchSpansets(SpansetSearch search) {
      return spans.values().stream()
          .collect(Collectors.groupingBy(Span::traceId, LinkedHashMap::new, Collectors.toList()))
          .values()
          .stream()
          .map(search::match)
          .flatMap(Optional::stream)
          .sorted(SpansetSearch.NEWEST_FIRST)
          .limit(search.limit())
          .toList();
    }

    synchronized Page<LogRecord> searchLogs(LogSearch search) {
      Optional<LogCursor> after = search.page().after().map(Shelf::logCursor);
      List<StoredLog> all =
          matchingLogs(search)
              .filter(l -> after.map(c -> before(l, c)).orElse(true))
              .sorted(
                  Comparator.comparingLong((StoredLog l) -> logMicros(l.log()))
                      .thenComparingLong(StoredLog::id)
                      .reversed())
              .toList();
      return page(
          all,
          search.page(),
          StoredLog::log,
          l -> new PageCursor(logMicros(l.log()) * MICRO, Long.toString(l.id())));
    }

    /** Where a log page ended: its last record's time (to the microsecond) and storage id. */
    private record LogCursor(long micros, long id) {}

    private static LogCursor logCursor(PageCursor cursor) {
      try {
        return new LogCursor(micros(cursor.timeUnixNano()), Long.parseLong(cursor.key()));
      } catch (NumberFormatException e) {
        throw new InvalidQueryException("cursor", "not a log search cursor");
      }
    }

    private static boolean before(StoredLog l, LogCursor cursor) {
      return logMicros(l.log()) < cursor.micros()
          || (logMicros(l.log()) == cursor.micros() && l.id() < cursor.id());
    }

    private Stream<StoredLog> matchingLogs(LogSearch search) {
      return logs.stream()
          .filter(
              l -> {
                LogRecord r = l.log();
                return inRange(logMicros(r), search.range())
                    && search.service().map(r.serviceName()::equals).orElse(true)
                    && (search.minSeverity() == 0 || r.severityNumber() >= search.minSeverity())
                    && search.text().map(t -> bodyContains(r.body(), t)).orElse(true)
                    && search.traceId().map(t -> t.equals(r.traceId())).orElse(true)
                    && search.spanId().map(s -> s.equals(r.spanId())).orElse(true)
                    && attributesMatch(
                        search.attributes(), r.attributes(), r.resource().attributes());
              });
    }

    private static boolean bodyContains(AnyValue body, String text) {
      return bodyText(body).toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    /**
     * A string body as it is; a structured one by its keys and scalar values, the words of the JSON
     * text PostgreSQL searches.
     */
    private static String bodyText(AnyValue body) {
      if (body instanceof AnyValue.StringValue s) {
        return s.value();
      } else if (body instanceof AnyValue.IntValue i) {
        return Long.toString(i.value());
      } else if (body instanceof AnyValue.DoubleValue d) {
        return Double.toString(d.value());
      } else if (body instanceof AnyValue.BoolValue b) {
        return Boolean.toString(b.value());
      } else if (body instanceof AnyValue.ArrayValue a) {
        return a.values().stream().map(Shelf::bodyText).collect(Collectors.joining(" "));
      } else if (body instanceof AnyValue.KeyValueListValue kv) {
        return kv.values().stream()
            .map(e -> e.key() + " " + bodyText(e.value()))
            .collect(Collectors.joining(" "));
      }
      return "";
    }

    private static <T, R> Page<R> page(
        List<T> sorted, PageRequest request, Function<T, R> item, Function<T, PageCursor> cursor) {
      List<T> page = sorted.subList(0, Math.min(request.limit(), sorted.size()));
      return new Page<>(
          page.stream().map(item).toList(),
          sorted.size() > request.limit()
              ? Optional.of(cursor.apply(page.get(page.size() - 1)))
              : Optional.empty());
    }

    /**
     * Added up from the spans stored (each once, however often it was saved), in the minute each
     * started: what a storage adding them up as it stores them has.
     */
    synchronized List<OperationRollup> loadOperationRollups(OperationRollupSearch search) {
      TimeRange range = search.range();
      return OperationRollups.of(
              spans.values().stream()
                  .filter(
                      s -> {
                        long minute = OperationRollup.minuteOf(s.startTimeUnixNano());
                        return minute >= range.startUnixNano() && minute <= range.endUnixNano();
                      })
                  .filter(
                      s ->
                          search.services().isEmpty()
                              || search.services().contains(s.serviceName()))
                  .filter(s -> search.kinds().isEmpty() || search.kinds().contains(s.kind()))
                  .toList())
          .stream()
          .sorted(OperationRollup.BY_MINUTE_AND_KEY)
          .toList();
    }

    synchronized List<ServiceSummary> loadServices(TimeRange range) {
      return activity(range).stream()
          .map(a -> new ServiceSummary(a.name(), a.spanCount(), a.logCount()))
          .toList();
    }

    synchronized List<String> loadServiceNames() {
      return spans.values().stream().map(Span::serviceName).distinct().sorted().toList();
    }

    synchronized List<Operation> loadOperations(String service, TimeRange range) {
      return spans.values().stream()
          .filter(s -> s.serviceName().equals(service))
          .filter(s -> inRange(micros(s.startTimeUnixNano()), range))
          .map(s -> new Operation(s.name(), s.kind()))
          .distinct()
          .sorted(Comparator.comparing(Operation::name).thenComparingInt(o -> o.kind().code()))
          .toList();
    }

    synchronized List<Count> countLogVolume(LogVolumeSearch search) {
      long start = search.filter().range().startUnixNano();
      long width = search.bucketNanos();
      int last = search.bucketCount() - 1;
      Map<Integer, Map<SeverityLevel, Long>> counts = new TreeMap<>();
      matchingLogs(search.filter())
          .forEach(
              l -> {
                long bucket = (logMicros(l.log()) * MICRO - start) / width;
                int slice = (int) Math.min(Math.max(bucket, 0), last);
                counts
                    .computeIfAbsent(slice, b -> new TreeMap<>())
                    .merge(SeverityLevel.of(l.log().severityNumber()), 1L, Long::sum);
              });
      List<Count> out = new ArrayList<>();
      counts.forEach(
          (slice, levels) -> levels.forEach((level, n) -> out.add(new Count(slice, level, n))));
      return out;
    }

    synchronized List<ServiceActivity> loadServiceActivity(TimeRange range) {
      return activity(range);
    }

    private List<ServiceActivity> activity(TimeRange range) {
      Map<String, long[]> counts = new TreeMap<>();
      spans.values().stream()
          .filter(s -> inRange(micros(s.startTimeUnixNano()), range))
          .forEach(
              s -> {
                long[] c = counts.computeIfAbsent(s.serviceName(), n -> new long[4]);
                c[0]++;
                c[1] += s.status().code() == SpanStatus.Code.ERROR ? 1 : 0;
              });
      logs.stream()
          .map(StoredLog::log)
          .filter(l -> inRange(logMicros(l), range))
          .forEach(
              l -> {
                long[] c = counts.computeIfAbsent(l.serviceName(), n -> new long[4]);
                c[2]++;
                c[3] += l.severityNumber() >= SeverityLevel.ERROR.lowestNumber() ? 1 : 0;
              });
      return counts.entrySet().stream()
          .map(
              e ->
                  new ServiceActivity(
                      e.getKey(),
                      e.getValue()[0],
                      e.getValue()[1],
                      e.getValue()[2],
                      e.getValue()[3]))
          .toList();
    }

    synchronized NewestRecords findNewestRecords(long atOrBeforeUnixNano) {
      long end = micros(atOrBeforeUnixNano);
      // a log's time as PostgreSQL's column holds it: to the microsecond
      return new NewestRecords(
          spans.values().stream()
              .filter(s -> micros(s.startTimeUnixNano()) <= end)
              .mapToLong(Span::startTimeUnixNano)
              .max(),
          logs.stream()
              .map(StoredLog::log)
              .filter(l -> logMicros(l) <= end)
              .mapToLong(l -> logMicros(l) * MICRO)
              .max());
    }

    synchronized List<MetricSummary> loadMetrics(
        Optional<String> service, TimeRange range, int limit) {
      Map<NameAndKind, List<StoredSeries>> byNameAndKind =
          new TreeMap<>(
              Comparator.comparing(NameAndKind::name)
                  .thenComparingInt(nameAndKind -> nameAndKind.kind().code()));
      seenIn(range)
          .filter(s -> service.map(serviceOf(s)::equals).orElse(true))
          .forEach(
              s ->
                  byNameAndKind
                      .computeIfAbsent(
                          new NameAndKind(s.key().metric().name(), s.key().metric().kind()),
                          k -> new ArrayList<>())
                      .add(s));
      return byNameAndKind.values().stream().map(Shelf::summary).limit(limit).toList();
    }

    private record NameAndKind(String name, MetricKind kind) {}

    private static MetricSummary summary(List<StoredSeries> group) {
      Metric first = group.get(0).key().metric();
      TreeSet<String> labelKeys = new TreeSet<>();
      group.forEach(s -> s.key().labels().entries().forEach(a -> labelKeys.add(a.key())));
      return new MetricSummary(
          first.name(),
          first.kind(),
          group.stream()
              .map(s -> s.key().metric().unit())
              .max(Comparator.naturalOrder())
              .orElseThrow(),
          group.stream()
              .map(s -> s.key().metric().description())
              .max(Comparator.naturalOrder())
              .orElseThrow(),
          group.stream()
              .map(s -> s.key().metric().temporality())
              .max(Comparator.comparingInt(t -> t.code()))
              .orElseThrow(),
          group.stream().anyMatch(s -> s.key().metric().monotonic()),
          List.copyOf(labelKeys),
          group.size());
    }

    /** Seen in the range, with the hour of lag the PostgreSQL adapter allows its last_seen. */
    private Stream<StoredSeries> seenIn(TimeRange range) {
      long lag = 3_600_000_000_000L;
      return series.values().stream()
          .filter(
              s ->
                  s.lastSeen() >= range.startUnixNano() - lag
                      && s.firstSeen() <= range.endUnixNano());
    }

    private static String serviceOf(StoredSeries s) {
      return s.key()
          .metric()
          .resource()
          .attributes()
          .get("service.name")
          .filter(AnyValue.StringValue.class::isInstance)
          .map(v -> ((AnyValue.StringValue) v).value())
          .orElse("");
    }

    synchronized List<MetricKind> loadMetricKinds(String metricName) {
      return series.keySet().stream()
          .map(SeriesKey::metric)
          .filter(m -> m.name().equals(metricName))
          .map(Metric::kind)
          .distinct()
          .sorted(Comparator.comparingInt(MetricKind::code))
          .toList();
    }

    synchronized List<MetricSeries> loadMetricSeries(MetricSeriesSearch search) {
      return seenIn(search.range())
          .filter(s -> s.key().metric().name().equals(search.metricName()))
          .filter(s -> search.kind().map(k -> k == s.key().metric().kind()).orElse(true))
          .filter(s -> search.service().map(serviceOf(s)::equals).orElse(true))
          .filter(
              s ->
                  attributesMatch(
                      search.labels(), s.key().labels(), s.key().metric().resource().attributes()))
          .sorted(Comparator.comparing(StoredSeries::id))
          .limit(search.limit())
          .map(Shelf::toSeries)
          .toList();
    }

    private static MetricSeries toSeries(StoredSeries s) {
      Metric m = s.key().metric();
      return new MetricSeries(
          s.id(),
          m.name(),
          m.kind(),
          m.temporality(),
          m.monotonic(),
          m.unit(),
          serviceOf(s),
          s.key().labels(),
          m.resource().attributes(),
          m.scope().name(),
          m.scope().version());
    }

    synchronized List<NumberPoint> loadNumberPoints(List<String> ids, TimeRange range, int limit) {
      return pointsOf(ids, range, limit, NumberValue.class)
          .map(
              p ->
                  new NumberPoint(
                      idOf(p),
                      p.point().timeUnixNano(),
                      p.point().startTimeUnixNano(),
                      ((NumberValue) p.point().value()).value().doubleValue(),
                      exemplars(p)))
          .toList();
    }

    synchronized List<HistogramPoint> loadHistogramPoints(
        List<String> ids, TimeRange range, int limit) {
      return pointsOf(ids, range, limit, HistogramValue.class)
          .map(
              p -> {
                HistogramValue v = (HistogramValue) p.point().value();
                return new HistogramPoint(
                    idOf(p),
                    p.point().timeUnixNano(),
                    p.point().startTimeUnixNano(),
                    new HistogramValue(
                        v.count(),
                        v.sum(),
                        OptionalDouble.empty(),
                        OptionalDouble.empty(),
                        v.bucketCounts(),
                        v.explicitBounds()),
                    exemplars(p));
              })
          .toList();
    }

    synchronized List<ExponentialHistogramPoint> loadExponentialHistogramPoints(
        List<String> ids, TimeRange range, int limit) {
      return pointsOf(ids, range, limit, ExponentialHistogramValue.class)
          .map(
              p -> {
                ExponentialHistogramValue v = (ExponentialHistogramValue) p.point().value();
                return new ExponentialHistogramPoint(
                    idOf(p),
                    p.point().timeUnixNano(),
                    p.point().startTimeUnixNano(),
                    new ExponentialHistogramValue(
                        v.count(),
                        v.sum(),
                        OptionalDouble.empty(),
                        OptionalDouble.empty(),
                        v.scale(),
                        v.zeroCount(),
                        v.zeroThreshold(),
                        v.positive(),
                        v.negative()),
                    exemplars(p));
              })
          .toList();
    }

    private Stream<MetricPoint> pointsOf(
        List<String> ids, TimeRange range, int limit, Class<?> valueType) {
      return points.stream()
          .filter(p -> valueType.isInstance(p.point().value()))
          .filter(p -> ids.contains(idOf(p)))
          .filter(
              p ->
                  p.point().timeUnixNano() >= range.startUnixNano()
                      && p.point().timeUnixNano() <= range.endUnixNano())
          .limit(limit);
    }

    private String idOf(MetricPoint p) {
      return series.get(seriesKey(p)).id();
    }

    private static List<MetricExemplar> exemplars(MetricPoint p) {
      return p.point().exemplars().stream()
          .map(
              e ->
                  new MetricExemplar(
                      e.timeUnixNano(), e.value().doubleValue(), e.traceId(), e.spanId()))
          .toList();
    }

    /**
     * Each {@code key=value} matches the record's own or its resource's attribute by text, and as
     * number or boolean when the value reads as one (as {@link
     * dev.glust.application.port.model.TraceSearch} says).
     */
    static boolean attributesMatch(
        Map<String, String> filters, Attributes own, Attributes resource) {
      return filters.entrySet().stream()
          .allMatch(
              f ->
                  valueMatches(own.get(f.getKey()), f.getValue())
                      || valueMatches(resource.get(f.getKey()), f.getValue()));
    }

    private static boolean valueMatches(Optional<AnyValue> value, String text) {
      if (value.isEmpty()) {
        return false;
      }
      AnyValue v = value.get();
      if (v instanceof AnyValue.StringValue s) {
        return s.value().equals(text);
      } else if (v instanceof AnyValue.BoolValue b) {
        return text.equals(Boolean.toString(b.value()));
      } else if (v instanceof AnyValue.IntValue i) {
        return sameNumber(BigDecimal.valueOf(i.value()), text);
      } else if (v instanceof AnyValue.DoubleValue d && Double.isFinite(d.value())) {
        return sameNumber(BigDecimal.valueOf(d.value()), text);
      }
      return false;
    }

    private static boolean sameNumber(BigDecimal number, String text) {
      try {
        return number.compareTo(new BigDecimal(text)) == 0;
      } catch (NumberFormatException notANumber) {
        return false;
      }
    }

    private static boolean inRange(long micros, TimeRange range) {
      return micros * MICRO >= range.startUnixNano() && micros * MICRO <= range.endUnixNano();
    }

    private static long micros(long unixNano) {
      return Math.floorDiv(unixNano, MICRO);
    }

    private static long logMicros(LogRecord log) {
      return micros(log.effectiveTimeUnixNano());
    }

    private static long duration(Span s) {
      return s.endTimeUnixNano() - s.startTimeUnixNano();
    }
  }

  @Override
  public SaveSpansPort spans() {
    return this;
  }

  @Override
  public LoadDependencyRollupsPort dependencyRollups() {
    return this;
  }

  @Override
  public SaveLogsPort logs() {
    return this;
  }

  @Override
  public SaveMetricsPort metrics() {
    return this;
  }

  @Override
  public ProbeStoragePort probe() {
    return this;
  }

  @Override
  public LoadTracePort traceLoader() {
    return this;
  }

  @Override
  public SearchTracesPort traceSearch() {
    return this;
  }

  @Override
  public SearchSpansetsPort spansetSearch() {
    return this;
  }

  @Override
  public SearchLogsPort logSearch() {
    return this;
  }

  @Override
  public LoadServicesPort services() {
    return this;
  }

  @Override
  public CountLogVolumePort logVolume() {
    return this;
  }

  @Override
  public LoadServiceActivityPort serviceActivity() {
    return this;
  }

  @Override
  public FindNewestRecordsPort newestRecords() {
    return this;
  }

  @Override
  public LoadMetricCatalogPort metricCatalog() {
    return this;
  }

  @Override
  public LoadMetricPointsPort metricPoints() {
    return this;
  }

  @Override
  public LoadTenantUsagePort tenantUsage() {
    return this;
  }

  @Override
  public LoadOperationRollupsPort operationRollups() {
    return this;
  }

  /** Keeps every record for ever: no tenant's retention is shorter, none longer. */
  @Override
  public ApplyRetentionPort retention() {
    return ApplyRetentionPort.NONE;
  }

  /** Records held now, so a test can see that a storage chosen by name is the one in use. */
  public synchronized int recordCount() {
    return shelves.values().stream().mapToInt(Shelf::recordCount).sum();
  }

  @Override
  public List<StorageMeter> meters() {
    return List.of(
        StorageMeter.gauge(
            "glust.storage.memory.records", "Records held in memory", Map.of(), this::recordCount));
  }

  @Override
  public void close() {}
}
