package dev.glust.adapter.query.prometheus;

import dev.glust.adapter.query.prometheus.PromNames.Family;
import dev.glust.adapter.query.prometheus.PromNames.Part;
import dev.glust.adapter.query.prometheus.PromSeries.Exemplar;
import dev.glust.application.port.in.query.metric.MetricSeriesSamples;
import dev.glust.application.port.in.query.metric.MetricSeriesSamples.HistogramSample;
import dev.glust.application.port.in.query.metric.MetricSeriesSamples.NumberSample;
import dev.glust.application.port.model.MetricExemplar;
import dev.glust.application.port.model.MetricSeries;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.Histogram;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.metric.MetricKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One stored OpenTelemetry series as the Prometheus series its OTLP receiver would have made
 * (docs/api.md, "Prometheus API"):
 *
 * <ul>
 *   <li>labels: the point attributes (names translated, values as text; two keys meeting in one
 *       name join their values with {@code ;}), {@code job} ({@code service.namespace/}{@code
 *       service.name}), {@code instance} ({@code service.instance.id}), {@code service_name}, and
 *       {@code otel_scope_name}/{@code otel_scope_version};
 *   <li>gauges and sums: one series; a delta sum is summed up from the first point read, so that
 *       {@code rate} and {@code increase} apply to it as to a cumulative one;
 *   <li>histograms: {@code _bucket} series per upper bound {@code le} with cumulative counts (and
 *       {@code +Inf}), {@code _sum} and {@code _count}; exponential histograms get the bounds of
 *       their buckets at the series' coarsest scale in the range, so every point has the same
 *       {@code le} set; delta histograms are summed up like delta sums.
 * </ul>
 */
final class OtelToProm {
  static final String LE = "le";

  private OtelToProm() {}

  static Labels labels(MetricSeries series) {
    TreeMap<String, String> out = new TreeMap<>();
    TreeMap<String, String> byKey = new TreeMap<>();
    series.labels().entries().forEach(a -> byKey.put(a.key(), series.labelText(a.key())));
    for (Map.Entry<String, String> attribute : byKey.entrySet()) {
      String name = PromNames.labelName(attribute.getKey());
      if (!name.isEmpty()) {
        out.merge(name, attribute.getValue(), (a, b) -> a + ";" + b);
      }
    }
    String namespace = resourceText(series, "service.namespace");
    out.put(
        "job", namespace.isEmpty() ? series.serviceName() : namespace + "/" + series.serviceName());
    String instance = resourceText(series, "service.instance.id");
    if (!instance.isEmpty()) {
      out.put("instance", instance);
    }
    out.put("service_name", series.serviceName());
    if (!series.scopeName().isEmpty()) {
      out.put("otel_scope_name", series.scopeName());
    }
    if (!series.scopeVersion().isEmpty()) {
      out.put("otel_scope_version", series.scopeVersion());
    }
    return new Labels(out);
  }

  private static String resourceText(MetricSeries series, String key) {
    return series.resource().get(key).isPresent() ? series.labelText(key) : "";
  }

  /** The Prometheus series of {@code samples} for the wanted families (parts) of its metric. */
  static List<PromSeries> convert(MetricSeriesSamples samples, List<Family> families) {
    Labels labels = labels(samples.series());
    MetricKind kind = samples.series().kind();
    boolean delta = samples.series().temporality() == AggregationTemporality.DELTA;
    List<PromSeries> out = new ArrayList<>();
    if (kind == MetricKind.GAUGE || kind == MetricKind.SUM) {
      for (Family family : families) {
        out.add(numbers(labels.with(Labels.NAME, family.name()), samples.numbers(), delta));
      }
    } else if (kind == MetricKind.HISTOGRAM || kind == MetricKind.EXPONENTIAL_HISTOGRAM) {
      Map<Part, String> names = new LinkedHashMap<>();
      families.forEach(f -> names.put(f.part(), f.name()));
      out.addAll(histograms(labels, names, samples.histograms(), delta));
    }
    return out;
  }

  private static PromSeries numbers(Labels labels, List<NumberSample> samples, boolean delta) {
    PromSeries.Builder series = new PromSeries.Builder(labels);
    double total = 0;
    for (NumberSample s : samples) {
      total = delta ? total + s.value() : s.value();
      series.add(s.timeUnixNano(), total);
      s.exemplars().forEach(e -> series.addExemplar(exemplar(e)));
    }
    return series.build();
  }

  static Exemplar exemplar(MetricExemplar e) {
    Map<String, String> labels = new TreeMap<>();
    if (e.traceId() != null) {
      labels.put("trace_id", e.traceId().toHex());
    }
    if (e.spanId() != null) {
      labels.put("span_id", e.spanId().toHex());
    }
    return new Exemplar(Labels.of(labels), e.value(), e.timeUnixNano());
  }

  /** The upper bounds and cumulative counts of one histogram point (+Inf last). */
  private record Cumulative(List<Double> upperBounds, List<Double> counts) {}

  private static List<PromSeries> histograms(
      Labels labels, Map<Part, String> names, List<HistogramSample> samples, boolean delta) {
    ExponentialLayout layout = ExponentialLayout.of(samples);
    Map<String, PromSeries.Builder> buckets = new LinkedHashMap<>();
    PromSeries.Builder sums =
        names.containsKey(Part.SUM)
            ? new PromSeries.Builder(labels.with(Labels.NAME, names.get(Part.SUM)))
            : null;
    PromSeries.Builder counts =
        names.containsKey(Part.COUNT)
            ? new PromSeries.Builder(labels.with(Labels.NAME, names.get(Part.COUNT)))
            : null;
    Map<String, Double> bucketTotals = new HashMap<>();
    double countTotal = 0;
    double sumTotal = 0;
    for (HistogramSample s : samples) {
      long t = s.timeUnixNano();
      Histogram h = s.value();
      countTotal = delta ? countTotal + h.count() : h.count();
      if (counts != null) {
        counts.add(t, countTotal);
      }
      if (sums != null && h.sum().isPresent()) {
        sumTotal = delta ? sumTotal + h.sum().getAsDouble() : h.sum().getAsDouble();
        sums.add(t, sumTotal);
      }
      if (names.containsKey(Part.BUCKET)) {
        Cumulative c = cumulative(h, layout);
        for (int i = 0; i < c.upperBounds().size(); i++) {
          String le = PromJson.number(c.upperBounds().get(i));
          double count = c.counts().get(i);
          double value = delta ? bucketTotals.merge(le, count, Double::sum) : count;
          buckets
              .computeIfAbsent(
                  le,
                  k ->
                      new PromSeries.Builder(
                          labels.with(Labels.NAME, names.get(Part.BUCKET)).with(LE, k)))
              .add(t, value);
        }
        // an exemplar goes with the bucket whose range holds its value, as Prometheus keeps it
        for (MetricExemplar e : s.exemplars()) {
          int i = 0;
          while (i < c.upperBounds().size() - 1 && e.value() > c.upperBounds().get(i)) {
            i++;
          }
          buckets.get(PromJson.number(c.upperBounds().get(i))).addExemplar(exemplar(e));
        }
      }
    }
    List<PromSeries> out = new ArrayList<>();
    buckets.values().forEach(b -> out.add(b.build()));
    if (sums != null) {
      out.add(sums.build());
    }
    if (counts != null) {
      out.add(counts.build());
    }
    return out;
  }

  private static Cumulative cumulative(Histogram h, ExponentialLayout layout) {
    if (h instanceof HistogramValue explicit) {
      List<Double> bounds = new ArrayList<>(explicit.explicitBounds());
      List<Double> counts = new ArrayList<>();
      double running = 0;
      for (int i = 0; i < explicit.explicitBounds().size(); i++) {
        running += explicit.bucketCounts().get(i);
        counts.add(running);
      }
      bounds.add(Double.POSITIVE_INFINITY);
      counts.add((double) explicit.count());
      return new Cumulative(bounds, counts);
    }
    return layout.cumulative((ExponentialHistogramValue) h);
  }

  /**
   * The common bucket layout of a series' exponential histogram points: the coarsest scale among
   * them, and the bucket indexes any of them uses on either side at that scale.
   */
  private record ExponentialLayout(
      int scale,
      double zeroThreshold,
      int positiveLow,
      int positiveHigh,
      int negativeLow,
      int negativeHigh) {
    static ExponentialLayout of(List<HistogramSample> samples) {
      int scale = ExponentialHistogramValue.MAX_SCALE;
      double zero = 0;
      for (HistogramSample s : samples) {
        if (s.value() instanceof ExponentialHistogramValue e) {
          scale = Math.min(scale, e.scale());
          zero = Math.max(zero, e.zeroThreshold());
        }
      }
      int[] positive = {Integer.MAX_VALUE, Integer.MIN_VALUE};
      int[] negative = {Integer.MAX_VALUE, Integer.MIN_VALUE};
      for (HistogramSample s : samples) {
        if (s.value() instanceof ExponentialHistogramValue e) {
          widen(positive, downscaled(e.positive(), e.scale() - scale));
          widen(negative, downscaled(e.negative(), e.scale() - scale));
        }
      }
      return new ExponentialLayout(scale, zero, positive[0], positive[1], negative[0], negative[1]);
    }

    private static void widen(int[] range, TreeMap<Integer, Long> counts) {
      if (!counts.isEmpty()) {
        range[0] = Math.min(range[0], counts.firstKey());
        range[1] = Math.max(range[1], counts.lastKey());
      }
    }

    /** Bucket counts by index at a scale {@code shift} coarser, empty buckets left out. */
    private static TreeMap<Integer, Long> downscaled(
        dev.glust.domain.metric.Buckets buckets, int shift) {
      TreeMap<Integer, Long> out = new TreeMap<>();
      for (int i = 0; i < buckets.counts().size(); i++) {
        long count = buckets.counts().get(i);
        if (count > 0) {
          out.merge((buckets.offset() + i) >> shift, count, Long::sum);
        }
      }
      return out;
    }

    /** {@code base^index} at this layout's scale. */
    private double power(long index) {
      return scale >= 0
          ? Math.pow(2, index / (double) (1L << scale))
          : Math.pow(2, index * (double) (1L << -scale));
    }

    /**
     * Negative buckets from the most negative ({@code le = -base^i}), the zero bucket ({@code le =
     * zeroThreshold}), the lower edge of the first positive bucket, the positive buckets ({@code le
     * = base^(i+1)}), then +Inf.
     */
    Cumulative cumulative(ExponentialHistogramValue e) {
      List<Double> bounds = new ArrayList<>();
      List<Double> counts = new ArrayList<>();
      double running = 0;
      if (negativeLow <= negativeHigh) {
        TreeMap<Integer, Long> negative = downscaled(e.negative(), e.scale() - scale);
        for (int i = negativeHigh; i >= negativeLow; i--) {
          running += negative.getOrDefault(i, 0L);
          bounds.add(-power(i));
          counts.add(running);
        }
      }
      running += e.zeroCount();
      bounds.add(zeroThreshold);
      counts.add(running);
      if (positiveLow <= positiveHigh) {
        TreeMap<Integer, Long> positive = downscaled(e.positive(), e.scale() - scale);
        if (power(positiveLow) > zeroThreshold) {
          bounds.add(power(positiveLow));
          counts.add(running);
        }
        for (int i = positiveLow; i <= positiveHigh; i++) {
          running += positive.getOrDefault(i, 0L);
          bounds.add(power(i + 1L));
          counts.add(running);
        }
      }
      bounds.add(Double.POSITIVE_INFINITY);
      counts.add((double) e.count());
      return new Cumulative(bounds, counts);
    }
  }
}
