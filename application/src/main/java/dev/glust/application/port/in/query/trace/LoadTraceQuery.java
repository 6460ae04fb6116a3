package dev.glust.application.port.in.query.trace;

import dev.glust.domain.common.TraceId;
import java.util.Optional;

/** Finds one trace by id, with its correlated logs. */
public interface LoadTraceQuery {
  Optional<TraceView> loadTrace(TraceId traceId);
}
