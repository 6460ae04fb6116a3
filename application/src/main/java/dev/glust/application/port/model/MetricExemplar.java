package dev.glust.application.port.model;

import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;

/**
 * A measurement kept with a data point, with the trace and span it was recorded in ({@code null}
 * when it has none), so a chart can link a point to its trace.
 */
public record MetricExemplar(long timeUnixNano, double value, TraceId traceId, SpanId spanId) {}
