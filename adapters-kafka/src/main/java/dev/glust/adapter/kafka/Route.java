package dev.glust.adapter.kafka;

import dev.glust.application.port.in.PipelineFullException;
import dev.glust.application.port.in.SubmitRecordsUseCase;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where a writer sends one signal's decoded batches: that signal's storage pipeline. */
record Route<T>(Signal<T> signal, SubmitRecordsUseCase<T> pipeline) {

  /**
   * @throws MalformedBatchException when the value is not a batch of this signal
   */
  List<T> decode(byte[] value) throws MalformedBatchException {
    return signal.codec().decode(value);
  }

  /** A record value holding exactly these records. */
  byte[] encode(List<T> records) {
    return signal.codec().encode(records);
  }

  /**
   * Hands records to the pipeline as one request.
   *
   * @return completes when storage committed them
   * @throws PipelineFullException when the pipeline holds as much as it may
   */
  CompletableFuture<Void> store(TenantId tenant, List<T> records, long wireBytes) {
    return pipeline.submit(tenant, records, wireBytes);
  }
}
