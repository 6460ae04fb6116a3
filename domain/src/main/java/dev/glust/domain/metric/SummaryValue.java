package dev.glust.domain.metric;

import dev.glust.domain.common.InvalidTelemetryException;
import java.util.List;

/**
 * A summary point (a legacy kind, from Prometheus and older SDKs): count, sum and precomputed
 * quantiles. No exemplars.
 */
public record SummaryValue(long count, double sum, List<Quantile> quantiles) implements PointValue {

  public SummaryValue {
    Counts.requireNotNegative(count, "count");
    quantiles = List.copyOf(quantiles);
  }

  /** The value below which the fraction {@code quantile} (0 to 1) of the values lies. */
  public record Quantile(double quantile, double value) {
    public Quantile {
      if (!(quantile >= 0 && quantile <= 1)) {
        throw new InvalidTelemetryException("a quantile must be between 0 and 1: " + quantile);
      }
    }
  }

  @Override
  public boolean fits(MetricKind kind) {
    return kind == MetricKind.SUMMARY;
  }

  @Override
  public String describe() {
    return "summary value";
  }
}
