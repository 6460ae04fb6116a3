package dev.glust.application.port.in;

import dev.glust.domain.trace.Span;

/** Stores the spans of one export request; returns only once they are committed. */
public interface IngestSpansUseCase {
  /**
   * @throws dev.glust.application.port.out.StorageUnavailableException when storage cannot take the
   *     batch now (retryable)
   */
  IngestResult ingestSpans(ExportBatch<Span> batch);
}
