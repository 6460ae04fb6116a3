package dev.glust.application.port.in;

import java.util.Objects;

/**
 * What became of an export request: {@code accepted} records are committed to storage, {@code
 * rejected} ones were invalid and will never be stored (OTLP partial success), with the reason. A
 * reason without rejected records is a warning (e.g. a name was cut), which OTLP carries as partial
 * success with a rejected count of 0.
 */
public record IngestResult(int accepted, int rejected, String rejectionReason) {
  public IngestResult {
    if (accepted < 0 || rejected < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    rejectionReason = Objects.requireNonNullElse(rejectionReason, "");
  }

  /** Whether the answer carries OTLP partial success: records were rejected, or a warning. */
  public boolean isPartial() {
    return rejected > 0 || !rejectionReason.isEmpty();
  }
}
