package dev.glust.application.port.model;

import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Log records matching every given criterion within the time range; {@code text} is a
 * case-insensitive substring of the body.
 */
public record LogSearch(
    Optional<String> service,
    int minSeverity,
    Optional<String> text,
    Optional<TraceId> traceId,
    Optional<SpanId> spanId,
    Map<String, String> attributes,
    TimeRange range,
    PageRequest page) {
  public LogSearch {
    if (minSeverity < 0 || minSeverity > 24) {
      throw new InvalidQueryException("minSeverity", "must be a severity number 0..24 or name");
    }
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(page, "page");
  }
}
