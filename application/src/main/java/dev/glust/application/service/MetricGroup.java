package dev.glust.application.service;

import dev.glust.application.port.in.query.metric.MetricAggregation;
import dev.glust.application.port.in.query.metric.MetricQueryResult;
import dev.glust.application.port.model.MetricExemplar;
import dev.glust.domain.metric.Histogram;
import dev.glust.domain.metric.MergedHistograms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One output series of a metric query while it is computed: what its input series contributed to
 * each time bucket (sparse: only buckets that got something), and their exemplars.
 */
final class MetricGroup {
  /** Exemplars kept per output series: enough dots for a chart, bounded for the response. */
  static final int MAX_EXEMPLARS = 100;

  private static final double NANOS_PER_SECOND = 1e9;

  private final TreeMap<Integer, NumberWindow> numbers = new TreeMap<>();
  private final TreeMap<Integer, HistogramWindow> histograms = new TreeMap<>();
  private final List<MetricExemplar> exemplars = new ArrayList<>();
  private int seriesCount;

  void countSeries() {
    seriesCount++;
  }

  void addNumber(int bucket, double value) {
    numbers.computeIfAbsent(bucket, b -> new NumberWindow()).add(value);
  }

  void addHistogram(int bucket, Histogram histogram) {
    histograms.computeIfAbsent(bucket, b -> new HistogramWindow()).add(histogram);
  }

  void addExemplars(List<MetricExemplar> more) {
    exemplars.addAll(more);
  }

  MetricQueryResult.Series toSeries(
      Map<String, String> labels, MetricAggregation aggregation, long alignedStart, long step) {
    double stepSeconds = step / NANOS_PER_SECOND;
    List<MetricQueryResult.Point> points = new ArrayList<>();
    numbers.forEach(
        (bucket, w) ->
            addIfFinite(points, alignedStart + bucket * step, w.value(aggregation, stepSeconds)));
    histograms.forEach(
        (bucket, w) ->
            addIfFinite(points, alignedStart + bucket * step, w.value(aggregation, stepSeconds)));
    return new MetricQueryResult.Series(labels, seriesCount, points, sampledExemplars());
  }

  private static void addIfFinite(List<MetricQueryResult.Point> points, long start, double value) {
    if (Double.isFinite(value)) {
      points.add(new MetricQueryResult.Point(start, value));
    }
  }

  /** Over the limit, evenly spaced ones in time order (those with a trace first would cluster). */
  private List<MetricExemplar> sampledExemplars() {
    exemplars.sort(Comparator.comparingLong(MetricExemplar::timeUnixNano));
    if (exemplars.size() <= MAX_EXEMPLARS) {
      return exemplars;
    }
    List<MetricExemplar> out = new ArrayList<>(MAX_EXEMPLARS);
    for (int i = 0; i < MAX_EXEMPLARS; i++) {
      out.add(exemplars.get((int) ((long) i * exemplars.size() / MAX_EXEMPLARS)));
    }
    return out;
  }

  /** Values of number points (or their increases, for rate) that fell into one bucket. */
  private static final class NumberWindow {
    private double sum;
    private long count;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    void add(double value) {
      sum += value;
      count++;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }

    double value(MetricAggregation aggregation, double stepSeconds) {
      return switch (aggregation.function()) {
        case AVG -> sum / count;
        case SUM -> sum;
        case MIN -> min;
        case MAX -> max;
        case COUNT -> count;
        case RATE -> sum / stepSeconds;
        case QUANTILE -> Double.NaN;
      };
    }
  }

  /** Observations counted in one bucket: their number, their sum, their bucket counts. */
  private static final class HistogramWindow {
    private final MergedHistograms merged = new MergedHistograms();

    void add(Histogram histogram) {
      merged.add(histogram);
    }

    double value(MetricAggregation aggregation, double stepSeconds) {
      long count = merged.count();
      double sum = merged.sum();
      return switch (aggregation.function()) {
        case COUNT -> count;
        case RATE -> count / stepSeconds;
        case SUM -> sum;
        case AVG -> count == 0 ? Double.NaN : sum / count;
        case QUANTILE -> merged.quantile(aggregation.quantile());
        case MIN, MAX -> Double.NaN;
      };
    }
  }
}
