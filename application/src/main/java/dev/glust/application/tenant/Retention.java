package dev.glust.application.tenant;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long one tenant's records of each signal are kept; empty: the global setting
 * (GLUST_RETENTION, GLUST_SPANS_RETENTION, …).
 */
public record Retention(
    Optional<Duration> traces, Optional<Duration> logs, Optional<Duration> metrics) {
  public static final Retention GLOBAL =
      new Retention(Optional.empty(), Optional.empty(), Optional.empty());

  public Retention {
    traces = positive(traces, "traces");
    logs = positive(logs, "logs");
    metrics = positive(metrics, "metrics");
  }

  private static Optional<Duration> positive(Optional<Duration> retention, String signal) {
    Objects.requireNonNull(retention, signal);
    retention.ifPresent(
        kept -> {
          if (kept.isNegative() || kept.isZero()) {
            throw new IllegalArgumentException(
                "retention of " + signal + " must be positive, not " + kept);
          }
        });
    return retention;
  }

  public boolean isGlobal() {
    return equals(GLOBAL);
  }
}
