package dev.glust.bootstrap;

import dev.glust.adapter.otlp.OtlpReceivers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shutdown in the order that loses nothing: stop taking requests, let the pipelines commit what
 * they accepted and answer the waiting clients (within the grace period), then close the receivers.
 * Storage and the database close after this, as the beans they are.
 */
final class GracefulShutdown implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private final OtlpReceivers receivers;
  private final IngestPipelines pipelines;

  GracefulShutdown(OtlpReceivers receivers, IngestPipelines pipelines) {
    this.receivers = receivers;
    this.pipelines = pipelines;
  }

  @Override
  public void close() {
    LOG.info("shutting down: no new requests; committing what was accepted");
    receivers.stopAccepting();
    pipelines.close();
    receivers.close();
    LOG.info("ingest stopped");
  }
}
