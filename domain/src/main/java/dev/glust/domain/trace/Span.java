package dev.glust.domain.trace;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.ArrivalTime;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.RecordLimits;
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

  /**
   * Whether the service name fits {@link RecordLimits#MAX_NAME_LENGTH}. The span name has no such
   * limit: no B-tree index holds it.
   */
  public boolean namesFit() {
    return resource.serviceNameFits();
  }

  public boolean isRoot() {
    return parentSpanId == null;
  }

  /** Holds a start time that lay in the future when the span arrived (see {@link #arrivedAt}). */
  public static final String ORIGINAL_START_ATTRIBUTE = "glust.original_start_time_unix_nano";

  /**
   * The span as received at {@code receivedUnixNano}, with times that can be indexed: a start more
   * than {@code maxSkewNanos} after the arrival (a broken clock; or past 2262, beyond a signed
   * 64-bit nanosecond) moves to the arrival with its duration kept, the original in the {@value
   * #ORIGINAL_START_ATTRIBUTE} attribute; an unset start becomes the end, or the arrival if the end
   * is unset or in the future too; an end before the start (unset included) becomes the start.
   */
  public Span arrivedAt(long receivedUnixNano, long maxSkewNanos) {
    boolean futureStart = ArrivalTime.isFuture(startTimeUnixNano, receivedUnixNano, maxSkewNanos);
    if (startTimeUnixNano != 0 && !futureStart && endTimeUnixNano >= startTimeUnixNano) {
      return this; // the usual case
    }
    long start = startTimeUnixNano;
    long end = endTimeUnixNano;
    Attributes attrs = attributes;
    if (futureStart) {
      long duration = end >= start ? end - start : 0;
      start = receivedUnixNano;
      end = start + Math.min(duration, Long.MAX_VALUE - start);
      attrs = attributes.with(ORIGINAL_START_ATTRIBUTE, AnyValue.of(startTimeUnixNano));
    } else if (start == 0) {
      start =
          end != 0 && !ArrivalTime.isFuture(end, receivedUnixNano, maxSkewNanos)
              ? end
              : receivedUnixNano;
    }
    return with(start, Math.max(start, end), attrs);
  }

  /** This span with other times and attributes; identity, status and origin stay. */
  private Span with(long start, long end, Attributes attrs) {
    return new Span(
        traceId,
        spanId,
        traceState,
        parentSpanId,
        flags,
        name,
        kind,
        start,
        end,
        attrs,
        events,
        droppedEventsCount,
        links,
        droppedLinksCount,
        status,
        resource,
        scope);
  }

  /**
   * This span with the attribute limits applied to it, its events, links, resource and scope, and
   * its service name cut to {@link RecordLimits#MAX_NAME_LENGTH}.
   */
  public Span limitedBy(RecordLimits limits) {
    if (limits.allows(attributes)
        && events.stream().allMatch(e -> limits.allows(e.attributes()))
        && links.stream().allMatch(l -> limits.allows(l.attributes()))
        && limits.allows(resource)
        && limits.allows(scope.attributes())) {
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
        limits.apply(resource),
        limits.apply(scope));
  }
}
