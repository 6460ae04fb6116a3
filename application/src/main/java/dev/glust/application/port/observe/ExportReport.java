package dev.glust.application.port.observe;

import dev.glust.domain.tenant.TenantId;
import java.util.Objects;
import java.util.Optional;

/**
 * One finished export request.
 *
 * @param signal {@code traces} or {@code logs}
 * @param transport {@code grpc} or {@code http}
 * @param records records in the request, 0 when it was answered before being decoded
 * @param rejectedRecords records refused as invalid within an accepted request (partial success)
 * @param durationNanos from the request's arrival to its answer
 * @param selfTelemetry the request carries Glust's own telemetry (its self-tracing exporter marks
 *     it): an observer that produces telemetry must not produce any for it, or each export of its
 *     own spans would make new spans to export, forever
 * @param tenant whose request it was; empty when refused before its tenant was known
 */
public record ExportReport(
    String signal,
    String transport,
    ExportOutcome outcome,
    int records,
    int rejectedRecords,
    long durationNanos,
    boolean selfTelemetry,
    Optional<TenantId> tenant) {
  public ExportReport {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(outcome, "outcome");
    if (records < 0 || rejectedRecords < 0 || durationNanos < 0) {
      throw new IllegalArgumentException("invalid export report counts");
    }
  }

  /** A request refused before its tenant was known. */
  public ExportReport(
      String signal,
      String transport,
      ExportOutcome outcome,
      int records,
      int rejectedRecords,
      long durationNanos,
      boolean selfTelemetry) {
    this(
        signal,
        transport,
        outcome,
        records,
        rejectedRecords,
        durationNanos,
        selfTelemetry,
        Optional.empty());
  }
}
