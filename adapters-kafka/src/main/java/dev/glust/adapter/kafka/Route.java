package dev.glust.adapter.kafka;

import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineFullException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where a writer sends one signal's decoded batches: that signal's storage pipeline. */
record Route<T>(Signal<T> signal, BatchingPipeline<T> pipeline) {

  /**
   * Decodes a record value and hands its records to the pipeline.
   *
   * @return completes when storage committed them
   * @throws MalformedBatchException when the value is not a batch of this signal
   * @throws PipelineFullException when the pipeline holds as much as it may
   */
  CompletableFuture<Void> store(byte[] value) throws MalformedBatchException {
    List<T> records = signal.codec().decode(value);
    return pipeline.submit(records, value.length);
  }
}
