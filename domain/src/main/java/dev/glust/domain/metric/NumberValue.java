package dev.glust.domain.metric;

import dev.glust.domain.common.InvalidTelemetryException;

/**
 * The value of a gauge or sum point: OTLP's {@code as_int} (a {@link Long}) or {@code as_double} (a
 * {@link Double}), kept apart as sent.
 */
public record NumberValue(Number value) implements PointValue {
  public NumberValue {
    requireLongOrDouble(value, "a number data point");
  }

  public static NumberValue of(long value) {
    return new NumberValue(value);
  }

  public static NumberValue of(double value) {
    return new NumberValue(value);
  }

  public boolean isDouble() {
    return value instanceof Double;
  }

  @Override
  public boolean fits(MetricKind kind) {
    return kind == MetricKind.GAUGE || kind == MetricKind.SUM;
  }

  @Override
  public String describe() {
    return "number value";
  }

  /** OTLP's value one-of: as_int or as_double, nothing else (and not unset). */
  static void requireLongOrDouble(Number value, String of) {
    if (!(value instanceof Long) && !(value instanceof Double)) {
      throw new InvalidTelemetryException(of + " needs an int or double value");
    }
  }
}
