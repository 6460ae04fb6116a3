package dev.glust.application.port.in;

import java.util.Objects;

/**
 * What became of an export request: {@code accepted} records are committed to storage, {@code
 * rejected} ones were invalid and will never be stored (OTLP partial success), with the reason.
 */
public record IngestResult(int accepted, int rejected, String rejectionReason) {
  public IngestResult {
    if (accepted < 0 || rejected < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    rejectionReason = Objects.requireNonNullElse(rejectionReason, "");
  }

  public boolean isPartial() {
    return rejected > 0;
  }
}
