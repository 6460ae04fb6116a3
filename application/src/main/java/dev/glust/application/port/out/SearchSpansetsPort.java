package dev.glust.application.port.out;

import dev.glust.application.port.model.spanset.SpansetMatch;
import dev.glust.application.port.model.spanset.SpansetSearch;
import dev.glust.domain.tenant.TenantId;
import java.util.List;

/**
 * Finds the traces a spanset query (TraceQL's meaning, {@link SpansetSearch#match}) matches,
 * ordered and limited as {@link SpansetSearch} says. An adapter narrows candidates as its indexes
 * allow and decides each candidate with {@link SpansetSearch#match}, so every adapter answers
 * alike.
 */
public interface SearchSpansetsPort {
  List<SpansetMatch> searchSpansets(TenantId tenant, SpansetSearch search);
}
