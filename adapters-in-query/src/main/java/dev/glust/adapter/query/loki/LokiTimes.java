package dev.glust.adapter.query.loki;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loki's time and duration parameters. */
final class LokiTimes {
  static final long SECOND = 1_000_000_000L;

  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)");

  private LokiTimes() {}

  /**
   * A time as Loki takes it: unix nanoseconds (an integer of more than 10 digits), unix seconds
   * (with a fraction or not), or RFC 3339.
   */
  static long parseTime(String name, String value) {
    long time = parseAnyTime(name, value);
    if (time < 0) {
      // no log predates 1970; refusing it keeps every range arithmetic inside a long
      throw new LogQlException("invalid parameter \"" + name + "\": before 1970: " + value);
    }
    return time;
  }

  private static long parseAnyTime(String name, String value) {
    String v = value.strip();
    try {
      if (v.matches("-?\\d+")) {
        long n = Long.parseLong(v);
        // Loki's rule: a plain integer is nanoseconds, unless it is short enough to be seconds
        return v.length() > 10 ? n : Math.multiplyExact(n, SECOND);
      }
      if (v.matches("-?\\d*\\.\\d+|-?\\d+\\.\\d*")) {
        return new BigDecimal(v).movePointRight(9).longValueExact();
      }
      OffsetDateTime time = OffsetDateTime.parse(v);
      return Math.addExact(Math.multiplyExact(time.toEpochSecond(), SECOND), time.getNano());
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      throw new LogQlException(
          "invalid parameter \""
              + name
              + "\": cannot parse \""
              + value
              + "\" as unix nanoseconds, unix seconds or RFC 3339");
    }
  }

  /** {@code 5m}, {@code 1h30m}, {@code 250ms}, {@code 1d}: Prometheus-style, in nanoseconds. */
  static long parseDuration(String text) {
    Matcher m = DURATION_PART.matcher(text);
    long total = 0;
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new LogQlException("not a duration: " + text);
      }
      BigDecimal amount = new BigDecimal(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> SECOND;
            case "m" -> 60 * SECOND;
            case "h" -> 3600 * SECOND;
            case "d" -> 86_400 * SECOND;
            case "w" -> 7 * 86_400 * SECOND;
            default -> 365 * 86_400 * SECOND;
          };
      try {
        total =
            Math.addExact(
                total,
                amount
                    .multiply(BigDecimal.valueOf(unit))
                    .setScale(0, RoundingMode.DOWN)
                    .longValueExact());
      } catch (ArithmeticException e) {
        throw new LogQlException("duration out of range: " + text);
      }
      at = m.end();
    }
    if (total <= 0) {
      throw new LogQlException("a duration must be positive: " + text);
    }
    return total;
  }

  /** {@code step}: a duration ({@code 15s}, {@code 1000ms}) or a number of seconds. */
  static long parseStep(String value) {
    String v = value.strip();
    if (v.matches("\\d+(\\.\\d+)?")) {
      try {
        long nanos =
            new BigDecimal(v).movePointRight(9).setScale(0, RoundingMode.UP).longValueExact();
        if (nanos > 0) {
          return nanos;
        }
      } catch (ArithmeticException e) {
        // falls through to the refusal
      }
      throw new LogQlException("invalid parameter \"step\": must be positive: " + value);
    }
    try {
      return parseDuration(v);
    } catch (LogQlException e) {
      throw new LogQlException("invalid parameter \"step\": " + e.getMessage());
    }
  }
}
