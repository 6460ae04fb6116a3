package dev.glust.application.service;

import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.application.port.out.LoadMetricCatalogPort;
import dev.glust.application.port.out.LoadMetricPointsPort;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** Metric storage in memory for the query service: series and points as the ports return them. */
final class InMemoryMetrics implements LoadMetricCatalogPort, LoadMetricPointsPort {
  final List<MetricSeries> series = new ArrayList<>();
  final List<NumberPoint> numbers = new ArrayList<>();
  final List<HistogramPoint> histograms = new ArrayList<>();
  final List<ExponentialHistogramPoint> exponential = new ArrayList<>();

  MetricSeries addSeries(
      String name,
      MetricKind kind,
      AggregationTemporality temporality,
      boolean monotonic,
      Attribute... labels) {
    MetricSeries s =
        new MetricSeries(
            String.format("%032x", series.size() + 1),
            name,
            kind,
            temporality,
            monotonic,
            "ms",
            "checkout",
            Attributes.of(labels),
            Attributes.of(Attribute.of("service.name", "checkout")),
            "scope",
            "1.0");
    series.add(s);
    return s;
  }

  @Override
  public List<MetricSummary> loadMetrics(
      TenantId tenant, Optional<String> service, TimeRange range, int limit) {
    throw new UnsupportedOperationException("a database query; see PostgresMetricCatalogTest");
  }

  @Override
  public List<MetricKind> loadMetricKinds(TenantId tenant, String metricName) {
    return series.stream()
        .filter(s -> s.metricName().equals(metricName))
        .map(MetricSeries::kind)
        .distinct()
        .sorted(Comparator.comparingInt(MetricKind::code))
        .toList();
  }

  @Override
  public List<MetricSeries> loadMetricSeries(TenantId tenant, MetricSeriesSearch search) {
    return series.stream()
        .filter(s -> s.metricName().equals(search.metricName()))
        .filter(s -> search.kind().map(k -> k == s.kind()).orElse(true))
        .filter(s -> search.service().map(s.serviceName()::equals).orElse(true))
        .filter(s -> matches(s, search.labels()))
        .limit(search.limit())
        .toList();
  }

  private static boolean matches(MetricSeries s, Map<String, String> labels) {
    return labels.entrySet().stream()
        .allMatch(
            e ->
                s.labels().get(e.getKey()).or(() -> s.resource().get(e.getKey())).isPresent()
                    && s.labelText(e.getKey()).equals(e.getValue()));
  }

  @Override
  public List<NumberPoint> loadNumberPoints(
      TenantId tenant, List<String> ids, TimeRange range, int limit) {
    return select(numbers, ids, range, limit, NumberPoint::seriesId, NumberPoint::timeUnixNano);
  }

  @Override
  public List<HistogramPoint> loadHistogramPoints(
      TenantId tenant, List<String> ids, TimeRange range, int limit) {
    return select(
        histograms, ids, range, limit, HistogramPoint::seriesId, HistogramPoint::timeUnixNano);
  }

  @Override
  public List<ExponentialHistogramPoint> loadExponentialHistogramPoints(
      TenantId tenant, List<String> ids, TimeRange range, int limit) {
    return select(
        exponential,
        ids,
        range,
        limit,
        ExponentialHistogramPoint::seriesId,
        ExponentialHistogramPoint::timeUnixNano);
  }

  private static <P> List<P> select(
      List<P> points,
      List<String> ids,
      TimeRange range,
      int limit,
      Function<P, String> id,
      ToLongFunction<P> time) {
    return points.stream()
        .filter(p -> ids.contains(id.apply(p)))
        .filter(
            p ->
                time.applyAsLong(p) >= range.startUnixNano()
                    && time.applyAsLong(p) <= range.endUnixNano())
        .sorted(Comparator.comparing(id).thenComparingLong(time))
        .limit(limit)
        .toList();
  }

  static Attribute label(String key, String value) {
    return new Attribute(key, AnyValue.of(value));
  }
}
