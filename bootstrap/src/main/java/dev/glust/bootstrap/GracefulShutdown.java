package dev.glust.bootstrap;

import dev.glust.adapter.kafka.KafkaWriter;
import dev.glust.adapter.otlp.OtlpReceivers;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shutdown in the order that loses nothing: stop taking requests, let the pipelines commit what
 * they accepted and answer the waiting clients (all within one grace period), then close the
 * receivers. In writer mode there are no receivers: the Kafka consumers stop first, storing and
 * committing the poll they hold. Storage and the database close after this, as the beans they are.
 */
final class GracefulShutdown implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private final Optional<OtlpReceivers> receivers;
  private final Optional<KafkaWriter> writer;
  private final IngestPipelines pipelines;

  GracefulShutdown(
      Optional<OtlpReceivers> receivers, Optional<KafkaWriter> writer, IngestPipelines pipelines) {
    this.receivers = receivers;
    this.writer = writer;
    this.pipelines = pipelines;
  }

  @Override
  public void close() {
    LOG.info("shutting down: no new requests; committing what was accepted");
    long deadline = System.nanoTime() + pipelines.drainGrace().toNanos();
    receivers.ifPresent(OtlpReceivers::stopAccepting);
    writer.ifPresent(w -> w.close(pipelines.drainGrace()));
    pipelines.closeBy(deadline);
    receivers.ifPresent(OtlpReceivers::close);
    LOG.info("ingest stopped");
  }
}
