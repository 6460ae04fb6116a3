package dev.glust.adapter.query.prometheus;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a Prometheus API request, from the query string and a form-encoded body alike
 * (Grafana POSTs its queries); times as Prometheus reads them: unix seconds (with a fraction) or
 * RFC 3339; steps as seconds or durations ({@code 15s}, {@code 1m}).
 */
final class PromParameters {
  private final Map<String, List<String>> values = new LinkedHashMap<>();

  PromParameters(Map<String, List<String>> queryString, String formBody) {
    queryString.forEach(
        (name, list) -> values.computeIfAbsent(name, k -> new ArrayList<>()).addAll(list));
    if (formBody != null && !formBody.isEmpty()) {
      for (String pair : formBody.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
    }
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new PromQueryException("invalid form encoding: " + e.getMessage());
    }
  }

  Optional<String> text(String name) {
    return values.getOrDefault(name, List.of()).stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .findFirst();
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of()).stream().filter(s -> !s.isBlank()).toList();
  }

  String required(String name) {
    return text(name)
        .orElseThrow(() -> new PromQueryException("missing parameter \"" + name + "\""));
  }

  Optional<Long> time(String name) {
    return text(name).map(value -> parseTime(name, value));
  }

  static long parseTime(String name, String value) {
    Optional<Long> nanos = secondsAsNanos(value);
    if (nanos.isPresent()) {
      return nanos.get();
    }
    try {
      Instant t = OffsetDateTime.parse(value).toInstant();
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new PromQueryException(
          "invalid parameter \""
              + name
              + "\": cannot parse \""
              + value
              + "\" to a valid timestamp");
    }
  }

  /**
   * Seconds with a fraction as nanoseconds; empty when not a number in the long range (exponents
   * are bounded first: rounding 1e-999999999 would take BigDecimal ages).
   */
  private static Optional<Long> secondsAsNanos(String value) {
    try {
      BigDecimal seconds = new BigDecimal(value);
      if (Math.abs(seconds.scale()) > 40) {
        return Optional.empty();
      }
      return Optional.of(
          seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** A step or duration: seconds (with a fraction) or a Prometheus duration. */
  long duration(String name) {
    String value = required(name);
    Optional<Long> nanos = secondsAsNanos(value);
    if (nanos.isPresent()) {
      return nanos.get();
    }
    try {
      return PromDurations.parse(value, 0);
    } catch (PromQueryException e) {
      throw new PromQueryException(
          "invalid parameter \"" + name + "\": cannot parse \"" + value + "\" to a valid duration");
    }
  }
}
