package dev.glust.domain.trace;

import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.Text;
import java.util.Objects;

/** Something that happened at one instant during a span (e.g. an exception). */
public record SpanEvent(long timeUnixNano, String name, Attributes attributes) {
  public SpanEvent {
    name = Text.clean(name);
    attributes = Objects.requireNonNullElse(attributes, Attributes.EMPTY);
  }
}
