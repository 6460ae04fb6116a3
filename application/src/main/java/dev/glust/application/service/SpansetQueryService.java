package dev.glust.application.service;

import dev.glust.application.port.in.query.trace.SearchSpansetsQuery;
import dev.glust.application.port.model.spanset.SpanField;
import dev.glust.application.port.model.spanset.SpansetMatch;
import dev.glust.application.port.model.spanset.SpansetSearch;
import dev.glust.application.port.out.SearchSpansetsPort;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** TraceQL's read side: spanset searches within the query range limit, and what they can name. */
public final class SpansetQueryService implements SearchSpansetsQuery {
  private final SearchSpansetsPort spansets;
  private final QueryRangeLimit rangeLimit;

  public SpansetQueryService(SearchSpansetsPort spansets, Duration maxRange) {
    this.spansets = Objects.requireNonNull(spansets);
    this.rangeLimit = new QueryRangeLimit(maxRange);
  }

  @Override
  public List<SpansetMatch> searchSpansets(TenantId tenant, SpansetSearch search) {
    rangeLimit.check(search.range());
    return spansets.searchSpansets(tenant, search);
  }

  @Override
  public AttributeKeys listAttributeKeys(TenantId tenant, SpansetSearch search) {
    Set<String> span = new TreeSet<>();
    Set<String> resource = new TreeSet<>();
    for (Span s : matchedSpans(tenant, search)) {
      s.attributes().entries().forEach(a -> span.add(a.key()));
      s.resource().attributes().entries().forEach(a -> resource.add(a.key()));
    }
    return new AttributeKeys(span, resource);
  }

  @Override
  public List<AnyValue> listValues(TenantId tenant, SpanField field, SpansetSearch search) {
    Set<AnyValue> values = new LinkedHashSet<>();
    for (Span s : matchedSpans(tenant, search)) {
      valueOf(field, s).ifPresent(values::add);
    }
    return List.copyOf(values);
  }

  private List<Span> matchedSpans(TenantId tenant, SpansetSearch search) {
    return searchSpansets(tenant, search).stream().flatMap(m -> m.spans().stream()).toList();
  }

  /** The span's value of a field that has values worth listing (names and attributes). */
  private static Optional<AnyValue> valueOf(SpanField field, Span span) {
    if (field instanceof SpanField.AttributeField attribute) {
      Optional<AnyValue> own =
          attribute.scope() == SpanField.AttributeScope.RESOURCE
              ? Optional.empty()
              : span.attributes().get(attribute.key());
      return attribute.scope() == SpanField.AttributeScope.SPAN
          ? own
          : own.or(() -> span.resource().attributes().get(attribute.key()));
    }
    return switch ((SpanField.Intrinsic) field) {
      case NAME -> Optional.of(AnyValue.of(span.name()));
      case STATUS_MESSAGE ->
          Optional.of(span.status().message()).filter(m -> !m.isEmpty()).map(AnyValue::of);
      default -> Optional.empty();
    };
  }
}
