package dev.glust.application.port.in.query.trace;

import dev.glust.application.port.model.spanset.SpanField;
import dev.glust.application.port.model.spanset.SpansetMatch;
import dev.glust.application.port.model.spanset.SpansetSearch;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Set;

/** Searches traces by spanset queries (TraceQL), and lists what such queries can name. */
public interface SearchSpansetsQuery {
  List<SpansetMatch> searchSpansets(TenantId tenant, SpansetSearch search);

  /**
   * The attribute keys of the spans the search matches (span and resource keys apart), for query
   * editors; taken from the matched spans of the search's traces.
   */
  AttributeKeys listAttributeKeys(TenantId tenant, SpansetSearch search);

  /** The distinct values a field has on the spans the search matches, for query editors. */
  List<AnyValue> listValues(TenantId tenant, SpanField field, SpansetSearch search);

  /** Attribute keys by where they were found. */
  record AttributeKeys(Set<String> span, Set<String> resource) {
    public AttributeKeys {
      span = Set.copyOf(span);
      resource = Set.copyOf(resource);
    }
  }
}
