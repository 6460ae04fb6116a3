package dev.glust.adapter.postgres;

import java.util.Locale;

/**
 * Whether span batches add up rate, errors and durations per operation and minute as they are
 * written (GLUST_SPAN_ROLLUPS; off only to measure what they cost: the rollup APIs then find
 * nothing new).
 */
public enum SpanRollups {
  ON,
  OFF;

  /**
   * @param setting {@code on} or {@code off}; {@code true} or {@code false} too, which is what a
   *     YAML settings file makes of an unquoted {@code on} and {@code off}
   */
  public static SpanRollups parse(String setting) {
    return switch (setting.strip().toLowerCase(Locale.ROOT)) {
      case "on", "true" -> ON;
      case "off", "false" -> OFF;
      default -> throw new IllegalArgumentException("span rollups are on or off: " + setting);
    };
  }
}
