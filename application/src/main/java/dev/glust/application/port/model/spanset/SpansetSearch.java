package dev.glust.application.port.model.spanset;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.TraceSummary;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.trace.Span;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The traces whose spans starting in {@code range} match {@code query}: at most {@code limit},
 * those whose newest matched span started last first (ties: the greater trace id first).
 */
public record SpansetSearch(SpansetQuery query, TimeRange range, int limit) {
  public SpansetSearch {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(range, "range");
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw new InvalidQueryException("limit", "must be between 1 and " + PageRequest.MAX_LIMIT);
    }
  }

  /** Whether the trace matches, judged from all of its spans; how storage adapters decide. */
  public Optional<SpansetMatch> match(List<Span> wholeTrace) {
    if (wholeTrace.isEmpty()) {
      return Optional.empty();
    }
    List<Span> inRange =
        wholeTrace.stream()
            .filter(
                s ->
                    s.startTimeUnixNano() >= range.startUnixNano()
                        && s.startTimeUnixNano() <= range.endUnixNano())
            .toList();
    if (inRange.isEmpty()) {
      return Optional.empty();
    }
    List<Span> matched =
        query.matches(new TraceSpans(wholeTrace, inRange)).stream()
            .sorted(Comparator.comparingLong(Span::startTimeUnixNano))
            .toList();
    if (matched.isEmpty()) {
      return Optional.empty();
    }
    TraceId id = wholeTrace.get(0).traceId();
    return Optional.of(new SpansetMatch(TraceSummary.of(id, wholeTrace), matched));
  }

  /** The order of the answer: newest matched span first, then the greater trace id. */
  public static final Comparator<SpansetMatch> NEWEST_FIRST =
      Comparator.comparingLong(SpansetMatch::matchedAtUnixNano)
          .thenComparing(m -> m.trace().traceId().toString())
          .reversed();
}
