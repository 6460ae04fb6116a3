package dev.glust.adapter.query.prometheus;

import dev.glust.adapter.query.prometheus.Expr.MatchOp;
import dev.glust.adapter.query.prometheus.Expr.Matcher;
import dev.glust.adapter.query.prometheus.Expr.VectorSelector;
import dev.glust.adapter.query.prometheus.PromNames.Family;
import dev.glust.application.port.in.query.metric.ListMetricSeriesQuery;
import dev.glust.application.port.in.query.metric.ListMetricsQuery;
import dev.glust.application.port.in.query.metric.LoadMetricSamplesQuery;
import dev.glust.application.port.in.query.metric.MetricSeriesSamples;
import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stored metrics of one tenant as Prometheus series, for one request: the catalog names the
 * metrics whose translated names a selector's {@code __name__} matchers accept, their series are
 * read with their points (the service pushed down when {@code service_name} or {@code job} is
 * matched exactly), translated ({@link OtelToProm}), and the other matchers applied to the labels.
 */
final class StoredSeries implements SeriesSource {
  /** Series one query may hold, over all its selectors (each metric has its own bound too). */
  static final int MAX_SERIES = 20_000;

  /** Labels that never come from a point attribute (OtelToProm sets them after those). */
  private static final Set<String> NOT_ATTRIBUTES =
      Set.of(
          Labels.NAME,
          OtelToProm.LE,
          "job",
          "instance",
          "service_name",
          "otel_scope_name",
          "otel_scope_version");

  private final TenantId tenant;
  private final ListMetricsQuery catalog;
  private final ListMetricSeriesQuery series;
  private final LoadMetricSamplesQuery samples;
  private final Map<TimeRange, List<MetricSummary>> catalogs = new HashMap<>();
  private int seriesRead;

  StoredSeries(
      TenantId tenant,
      ListMetricsQuery catalog,
      ListMetricSeriesQuery series,
      LoadMetricSamplesQuery samples) {
    this.tenant = tenant;
    this.catalog = catalog;
    this.series = series;
    this.samples = samples;
  }

  @Override
  public List<MetricSummary> metrics(long fromUnixNano, long toUnixNano) {
    return catalogs.computeIfAbsent(
        new TimeRange(fromUnixNano, toUnixNano),
        range -> catalog.listMetrics(tenant, Optional.empty(), range));
  }

  @Override
  public List<PromSeries> select(VectorSelector selector, long fromUnixNano, long toUnixNano) {
    List<PromSeries> out = new ArrayList<>();
    wanted(selector, fromUnixNano, toUnixNano)
        .forEach(
            (metric, families) ->
                out.addAll(withSamples(selector, metric, families, fromUnixNano, toUnixNano)));
    return out;
  }

  /**
   * Label sets from the series catalog alone where the labels do not depend on the points; the
   * {@code _bucket} series of histograms do (their {@code le} bounds come from the points), so
   * those are read with their points and kept when they have any in the range.
   */
  @Override
  public List<Labels> labelSets(VectorSelector selector, long fromUnixNano, long toUnixNano) {
    List<Labels> out = new ArrayList<>();
    wanted(selector, fromUnixNano, toUnixNano)
        .forEach(
            (metric, families) -> {
              List<Family> buckets =
                  families.stream().filter(f -> f.part() == PromNames.Part.BUCKET).toList();
              List<Family> others =
                  families.stream().filter(f -> f.part() != PromNames.Part.BUCKET).toList();
              if (!others.isEmpty()) {
                List<MetricSeries> series =
                    this.series
                        .listMetricSeries(
                            tenant, search(selector, metric, fromUnixNano, toUnixNano))
                        .orElse(List.of());
                count(series.size());
                for (MetricSeries s : series) {
                  Labels labels = OtelToProm.labels(s);
                  for (Family family : others) {
                    Labels named = labels.with(Labels.NAME, family.name());
                    if (matches(selector, named)) {
                      out.add(named);
                    }
                  }
                }
              }
              if (!buckets.isEmpty()) {
                for (PromSeries s :
                    withSamples(selector, metric, buckets, fromUnixNano, toUnixNano)) {
                  if (s.size() > 0) {
                    out.add(s.labels());
                  }
                }
              }
            });
    return out;
  }

  /** The metrics, with their families, whose names the selector's name matchers accept. */
  private Map<MetricSummary, List<Family>> wanted(
      VectorSelector selector, long fromUnixNano, long toUnixNano) {
    Map<MetricSummary, List<Family>> wanted = new LinkedHashMap<>();
    for (MetricSummary metric : metrics(fromUnixNano, toUnixNano)) {
      for (Family family : PromNames.families(metric)) {
        if (matchesName(selector, family.name())) {
          wanted.computeIfAbsent(metric, m -> new ArrayList<>()).add(family);
        }
      }
    }
    return wanted;
  }

  private MetricSeriesSearch search(
      VectorSelector selector, MetricSummary metric, long fromUnixNano, long toUnixNano) {
    return new MetricSeriesSearch(
        metric.name(),
        Optional.of(metric.kind()),
        service(selector),
        attributes(selector, metric),
        new TimeRange(fromUnixNano, toUnixNano),
        MetricSeriesSearch.MAX_LIMIT);
  }

  private List<PromSeries> withSamples(
      VectorSelector selector,
      MetricSummary metric,
      List<Family> families,
      long fromUnixNano,
      long toUnixNano) {
    List<MetricSeriesSamples> loaded =
        samples.loadMetricSamples(tenant, search(selector, metric, fromUnixNano, toUnixNano));
    count(loaded.size());
    List<PromSeries> out = new ArrayList<>();
    for (MetricSeriesSamples s : loaded) {
      for (PromSeries series : OtelToProm.convert(s, families)) {
        if (matches(selector, series.labels())) {
          out.add(series);
        }
      }
    }
    return out;
  }

  private void count(int series) {
    seriesRead += series;
    if (seriesRead > MAX_SERIES) {
      throw new PromQueryException(
          "the query reads more than "
              + MAX_SERIES
              + " series; narrow its selectors or its time range");
    }
  }

  private static boolean matchesName(VectorSelector selector, String name) {
    return selector.matchers().stream()
        .filter(m -> m.label().equals(Labels.NAME))
        .allMatch(m -> m.matches(name));
  }

  static boolean matches(VectorSelector selector, Labels labels) {
    return selector.matchers().stream().allMatch(m -> m.matches(labels.get(m.label())));
  }

  /**
   * The exact matchers on labels that come from one point attribute of the metric (its catalog
   * entry lists their keys), as attribute filters the storage applies with its index; the other
   * matchers are applied to the translated labels only.
   */
  private static Map<String, String> attributes(VectorSelector selector, MetricSummary metric) {
    Map<String, String> out = new HashMap<>();
    for (Matcher m : selector.matchers()) {
      if (m.op() != MatchOp.EQUAL || m.value().isEmpty() || NOT_ATTRIBUTES.contains(m.label())) {
        continue;
      }
      List<String> keys =
          metric.labelKeys().stream()
              .filter(k -> PromNames.labelName(k).equals(m.label()))
              .toList();
      if (keys.size() == 1) {
        out.put(keys.get(0), m.value());
      }
    }
    return out;
  }

  /** The service an exact {@code service_name} or {@code job} (without namespace) names. */
  private static Optional<String> service(VectorSelector selector) {
    for (Matcher m : selector.matchers()) {
      if (m.op() == MatchOp.EQUAL
          && (m.label().equals("service_name")
              || (m.label().equals("job") && !m.value().contains("/")))) {
        return Optional.of(m.value());
      }
    }
    return Optional.empty();
  }
}
