package dev.glust.application.port.model;

import dev.glust.domain.common.TraceId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanStatus;
import java.util.Comparator;
import java.util.List;

/** One line of a trace search result; the root is the span without parent (else the earliest). */
public record TraceSummary(
    TraceId traceId,
    String rootServiceName,
    String rootSpanName,
    long startUnixNano,
    long durationNanos,
    int spanCount,
    int errorCount) {

  /** The summary of a trace from all of its spans (at least one). */
  public static TraceSummary of(TraceId traceId, List<Span> trace) {
    Span root =
        trace.stream()
            .min(
                Comparator.comparing((Span s) -> !s.isRoot())
                    .thenComparingLong(Span::startTimeUnixNano))
            .orElseThrow(() -> new IllegalArgumentException("a trace has spans"));
    long start = trace.stream().mapToLong(Span::startTimeUnixNano).min().orElseThrow();
    long end = trace.stream().mapToLong(Span::endTimeUnixNano).max().orElseThrow();
    return new TraceSummary(
        traceId,
        root.serviceName(),
        root.name(),
        start,
        end - start,
        trace.size(),
        (int) trace.stream().filter(s -> s.status().code() == SpanStatus.Code.ERROR).count());
  }
}
