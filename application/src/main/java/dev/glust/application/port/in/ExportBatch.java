package dev.glust.application.port.in;

import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Objects;

/**
 * The records of one export request that decoded into valid domain records, the tenant they belong
 * to, and how many the receiving adapter had to reject already (e.g. an all-zero trace id) and why.
 * {@code wireBytes} is the request's encoded size, which the pipeline's memory bound counts.
 */
public record ExportBatch<T>(
    TenantId tenant, List<T> records, int rejectedCount, String rejectionReason, long wireBytes) {
  public ExportBatch {
    Objects.requireNonNull(tenant, "tenant");
    records = List.copyOf(records);
    if (rejectedCount < 0 || wireBytes < 0) {
      throw new IllegalArgumentException("counts and sizes must not be negative");
    }
    rejectionReason = Objects.requireNonNullElse(rejectionReason, "");
  }

  public static <T> ExportBatch<T> of(TenantId tenant, List<T> records) {
    return new ExportBatch<>(tenant, records, 0, "", 0);
  }
}
