package dev.glust.adapter.query;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import io.micronaut.http.HttpParameters;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads query-string parameters into domain values; anything unreadable is an {@link
 * InvalidQueryException} naming the parameter (answered 400), never a 500.
 */
final class QueryParameters {
  static final long DAY_NANOS = 24L * 3600 * 1_000_000_000L;
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
  private static final Pattern HEX_TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");

  private final HttpParameters parameters;

  QueryParameters(HttpParameters parameters) {
    this.parameters = parameters;
  }

  Optional<String> text(String name) {
    return parameters.getFirst(name).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** {@code attr.<key>=<value>} parameters. */
  Map<String, String> attributes() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : parameters.names()) {
      if (name.startsWith("attr.") && name.length() > 5) {
        out.put(name.substring(5), parameters.getFirst(name).orElse(""));
      }
    }
    return out;
  }

  /** RFC 3339 or unix nanoseconds. */
  Optional<Long> time(String name) {
    return text(name).map(value -> parseTime(name, value));
  }

  static long parseTime(String name, String value) {
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new InvalidQueryException(name, "unix nanoseconds out of range: " + value);
      }
    }
    try {
      Instant t = OffsetDateTime.parse(value).toInstant();
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InvalidQueryException(
          name, "expected RFC 3339 (2024-05-01T12:00:00Z) or unix nanoseconds, got " + value);
    }
  }

  /** {@code start}/{@code end}, by default the last 24 hours before {@code end}. */
  TimeRange range(long nowUnixNano, Optional<Long> pinnedEnd) {
    long end = pinnedEnd.orElseGet(() -> time("end").orElse(nowUnixNano));
    return ordered(time("start").orElse(end - DAY_NANOS), end);
  }

  /** {@code end} (default now) and {@code start}, by default {@code defaultStart} of the end. */
  TimeRange range(long nowUnixNano, LongUnaryOperator defaultStart) {
    long end = time("end").orElse(nowUnixNano);
    return ordered(time("start").orElse(defaultStart.applyAsLong(end)), end);
  }

  private static TimeRange ordered(long start, long end) {
    if (start > end) {
      throw new InvalidQueryException("start", "must not be after end");
    }
    return new TimeRange(start, end);
  }

  /** Go-style ({@code 150ms}, {@code 1.5s}, {@code 2m}) or a plain number of nanoseconds. */
  Optional<Long> duration(String name) {
    return text(name).map(value -> parseDuration(name, value));
  }

  static long parseDuration(String name, String value) {
    if (value.chars().allMatch(Character::isDigit)) {
      return parseLong(name, value);
    }
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new InvalidQueryException(
          name, "expected a duration like 150ms, 1.5s or 2m, got " + value);
    }
    long unit =
        switch (m.group(2)) {
          case "ns" -> 1L;
          case "us", "µs" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          default -> 3_600_000_000_000L;
        };
    try {
      return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValueExact();
    } catch (ArithmeticException e) {
      throw new InvalidQueryException(name, "duration out of range: " + value);
    }
  }

  /** The log filters shared by search, histogram and live tail. */
  LogSearch logSearch(TimeRange range, PageRequest page) {
    return new LogSearch(
        text("service"),
        severity("minSeverity"),
        text("q"),
        traceId("traceId"),
        spanId("spanId"),
        attributes(),
        range,
        page);
  }

  int limit() {
    return text("limit").map(v -> parseInt("limit", v)).orElse(PageRequest.DEFAULT_LIMIT);
  }

  /** A number 0..24 or a severity name (TRACE, DEBUG, INFO, WARN, ERROR, FATAL). */
  int severity(String name) {
    return text(name).map(v -> parseSeverity(name, v)).orElse(0);
  }

  private static int parseSeverity(String name, String value) {
    return switch (value.toUpperCase(Locale.ROOT)) {
      case "TRACE" -> 1;
      case "DEBUG" -> 5;
      case "INFO" -> 9;
      case "WARN", "WARNING" -> 13;
      case "ERROR" -> 17;
      case "FATAL" -> 21;
      default -> {
        int n;
        try {
          n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new InvalidQueryException(name, "unknown severity " + value);
        }
        if (n < 0 || n > 24) {
          throw new InvalidQueryException(name, "severity number must be 0..24");
        }
        yield n;
      }
    };
  }

  Optional<TraceId> traceId(String name) {
    return text(name).map(v -> parseTraceId(name, v));
  }

  static TraceId parseTraceId(String name, String value) {
    if (!HEX_TRACE_ID.matcher(value).matches()) {
      throw new InvalidQueryException(name, "a trace id is 32 hex characters");
    }
    try {
      return TraceId.fromHex(value);
    } catch (InvalidTelemetryException e) {
      throw new InvalidQueryException(name, e.getMessage());
    }
  }

  Optional<SpanId> spanId(String name) {
    return text(name)
        .map(
            v -> {
              try {
                return SpanId.fromHex(v);
              } catch (InvalidTelemetryException e) {
                throw new InvalidQueryException(name, "a span id is 16 hex characters, not zero");
              }
            });
  }

  static long parseLong(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(name, "not a number: " + value);
    }
  }

  static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(name, "not a number: " + value);
    }
  }
}
