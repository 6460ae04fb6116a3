package dev.glust.application.port.out;

import dev.glust.domain.common.TraceId;
import dev.glust.domain.tenant.TenantId;

/** Reads every stored span of a trace and its correlated log records (empty when unknown). */
public interface LoadTracePort {
  TraceRecords loadTrace(TenantId tenant, TraceId traceId);
}
