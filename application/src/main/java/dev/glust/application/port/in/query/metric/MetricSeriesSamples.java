package dev.glust.application.port.in.query.metric;

import dev.glust.application.port.model.MetricExemplar;
import dev.glust.application.port.model.MetricSeries;
import dev.glust.domain.metric.Histogram;
import java.util.List;
import java.util.Objects;

/**
 * A series with its raw points in time order: {@code numbers} for gauges and sums, {@code
 * histograms} for either histogram layout (the other list is empty).
 */
public record MetricSeriesSamples(
    MetricSeries series, List<NumberSample> numbers, List<HistogramSample> histograms) {
  public MetricSeriesSamples {
    Objects.requireNonNull(series, "series");
    numbers = List.copyOf(numbers);
    histograms = List.copyOf(histograms);
  }

  /** A gauge or sum point; {@code startTimeUnixNano} 0: none. */
  public record NumberSample(
      long timeUnixNano, long startTimeUnixNano, double value, List<MetricExemplar> exemplars) {
    public NumberSample {
      exemplars = List.copyOf(exemplars);
    }
  }

  /** A histogram point of either layout. */
  public record HistogramSample(
      long timeUnixNano, long startTimeUnixNano, Histogram value, List<MetricExemplar> exemplars) {
    public HistogramSample {
      Objects.requireNonNull(value, "value");
      exemplars = List.copyOf(exemplars);
    }
  }
}
