package dev.glust.application.service;

import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.application.port.model.OperationRollupSearch;
import dev.glust.application.port.out.LoadMetricCatalogPort;
import dev.glust.application.port.out.LoadMetricPointsPort;
import dev.glust.application.port.out.LoadOperationRollupsPort;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.performance.OperationKey;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.SpanDurations;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The span rollups as two more metrics beside the stored ones, named and labelled as the
 * Collector's span metrics connector names its own: {@code traces.span.metrics.calls} (a monotonic
 * delta sum per minute) and {@code traces.span.metrics.duration} (a delta exponential histogram in
 * ms), one series per service, span name, span kind and status code. A decorator of the metric
 * ports, so the metric query service and API serve them unchanged; their series ids carry the
 * series' key behind a prefix that stored ids (hex) cannot have, so points are read back from the
 * rollups without a lookup. A tenant that stores real metrics of either name (from a Collector
 * running the connector) keeps those: the rollups do not add to them.
 *
 * <p>A point is stamped with the start of its minute, so it falls into the same bucket as in the
 * service performance API.
 */
public final class SpanMetrics implements LoadMetricCatalogPort, LoadMetricPointsPort {
  public static final String CALLS = "traces.span.metrics.calls";
  public static final String DURATION = "traces.span.metrics.duration";

  private static final String SCOPE = "glust.span-rollups";
  private static final List<String> LABEL_KEYS = List.of("span.kind", "span.name", "status.code");

  /** The two metrics: their name, kind, unit and the prefix of their series ids. */
  private enum Metric {
    CALLS_METRIC(CALLS, MetricKind.SUM, "", "spans counted per minute", "span-calls:"),
    DURATION_METRIC(
        DURATION, MetricKind.EXPONENTIAL_HISTOGRAM, "ms", "span durations", "span-duration:");

    final String metricName;
    final MetricKind kind;
    final String unit;
    final String description;
    final String idPrefix;

    Metric(String metricName, MetricKind kind, String unit, String description, String idPrefix) {
      this.metricName = metricName;
      this.kind = kind;
      this.unit = unit;
      this.description = description;
      this.idPrefix = idPrefix;
    }

    static Optional<Metric> named(String name) {
      for (Metric m : values()) {
        if (m.metricName.equals(name)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }

    static Optional<Metric> ofId(String id) {
      for (Metric m : values()) {
        if (id.startsWith(m.idPrefix)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  }

  private final LoadMetricCatalogPort catalog;
  private final LoadMetricPointsPort points;
  private final LoadOperationRollupsPort rollups;

  public SpanMetrics(
      LoadMetricCatalogPort catalog,
      LoadMetricPointsPort points,
      LoadOperationRollupsPort rollups) {
    this.catalog = catalog;
    this.points = points;
    this.rollups = rollups;
  }

  /** The metric of this name served from the rollups: none when stored metrics hold the name. */
  private Optional<Metric> synthetic(TenantId tenant, String name) {
    return Metric.named(name).filter(m -> catalog.loadMetricKinds(tenant, name).isEmpty());
  }

  @Override
  public List<MetricSummary> loadMetrics(
      TenantId tenant, Optional<String> service, TimeRange range, int limit) {
    List<MetricSummary> all = new ArrayList<>(catalog.loadMetrics(tenant, service, range, limit));
    List<Metric> shown = new ArrayList<>();
    for (Metric m : Metric.values()) {
      synthetic(tenant, m.metricName).ifPresent(shown::add);
    }
    if (!shown.isEmpty()) {
      long keys = keysIn(tenant, range, service).size();
      if (keys > 0) {
        for (Metric m : shown) {
          all.add(
              new MetricSummary(
                  m.metricName,
                  m.kind,
                  m.unit,
                  m.description,
                  AggregationTemporality.DELTA,
                  m == Metric.CALLS_METRIC,
                  LABEL_KEYS,
                  keys));
        }
        all.sort(Comparator.comparing(MetricSummary::name).thenComparingInt(s -> s.kind().code()));
      }
    }
    return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
  }

  @Override
  public List<MetricKind> loadMetricKinds(TenantId tenant, String metricName) {
    List<MetricKind> stored = catalog.loadMetricKinds(tenant, metricName);
    if (!stored.isEmpty()) {
      return stored;
    }
    return Metric.named(metricName).map(m -> List.of(m.kind)).orElse(List.of());
  }

  @Override
  public List<MetricSeries> loadMetricSeries(TenantId tenant, MetricSeriesSearch search) {
    Optional<Metric> metric = synthetic(tenant, search.metricName());
    if (metric.isEmpty()) {
      return catalog.loadMetricSeries(tenant, search);
    }
    Metric m = metric.get();
    if (search.kind().isPresent() && search.kind().get() != m.kind) {
      return List.of();
    }
    TreeMap<String, MetricSeries> byId = new TreeMap<>();
    for (OperationKey key : keysIn(tenant, search.range(), search.service())) {
      MetricSeries s = series(m, key);
      if (search.labels().entrySet().stream().allMatch(label -> hasLabel(s, label))) {
        byId.put(s.id(), s);
      }
    }
    return byId.values().stream().limit(search.limit()).toList();
  }

  private static boolean hasLabel(MetricSeries series, Map.Entry<String, String> label) {
    return (series.labels().get(label.getKey()).isPresent()
            || series.resource().get(label.getKey()).isPresent())
        && series.labelText(label.getKey()).equals(label.getValue());
  }

  private Set<OperationKey> keysIn(TenantId tenant, TimeRange range, Optional<String> service) {
    Set<OperationKey> keys = new HashSet<>();
    for (OperationRollup r :
        rollups.loadOperationRollups(
            tenant,
            new OperationRollupSearch(range, service.map(Set::of).orElse(Set.of()), Set.of()))) {
      keys.add(r.key());
    }
    return keys;
  }

  private static MetricSeries series(Metric metric, OperationKey key) {
    return new MetricSeries(
        metric.idPrefix + encode(key),
        metric.metricName,
        metric.kind,
        AggregationTemporality.DELTA,
        metric == Metric.CALLS_METRIC,
        metric.unit,
        key.service(),
        Attributes.of(
            Attribute.of("span.name", key.operation()),
            Attribute.of("span.kind", "SPAN_KIND_" + key.kind().name()),
            Attribute.of("status.code", "STATUS_CODE_" + key.status().name())),
        Attributes.of(Attribute.of("service.name", key.service())),
        SCOPE,
        "");
  }

  @Override
  public List<NumberPoint> loadNumberPoints(
      TenantId tenant, List<String> seriesIds, TimeRange range, int limit) {
    return combined(
        seriesIds,
        stored -> points.loadNumberPoints(tenant, stored, range, limit),
        Metric.CALLS_METRIC,
        tenant,
        range,
        limit,
        (id, r) -> new NumberPoint(id, r.minute(), r.minute(), r.calls(), List.of()));
  }

  @Override
  public List<HistogramPoint> loadHistogramPoints(
      TenantId tenant, List<String> seriesIds, TimeRange range, int limit) {
    List<String> stored = storedIds(seriesIds);
    return stored.isEmpty() ? List.of() : points.loadHistogramPoints(tenant, stored, range, limit);
  }

  @Override
  public List<ExponentialHistogramPoint> loadExponentialHistogramPoints(
      TenantId tenant, List<String> seriesIds, TimeRange range, int limit) {
    return combined(
        seriesIds,
        stored -> points.loadExponentialHistogramPoints(tenant, stored, range, limit),
        Metric.DURATION_METRIC,
        tenant,
        range,
        limit,
        (id, r) ->
            new ExponentialHistogramPoint(
                id, r.minute(), r.minute(), r.durations().toHistogram(), List.of()));
  }

  private static List<String> storedIds(List<String> seriesIds) {
    return seriesIds.stream().filter(id -> Metric.ofId(id).isEmpty()).toList();
  }

  /** A series' rollups of one minute, added up. */
  private record Minute(long minute, long calls, SpanDurations durations) {}

  /** The stored series' points (read as usual) and those of the rollup series among the ids. */
  private <P> List<P> combined(
      List<String> seriesIds,
      Function<List<String>, List<P>> loadStored,
      Metric metric,
      TenantId tenant,
      TimeRange range,
      int limit,
      BiFunction<String, Minute, P> point) {
    List<String> stored = storedIds(seriesIds);
    List<P> out = new ArrayList<>(stored.isEmpty() ? List.of() : loadStored.apply(stored));
    Map<OperationKey, String> ids = new LinkedHashMap<>();
    for (String id : seriesIds) {
      if (id.startsWith(metric.idPrefix)) {
        decode(id.substring(metric.idPrefix.length())).ifPresent(key -> ids.put(key, id));
      }
    }
    if (ids.isEmpty()) {
      return out;
    }
    Set<String> services = new HashSet<>();
    Set<SpanKind> kinds = new HashSet<>();
    ids.keySet().forEach(k -> services.add(k.service()));
    ids.keySet().forEach(k -> kinds.add(k.kind()));
    Map<OperationKey, TreeMap<Long, Minute>> minutes = new HashMap<>();
    for (OperationRollup r :
        rollups.loadOperationRollups(tenant, new OperationRollupSearch(range, services, kinds))) {
      if (ids.containsKey(r.key())) {
        minutes
            .computeIfAbsent(r.key(), k -> new TreeMap<>())
            .merge(
                r.minuteUnixNano(),
                new Minute(r.minuteUnixNano(), r.calls(), r.durations()),
                (a, b) ->
                    new Minute(
                        a.minute(), a.calls() + b.calls(), a.durations().plus(b.durations())));
      }
    }
    minutes.forEach(
        (key, byMinute) -> byMinute.values().forEach(m -> out.add(point.apply(ids.get(key), m))));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  /** The key as text fit for an id: its four parts, length-prefixed, base64url. */
  static String encode(OperationKey key) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      for (String part :
          List.of(key.service(), key.operation(), key.kind().name(), key.status().name())) {
        byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }

  /** The key {@link #encode} wrote; empty for text it cannot have written. */
  static Optional<OperationKey> decode(String text) {
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(text)))) {
      String[] parts = new String[4];
      for (int i = 0; i < parts.length; i++) {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
          return Optional.empty();
        }
        parts[i] = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      }
      if (in.available() > 0) {
        return Optional.empty();
      }
      return Optional.of(
          new OperationKey(
              parts[0], parts[1], SpanKind.valueOf(parts[2]), SpanStatus.Code.valueOf(parts[3])));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
