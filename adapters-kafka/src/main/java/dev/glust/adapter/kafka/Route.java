package dev.glust.adapter.kafka;

import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.in.PipelineFullException;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a writer sends one signal's decoded records: the signal's ingest use case, which applies
 * the same rules as for an OTLP request (limits, clock skew, maximum age) before storage.
 */
record Route<T>(Signal<T> signal, Ingest<T> ingest) {

  /** The signal's ingest use case ({@code IngestSpansUseCase::ingestSpans}, …). */
  @FunctionalInterface
  interface Ingest<T> {
    CompletableFuture<IngestResult> ingest(ExportBatch<T> batch);
  }

  /**
   * @throws MalformedBatchException when the value is not an OTLP request of this signal
   */
  ExportBatch<T> decode(TenantId tenant, byte[] value) throws MalformedBatchException {
    return signal.decode(tenant, value);
  }

  /** A record value holding exactly these records. */
  byte[] encode(List<T> records) {
    return signal.encode(records);
  }

  /**
   * Hands records to storage as one request.
   *
   * @return completes when storage committed them, with what the rules refused
   * @throws PipelineFullException when the pipeline holds as much as it may
   */
  CompletableFuture<IngestResult> store(ExportBatch<T> batch) {
    return ingest.ingest(batch);
  }

  /** Part of a decoded record value as a request of its own. */
  CompletableFuture<IngestResult> store(TenantId tenant, List<T> records, long wireBytes) {
    return store(new ExportBatch<>(tenant, records, 0, "", wireBytes));
  }
}
