package dev.glust.bootstrap;

import dev.glust.bootstrap.logging.PackageLogLevels;
import io.micronaut.core.convert.ConversionService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What one setting accepts, as a check and as the words a refusal (and --help) shows. Durations are
 * read by Micronaut's converter, as the beans read them: {@code 10ms}, {@code 5s}, {@code 10m},
 * {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT1H}).
 */
record Allowed(String description, Predicate<String> accepts) {

  static Allowed text() {
    return new Allowed("any text", value -> true);
  }

  static Allowed nonBlank() {
    return new Allowed("a non-empty text", value -> !value.isBlank());
  }

  static Allowed integer(long min, long max) {
    String range =
        max == Integer.MAX_VALUE || max == Long.MAX_VALUE
            ? "a whole number, at least " + min
            : "a whole number from " + min + " to " + max;
    return new Allowed(
        range,
        value -> {
          try {
            long number = Long.parseLong(value.strip());
            return number >= min && number <= max;
          } catch (NumberFormatException e) {
            return false;
          }
        });
  }

  static Allowed port() {
    return new Allowed("a port from 0 (any free port) to 65535", integer(0, 65535).accepts());
  }

  static Allowed decimal(double min, double max) {
    String range =
        max == Double.MAX_VALUE
            ? "a number, at least " + min
            : "a number from " + min + " to " + max;
    return new Allowed(
        range,
        value -> {
          try {
            double number = Double.parseDouble(value.strip());
            return number >= min && number <= max;
          } catch (NumberFormatException e) {
            return false;
          }
        });
  }

  static Allowed bool() {
    return oneOf("true", "false");
  }

  /** One of the words, in lower case. */
  static Allowed oneOf(String... words) {
    List<String> allowed = List.of(words);
    return new Allowed(
        "one of " + String.join(", ", allowed), value -> allowed.contains(value.strip()));
  }

  /** A duration of at least {@code min}. */
  static Allowed duration(Duration min) {
    return new Allowed(
        "a duration of at least " + words(min) + " (e.g. 500ms, 30s, 10m, 1h, 7d)",
        value -> parseDuration(value).filter(d -> d.compareTo(min) >= 0).isPresent());
  }

  /** A duration of at least {@code min}, or empty. */
  static Allowed durationOrEmpty(Duration min) {
    Allowed duration = duration(min);
    return new Allowed(
        "empty, or " + duration.description(),
        value -> value.isBlank() || duration.accepts().test(value));
  }

  static Allowed wholeHours() {
    return new Allowed(
        "a whole number of hours, at least 1h (e.g. 1h, 6h, 1d)",
        value ->
            parseDuration(value)
                .filter(d -> d.compareTo(Duration.ofHours(1)) >= 0)
                .filter(d -> d.toSecondsPart() == 0 && d.toMinutesPart() == 0 && d.getNano() == 0)
                .isPresent());
  }

  static Allowed jdbcUrlOrEmpty() {
    return new Allowed(
        "empty (embedded PostgreSQL), or a jdbc:postgresql: URL",
        value -> value.isBlank() || value.strip().startsWith("jdbc:postgresql:"));
  }

  static Allowed readableFileOrEmpty() {
    return new Allowed(
        "empty, or a readable file", value -> value.isBlank() || Files.isReadable(Path.of(value)));
  }

  static Allowed logLevel() {
    return new Allowed(
        "one of trace, debug, info, warn, error, off",
        value -> PackageLogLevels.level(value) != null);
  }

  static Allowed logLevels() {
    return new Allowed(
        "logger=level pairs separated by commas (e.g. dev.glust.adapter.postgres=debug)",
        value -> {
          try {
            PackageLogLevels.parse(value);
            return true;
          } catch (IllegalArgumentException e) {
            return false;
          }
        });
  }

  private static Optional<Duration> parseDuration(String value) {
    try {
      return ConversionService.SHARED.convert(value.strip(), Duration.class);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String words(Duration duration) {
    long seconds = duration.toSeconds();
    if (duration.toMillis() % 1000 != 0) {
      return duration.toMillis() + "ms";
    }
    return seconds > 0 && seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds + "s";
  }
}
