package dev.glust.application.port.model.spanset;

import dev.glust.application.port.model.TraceSummary;
import dev.glust.domain.trace.Span;
import java.util.List;
import java.util.Objects;

/** A trace that matched a spanset search, with its matched spans, oldest first. */
public record SpansetMatch(TraceSummary trace, List<Span> spans) {
  public SpansetMatch {
    Objects.requireNonNull(trace, "trace");
    spans = List.copyOf(spans);
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("a match has at least one span");
    }
  }

  /** When the newest matched span started: what orders the answer. */
  public long matchedAtUnixNano() {
    return spans.get(spans.size() - 1).startTimeUnixNano();
  }
}
