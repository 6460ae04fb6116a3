package dev.glust.application.port.in.query.trace;

import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import java.util.List;

/** A whole trace: its spans as a tree and the log records correlated to it, oldest first. */
public record TraceView(TraceId traceId, List<SpanNode> roots, List<LogRecord> logs) {
  public TraceView {
    roots = List.copyOf(roots);
    logs = List.copyOf(logs);
  }
}
