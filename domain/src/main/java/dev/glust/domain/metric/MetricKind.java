package dev.glust.domain.metric;

import java.util.Optional;

/**
 * The kinds of OTLP metric data, with the codes stored for them (the order of OTLP's {@code
 * Metric.data} one-of).
 */
public enum MetricKind {
  GAUGE(1, "gauge"),
  SUM(2, "sum"),
  HISTOGRAM(3, "histogram"),
  EXPONENTIAL_HISTOGRAM(4, "exponential_histogram"),
  SUMMARY(5, "summary");

  private final int code;
  private final String label;

  MetricKind(int code, String label) {
    this.code = code;
    this.label = label;
  }

  public int code() {
    return code;
  }

  /** The lower-case name used in APIs and documentation, e.g. {@code exponential_histogram}. */
  public String label() {
    return label;
  }

  public static MetricKind fromCode(int code) {
    for (MetricKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    throw new IllegalArgumentException("no metric kind has code " + code);
  }

  public static Optional<MetricKind> fromLabel(String label) {
    for (MetricKind kind : values()) {
      if (kind.label.equals(label)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
