package dev.glust.application.port.out;

import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.TraceSearch;
import dev.glust.application.port.model.TraceSummary;
import dev.glust.domain.tenant.TenantId;

/** Finds traces in storage, newest first, by keyset pages. */
public interface SearchTracesPort {
  Page<TraceSummary> searchTraces(TenantId tenant, TraceSearch search);
}
