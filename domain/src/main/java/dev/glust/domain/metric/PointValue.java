package dev.glust.domain.metric;

/** The value of a data point, of one of the metric kinds. */
public sealed interface PointValue
    permits NumberValue, HistogramValue, ExponentialHistogramValue, SummaryValue {

  /** Whether a metric of this kind can hold the value. */
  boolean fits(MetricKind kind);

  /** What the value is, for error messages. */
  String describe();
}
