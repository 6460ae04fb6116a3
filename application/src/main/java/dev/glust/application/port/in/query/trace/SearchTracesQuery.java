package dev.glust.application.port.in.query.trace;

import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.TraceSearch;
import dev.glust.application.port.model.TraceSummary;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/** Finds traces by service, operation, duration, status and attributes, newest first. */
public interface SearchTracesQuery {
  Page<TraceSummary> searchTraces(TenantId tenant, TraceSearch search);

  /** The matching traces themselves, for clients that want every span (e.g. Jaeger's API). */
  List<TraceView> loadTraces(TenantId tenant, TraceSearch search);
}
