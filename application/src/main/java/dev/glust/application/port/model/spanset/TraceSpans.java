package dev.glust.application.port.model.spanset;

import dev.glust.domain.common.SpanId;
import dev.glust.domain.trace.Span;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One trace as a spanset query sees it: the spans that may match (those starting in the searched
 * range), every span of the trace for structure (parents), and the trace's facts.
 */
public final class TraceSpans {
  private final List<Span> candidates;
  private final Map<SpanId, Span> byId = new HashMap<>();
  private final TraceFacts facts;

  public TraceSpans(List<Span> wholeTrace, List<Span> candidates) {
    this.candidates = List.copyOf(candidates);
    for (Span span : wholeTrace) {
      byId.putIfAbsent(span.spanId(), span);
    }
    this.facts = TraceFacts.of(wholeTrace);
  }

  public List<Span> candidates() {
    return candidates;
  }

  public TraceFacts facts() {
    return facts;
  }

  /** The span's parent, when it is stored. */
  public Optional<Span> parentOf(Span span) {
    return span.isRoot() || span.parentSpanId().equals(span.spanId())
        ? Optional.empty()
        : Optional.ofNullable(byId.get(span.parentSpanId()));
  }
}
