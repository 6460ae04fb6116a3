package dev.glust.application.port.in;

import dev.glust.domain.trace.Span;
import java.util.concurrent.CompletableFuture;

/** Stores the spans of one export request. */
public interface IngestSpansUseCase {
  /**
   * Hands the spans to the pipeline without blocking.
   *
   * @return completes once they are committed; fails with {@code StorageUnavailableException}
   *     (retryable) or {@code StorageRejectedException}
   * @throws dev.glust.application.port.in.PipelineFullException at once when Glust is at capacity
   * @throws dev.glust.application.port.in.TenantLimitedException at once when the batch's tenant is
   *     over its ingest rate
   */
  CompletableFuture<IngestResult> ingestSpans(ExportBatch<Span> batch);

  /**
   * Refuses at once a request of this encoded size that the pipeline could not take now; called
   * before decoding so that refusing is cheap.
   *
   * @throws dev.glust.application.port.in.PipelineFullException when at capacity
   */
  void refuseSpansIfFull(long wireBytes);
}
