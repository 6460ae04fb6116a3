package dev.glust.adapter.query.prometheus;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pieces of Prometheus' JSON answers: the envelope, times and sample values. */
final class PromJson {
  private PromJson() {}

  static Map<String, Object> success(Object data) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", "success");
    out.put("data", data);
    return out;
  }

  static Map<String, Object> error(String errorType, String message) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", "error");
    out.put("errorType", errorType);
    out.put("error", message);
    return out;
  }

  /**
   * A sample value as Prometheus writes it, a string: the shortest decimal without exponent, {@code
   * NaN}, {@code +Inf}, {@code -Inf} (also the text of {@code le} bounds).
   */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == 0) {
      return "0";
    }
    return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
  }

  /** A time as unix seconds with millisecond precision, a JSON number without exponent. */
  static BigDecimal time(long unixNano) {
    BigDecimal seconds = BigDecimal.valueOf(Math.floorDiv(unixNano, 1_000_000L), 3);
    BigDecimal stripped = seconds.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** {@code [time, "value"]}. */
  static List<Object> sample(long unixNano, double value) {
    return List.of(time(unixNano), number(value));
  }

  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }
}
