package dev.glust.domain.log;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.ArrivalTime;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.RecordLimits;
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

  /** Holds a record's time that lay in the future when it arrived (see {@link #arrivedAt}). */
  public static final String ORIGINAL_TIME_ATTRIBUTE = "glust.original_time_unix_nano";

  /**
   * The record as received at {@code receivedUnixNano}, with times that can be indexed: no observed
   * time, or one more than {@code maxSkewNanos} after the arrival, becomes the arrival; a time more
   * than {@code maxSkewNanos} after the arrival (a broken clock; or past 2262, beyond a signed
   * 64-bit nanosecond) is unset, so the record is indexed by its observed time, and kept in the
   * {@value #ORIGINAL_TIME_ATTRIBUTE} attribute.
   */
  public LogRecord arrivedAt(long receivedUnixNano, long maxSkewNanos) {
    boolean observedUsable =
        observedTimeUnixNano != 0
            && !ArrivalTime.isFuture(observedTimeUnixNano, receivedUnixNano, maxSkewNanos);
    boolean timeUsable = !ArrivalTime.isFuture(timeUnixNano, receivedUnixNano, maxSkewNanos);
    if (observedUsable && timeUsable) {
      return this; // the usual case
    }
    long observed = observedUsable ? observedTimeUnixNano : receivedUnixNano;
    if (timeUsable) {
      return withTimes(timeUnixNano, observed, attributes, body);
    }
    return withTimes(
        0, observed, attributes.with(ORIGINAL_TIME_ATTRIBUTE, AnyValue.of(timeUnixNano)), body);
  }

  /** Whether the service name fits {@link RecordLimits#MAX_NAME_LENGTH}. */
  public boolean namesFit() {
    return resource.serviceNameFits();
  }

  /**
   * This record with the limits applied to its attributes, body, resource and scope, and its
   * service name cut to {@link RecordLimits#MAX_NAME_LENGTH}.
   */
  public LogRecord limitedBy(RecordLimits limits) {
    if (limits.allows(attributes)
        && limits.allowsBody(body)
        && limits.allows(resource)
        && limits.allows(scope.attributes())) {
      return this;
    }
    return new LogRecord(
        timeUnixNano,
        observedTimeUnixNano,
        severityNumber,
        severityText,
        limits.limitBody(body),
        limits.apply(attributes),
        flags,
        traceId,
        spanId,
        eventName,
        limits.apply(resource),
        limits.apply(scope));
  }

  private LogRecord withTimes(long time, long observed, Attributes attrs, AnyValue newBody) {
    return new LogRecord(
        time,
        observed,
        severityNumber,
        severityText,
        newBody,
        attrs,
        flags,
        traceId,
        spanId,
        eventName,
        resource,
        scope);
  }
}
