package dev.glust.domain.log;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.AttributeLimits;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.Text;
import dev.glust.domain.common.TraceId;
import java.util.Objects;

/**
 * One log record. {@code traceId} and {@code spanId} are null when the record is not correlated to
 * a trace. Times are unix nanoseconds kept exactly as sent; 0 means "not set" as in OTLP.
 */
public record LogRecord(
    long timeUnixNano,
    long observedTimeUnixNano,
    int severityNumber,
    String severityText,
    AnyValue body,
    Attributes attributes,
    int flags,
    TraceId traceId,
    SpanId spanId,
    String eventName,
    Resource resource,
    InstrumentationScope scope) {

  /** OTLP severity numbers run from 1 (TRACE) to 24 (FATAL4); 0 is unspecified. */
  public static final int MAX_SEVERITY = 24;

  public LogRecord {
    if (severityNumber < 0 || severityNumber > MAX_SEVERITY) {
      severityNumber = 0; // an out-of-range number says nothing usable; keep the record
    }
    severityText = Text.clean(severityText);
    body = Objects.requireNonNullElse(body, AnyValue.EMPTY);
    attributes = Objects.requireNonNullElse(attributes, Attributes.EMPTY);
    eventName = Text.clean(eventName);
    resource = Objects.requireNonNullElse(resource, Resource.EMPTY);
    scope = Objects.requireNonNullElse(scope, InstrumentationScope.EMPTY);
  }

  public String serviceName() {
    return resource.serviceName();
  }

  /**
   * The time to index and sort by: the event time when the source knew it, else the time a
   * collector first observed the record (the OTLP data model's rule).
   */
  public long effectiveTimeUnixNano() {
    return timeUnixNano != 0 ? timeUnixNano : observedTimeUnixNano;
  }

  /** The record as first observed at {@code nowUnixNano} when no one has stamped it yet. */
  public LogRecord observedAt(long nowUnixNano) {
    if (observedTimeUnixNano != 0) {
      return this;
    }
    return withObservedAndAttributes(nowUnixNano, attributes);
  }

  /** This record with the attribute limits applied. */
  public LogRecord limitedBy(AttributeLimits limits) {
    if (limits.allows(attributes)) {
      return this;
    }
    return withObservedAndAttributes(observedTimeUnixNano, limits.apply(attributes));
  }

  private LogRecord withObservedAndAttributes(long observed, Attributes attrs) {
    return new LogRecord(
        timeUnixNano,
        observed,
        severityNumber,
        severityText,
        body,
        attrs,
        flags,
        traceId,
        spanId,
        eventName,
        resource,
        scope);
  }
}
