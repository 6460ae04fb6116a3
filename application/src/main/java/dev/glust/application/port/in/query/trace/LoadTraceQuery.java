package dev.glust.application.port.in.query.trace;

import dev.glust.domain.common.TraceId;
import dev.glust.domain.tenant.TenantId;
import java.util.Optional;

/** Finds one trace by id, with its correlated logs. */
public interface LoadTraceQuery {
  Optional<TraceView> loadTrace(TenantId tenant, TraceId traceId);
}
