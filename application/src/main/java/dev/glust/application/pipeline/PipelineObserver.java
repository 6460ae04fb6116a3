package dev.glust.application.pipeline;

/**
 * Told about every batch a pipeline wrote, for batch-size and commit-latency histograms. Called on
 * the writer threads: it must be quick.
 */
@FunctionalInterface
public interface PipelineObserver {
  PipelineObserver NONE = (pipeline, records, nanos, committed) -> {};

  /**
   * @param committed false when storage failed the batch
   */
  void batchWritten(String pipeline, int records, long nanos, boolean committed);
}
