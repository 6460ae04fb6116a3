package dev.glust.domain.performance;

import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.util.Objects;

/**
 * What span rollups are counted by: the service, the span name (its operation), the span kind and
 * the status code, as the Collector's span metrics connector labels them.
 */
public record OperationKey(
    String service, String operation, SpanKind kind, SpanStatus.Code status) {
  public OperationKey {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
  }

  public static OperationKey of(Span span) {
    return new OperationKey(span.serviceName(), span.name(), span.kind(), span.status().code());
  }

  public boolean isError() {
    return status == SpanStatus.Code.ERROR;
  }
}
