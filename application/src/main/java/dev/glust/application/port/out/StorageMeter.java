package dev.glust.application.port.out;

import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A figure of a storage adapter that bootstrap publishes as a metric, read when scraped: the
 * adapter names and describes it, and stays free of any metrics library.
 *
 * @param counter true: a count that only grows (a counter); false: a value now (a gauge)
 */
public record StorageMeter(
    String name,
    String description,
    Map<String, String> tags,
    boolean counter,
    DoubleSupplier value) {
  public StorageMeter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(value, "value");
  }

  public static StorageMeter counter(String name, String description, DoubleSupplier value) {
    return new StorageMeter(name, description, Map.of(), true, value);
  }

  public static StorageMeter gauge(
      String name, String description, Map<String, String> tags, DoubleSupplier value) {
    return new StorageMeter(name, description, tags, false, value);
  }
}
