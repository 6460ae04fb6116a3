package dev.glust.application.port.model.spanset;

import dev.glust.domain.trace.Span;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a span condition may ask about the span's trace: its root span's name and service (absent
 * when no span of the trace is without parent) and its duration (first start to last end).
 */
public record TraceFacts(
    Optional<String> rootName, Optional<String> rootServiceName, long durationNanos) {

  /** The facts of a trace, from all of its spans. */
  public static TraceFacts of(List<Span> wholeTrace) {
    Optional<Span> root =
        wholeTrace.stream()
            .filter(Span::isRoot)
            .min(Comparator.comparingLong(Span::startTimeUnixNano));
    long start = wholeTrace.stream().mapToLong(Span::startTimeUnixNano).min().orElse(0);
    long end = wholeTrace.stream().mapToLong(Span::endTimeUnixNano).max().orElse(0);
    return new TraceFacts(root.map(Span::name), root.map(Span::serviceName), end - start);
  }
}
