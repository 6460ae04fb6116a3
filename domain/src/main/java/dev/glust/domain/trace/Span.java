package dev.glust.domain.trace;

import dev.glust.domain.common.AttributeLimits;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.Text;
import dev.glust.domain.common.TraceId;
import java.util.List;
import java.util.Objects;

/**
 * One operation of a trace, identified by (trace id, span id). Times are unix nanoseconds, kept
 * exactly. {@code parentSpanId} is null for a root span.
 */
public record Span(
    TraceId traceId,
    SpanId spanId,
    String traceState,
    SpanId parentSpanId,
    int flags,
    String name,
    SpanKind kind,
    long startTimeUnixNano,
    long endTimeUnixNano,
    Attributes attributes,
    List<SpanEvent> events,
    int droppedEventsCount,
    List<SpanLink> links,
    int droppedLinksCount,
    SpanStatus status,
    Resource resource,
    InstrumentationScope scope) {

  public Span {
    Objects.requireNonNull(traceId, "trace id");
    Objects.requireNonNull(spanId, "span id");
    if (droppedEventsCount < 0 || droppedLinksCount < 0) {
      throw new InvalidTelemetryException("dropped counts must not be negative");
    }
    traceState = Text.clean(traceState);
    name = Text.clean(name);
    kind = Objects.requireNonNullElse(kind, SpanKind.UNSPECIFIED);
    attributes = Objects.requireNonNullElse(attributes, Attributes.EMPTY);
    events = List.copyOf(events);
    links = List.copyOf(links);
    status = Objects.requireNonNullElse(status, SpanStatus.UNSET);
    resource = Objects.requireNonNullElse(resource, Resource.EMPTY);
    scope = Objects.requireNonNullElse(scope, InstrumentationScope.EMPTY);
  }

  public String serviceName() {
    return resource.serviceName();
  }

  public boolean isRoot() {
    return parentSpanId == null;
  }

  /** This span with the attribute limits applied to it, its events and its links. */
  public Span limitedBy(AttributeLimits limits) {
    if (limits.allows(attributes)
        && events.stream().allMatch(e -> limits.allows(e.attributes()))
        && links.stream().allMatch(l -> limits.allows(l.attributes()))) {
      return this; // the common case on the hot path: nothing to cut, nothing to copy
    }
    return new Span(
        traceId,
        spanId,
        traceState,
        parentSpanId,
        flags,
        name,
        kind,
        startTimeUnixNano,
        endTimeUnixNano,
        limits.apply(attributes),
        events.stream()
            .map(e -> new SpanEvent(e.timeUnixNano(), e.name(), limits.apply(e.attributes())))
            .toList(),
        droppedEventsCount,
        links.stream()
            .map(
                l ->
                    new SpanLink(
                        l.traceId(),
                        l.spanId(),
                        l.traceState(),
                        l.flags(),
                        limits.apply(l.attributes())))
            .toList(),
        droppedLinksCount,
        status,
        resource,
        scope);
  }
}
