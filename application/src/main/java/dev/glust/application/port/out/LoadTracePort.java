package dev.glust.application.port.out;

import dev.glust.domain.common.TraceId;

/** Reads every stored span of a trace and its correlated log records (empty when unknown). */
public interface LoadTracePort {
  TraceRecords loadTrace(TraceId traceId);
}
