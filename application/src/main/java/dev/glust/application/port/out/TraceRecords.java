package dev.glust.application.port.out;

import dev.glust.domain.log.LogRecord;
import dev.glust.domain.trace.Span;
import java.util.List;

/** The stored spans of one trace and the log records that carry its trace id. */
public record TraceRecords(List<Span> spans, List<LogRecord> logs) {
  public TraceRecords {
    spans = List.copyOf(spans);
    logs = List.copyOf(logs);
  }
}
