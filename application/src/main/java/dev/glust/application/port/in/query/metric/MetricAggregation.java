package dev.glust.application.port.in.query.metric;

import dev.glust.application.port.model.InvalidQueryException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * What one time bucket of a metric query reports: {@code avg|sum|min|max|count|rate} or a quantile
 * {@code pNN} ({@code p50}, {@code p99.9}: 0 < NN < 100) of histogram metrics.
 */
public record MetricAggregation(Function function, double quantile) {
  public enum Function {
    AVG,
    SUM,
    MIN,
    MAX,
    COUNT,
    RATE,
    QUANTILE
  }

  public MetricAggregation {
    Objects.requireNonNull(function, "function");
    if (function == Function.QUANTILE ? !(quantile > 0 && quantile < 1) : quantile != 0) {
      throw new InvalidQueryException("agg", "a quantile is between p0 and p100, exclusive");
    }
  }

  public static MetricAggregation of(Function function) {
    return new MetricAggregation(function, 0);
  }

  public static MetricAggregation parse(String text) {
    String name = text.trim().toLowerCase(Locale.ROOT);
    if (name.startsWith("p") && name.length() > 1) {
      try {
        double percent = new BigDecimal(name.substring(1)).doubleValue();
        return new MetricAggregation(Function.QUANTILE, percent / 100);
      } catch (NumberFormatException e) {
        throw unknown(text);
      }
    }
    for (Function f : Function.values()) {
      if (f != Function.QUANTILE && f.name().toLowerCase(Locale.ROOT).equals(name)) {
        return of(f);
      }
    }
    throw unknown(text);
  }

  private static InvalidQueryException unknown(String text) {
    return new InvalidQueryException(
        "agg", "expected avg, sum, min, max, count, rate or a quantile like p95, got " + text);
  }

  /** The name as the API takes it back: {@code rate}, {@code p95}, {@code p99.9}. */
  public String label() {
    if (function != Function.QUANTILE) {
      return function.name().toLowerCase(Locale.ROOT);
    }
    return "p" + BigDecimal.valueOf(quantile * 100).stripTrailingZeros().toPlainString();
  }
}
