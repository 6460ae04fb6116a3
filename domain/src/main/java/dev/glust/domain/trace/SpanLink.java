package dev.glust.domain.trace;

import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.Text;
import dev.glust.domain.common.TraceId;
import java.util.Objects;

/** A pointer from a span to a span of the same or another trace (e.g. a batch's producers). */
public record SpanLink(
    TraceId traceId, SpanId spanId, String traceState, int flags, Attributes attributes) {
  public SpanLink {
    Objects.requireNonNull(traceId, "link trace id");
    Objects.requireNonNull(spanId, "link span id");
    traceState = Text.clean(traceState);
    attributes = Objects.requireNonNullElse(attributes, Attributes.EMPTY);
  }
}
