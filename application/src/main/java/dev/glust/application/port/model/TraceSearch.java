package dev.glust.application.port.model;

import dev.glust.domain.common.TimeRange;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Traces that have at least one span matching every given criterion within the time range. {@code
 * attributes} match a span's or its resource's attribute by the value's text ({@code 500} matches
 * the int 500 and the string "500").
 */
public record TraceSearch(
    Optional<String> service,
    Optional<String> operation,
    Optional<Long> minDurationNanos,
    Optional<Long> maxDurationNanos,
    boolean errorsOnly,
    Map<String, String> attributes,
    TimeRange range,
    PageRequest page) {
  public TraceSearch {
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(page, "page");
    if (minDurationNanos.isPresent()
        && maxDurationNanos.isPresent()
        && minDurationNanos.get() > maxDurationNanos.get()) {
      throw new InvalidQueryException("minDuration", "must not exceed maxDuration");
    }
  }
}
