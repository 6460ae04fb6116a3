package dev.glust.application.port.model;

import dev.glust.domain.common.TraceId;

/** One line of a trace search result; the root is the span without parent (else the earliest). */
public record TraceSummary(
    TraceId traceId,
    String rootServiceName,
    String rootSpanName,
    long startUnixNano,
    long durationNanos,
    int spanCount,
    int errorCount) {}
