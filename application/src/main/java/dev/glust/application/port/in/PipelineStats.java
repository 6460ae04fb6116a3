package dev.glust.application.port.in;

/**
 * A pipeline's figures since start: what it holds now, what it took and refused, and how its
 * database batches went.
 */
public record PipelineStats(
    long queuedRecords,
    long queuedBytes,
    long acceptedRecords,
    long refusedRequests,
    long committedBatches,
    long failedBatches,
    long lastBatchRecords,
    long lastCommitNanos,
    long maxCommitNanos) {}
