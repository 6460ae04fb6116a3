package dev.glust.domain.metric;

import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import java.util.Objects;

/**
 * A measurement sampled into a data point, with the trace and span it was recorded in (both null
 * when it was recorded outside a sampled span): the link from a metric to a trace.
 *
 * @param value a {@link Long} (OTLP {@code as_int}) or a {@link Double} ({@code as_double})
 * @param filteredAttributes the measurement's attributes that its point's attributes left out
 */
public record Exemplar(
    long timeUnixNano,
    Number value,
    TraceId traceId,
    SpanId spanId,
    Attributes filteredAttributes) {

  public Exemplar {
    NumberValue.requireLongOrDouble(value, "an exemplar");
    filteredAttributes = Objects.requireNonNullElse(filteredAttributes, Attributes.EMPTY);
  }

  Exemplar withAttributes(Attributes attributes) {
    return new Exemplar(timeUnixNano, value, traceId, spanId, attributes);
  }
}
