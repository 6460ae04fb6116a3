package dev.glust.domain.metric;

import dev.glust.domain.common.ArrivalTime;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.RecordLimits;
import java.util.List;
import java.util.Objects;

/**
 * What every kind of data point has: its attributes (the labels of its series), its time and the
 * start of the interval it covers (unix nanoseconds, 0: none, as for gauges), OTLP's flags, the
 * exemplars sampled into it, and its value of the metric's kind.
 */
public record DataPoint(
    Attributes attributes,
    long startTimeUnixNano,
    long timeUnixNano,
    int flags,
    PointValue value,
    List<Exemplar> exemplars) {

  public DataPoint {
    if (timeUnixNano == 0) {
      throw new InvalidTelemetryException("a data point needs its time (time_unix_nano is 0)");
    }
    attributes = Objects.requireNonNullElse(attributes, Attributes.EMPTY);
    Objects.requireNonNull(value, "value");
    exemplars = List.copyOf(exemplars);
    if (value instanceof SummaryValue && !exemplars.isEmpty()) {
      throw new InvalidTelemetryException("summary points have no exemplars");
    }
  }

  /**
   * The point as received at {@code receivedUnixNano}, with a time that can be indexed: a time more
   * than {@code maxSkewNanos} after the arrival (a broken clock; or past 2262, beyond a signed
   * 64-bit nanosecond) becomes the arrival, and a start after that is unset. Unlike spans, no
   * attribute keeps the original: attributes are the series' identity.
   */
  public DataPoint arrivedAt(long receivedUnixNano, long maxSkewNanos) {
    if (!ArrivalTime.isFuture(timeUnixNano, receivedUnixNano, maxSkewNanos)) {
      return this; // the usual case
    }
    long start =
        startTimeUnixNano >= 0 && startTimeUnixNano <= receivedUnixNano ? startTimeUnixNano : 0;
    return new DataPoint(attributes, start, receivedUnixNano, flags, value, exemplars);
  }

  /** This point with the attribute limits applied to it and its exemplars. */
  public DataPoint limitedBy(RecordLimits limits) {
    if (limits.allows(attributes)
        && exemplars.stream().allMatch(e -> limits.allows(e.filteredAttributes()))) {
      return this; // the common case on the hot path: nothing to cut, nothing to copy
    }
    return new DataPoint(
        limits.apply(attributes),
        startTimeUnixNano,
        timeUnixNano,
        flags,
        value,
        exemplars.stream()
            .map(e -> e.withAttributes(limits.apply(e.filteredAttributes())))
            .toList());
  }
}
