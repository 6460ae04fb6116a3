package dev.glust.application.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * How the ingest pipeline batches and how much it holds.
 *
 * @param maxBatchRecords records per database transaction; a larger single request is written alone
 * @param linger how long a writer waits for more requests to fill a batch once it holds one
 * @param maxQueuedRecords records accepted but not yet committed, beyond which requests are refused
 * @param maxQueuedBytes wire bytes of those requests, beyond which requests are refused
 * @param writers concurrent database writers (connections) per signal
 */
public record PipelineSettings(
    int maxBatchRecords, Duration linger, long maxQueuedRecords, long maxQueuedBytes, int writers) {
  public PipelineSettings {
    Objects.requireNonNull(linger, "linger");
    if (maxBatchRecords < 1 || maxQueuedRecords < 1 || maxQueuedBytes < 1 || writers < 1) {
      throw new IllegalArgumentException("pipeline sizes must be positive: " + this);
    }
    if (linger.isNegative()) {
      throw new IllegalArgumentException("linger must not be negative");
    }
  }
}
