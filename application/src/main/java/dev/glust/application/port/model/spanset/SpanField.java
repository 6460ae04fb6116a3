package dev.glust.application.port.model.spanset;

import dev.glust.application.port.model.InvalidQueryException;
import java.util.Objects;

/** What a span condition looks at: one of a span's own fields, or an attribute. */
public sealed interface SpanField permits SpanField.Intrinsic, SpanField.AttributeField {

  /** Fields every span has; the {@code ROOT_…} and {@code TRACE_…} ones belong to its trace. */
  enum Intrinsic implements SpanField {
    NAME,
    STATUS,
    STATUS_MESSAGE,
    KIND,
    DURATION,
    ROOT_NAME,
    ROOT_SERVICE_NAME,
    TRACE_DURATION;

    /** Whether the value comes from the trace (its root or its bounds), not from the span. */
    public boolean ofTrace() {
      return this == ROOT_NAME || this == ROOT_SERVICE_NAME || this == TRACE_DURATION;
    }
  }

  /** Where an attribute is looked up: the span's own, its resource's, or either. */
  enum AttributeScope {
    SPAN,
    RESOURCE,
    ANY
  }

  /** An attribute by key ({@code span.http.method}, {@code resource.service.name}, {@code .x}). */
  record AttributeField(AttributeScope scope, String key) implements SpanField {
    public AttributeField {
      Objects.requireNonNull(scope, "scope");
      if (key == null || key.isEmpty()) {
        throw new InvalidQueryException("q", "an attribute needs a name");
      }
    }

    /** The resource's {@code service.name}, which storage keeps in a column of its own. */
    public boolean isServiceName() {
      return scope == AttributeScope.RESOURCE && key.equals("service.name");
    }
  }
}
