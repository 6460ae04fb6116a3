package dev.glust.application.port.in.query.trace;

import dev.glust.domain.trace.Span;
import java.util.List;

/**
 * A span with its children, oldest first. {@code orphan} marks a span whose parent is not stored
 * (not sent yet, dropped by a sampler, or lost): it is shown at the root instead of vanishing.
 */
public record SpanNode(Span span, boolean orphan, List<SpanNode> children) {
  public SpanNode {
    children = List.copyOf(children);
  }
}
