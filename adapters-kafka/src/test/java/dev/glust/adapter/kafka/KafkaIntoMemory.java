package dev.glust.adapter.kafka;

import dev.glust.adapter.kafka.testing.TestKafka;
import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.application.service.IngestTelemetryService;
import dev.glust.application.storage.contract.MemoryStorage;
import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Receiver and writer modes around an in-memory storage, for the storage contracts: saves are
 * published by receiver mode's save ports (a fresh topic prefix and consumer group on the in-JVM
 * broker), a writer consumes them into the storage, and each save returns once the writer has
 * handed every record published so far to the storage.
 */
final class KafkaIntoMemory implements AutoCloseable {
  private static final PipelineSettings PIPELINE =
      new PipelineSettings(10_000, Duration.ofMillis(5), 100_000, 64 << 20, 2);

  final MemoryStorage storage = new MemoryStorage();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final KafkaTransport transport;
  private final Signal spans = new Signal();
  private final Signal logs = new Signal();
  private final Signal metrics = new Signal();

  /** What was published of one signal, and what the writer has handed to storage. */
  private static final class Signal {
    final AtomicLong written = new AtomicLong();
    long published;

    <T> BiConsumer<TenantId, List<T>> countingInto(BiConsumer<TenantId, List<T>> save) {
      return (tenant, batch) -> {
        save.accept(tenant, batch);
        written.addAndGet(batch.size());
      };
    }

    <T> void publish(TenantId tenant, List<T> batch, BiConsumer<TenantId, List<T>> publisher) {
      publisher.accept(tenant, batch);
      published += batch.size();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (written.get() < published) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the writer stored " + written.get() + " of " + published);
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for the writer", e);
        }
      }
    }
  }

  KafkaIntoMemory() {
    transport =
        opened(
            KafkaTransport.connect(
                new KafkaSettings(
                    TestKafka.broker().bootstrap(),
                    TestKafka.freshTopicPrefix(),
                    4,
                    (short) 1,
                    0,
                    "contract-" + System.nanoTime(),
                    1,
                    Duration.ofSeconds(10)),
                KafkaObserver.NONE));
    IngestTelemetryService ingest =
        KafkaTransportTest.ingest(
            opened(
                new BatchingPipeline<>("spans", spans.countingInto(storage::saveSpans), PIPELINE)),
            opened(new BatchingPipeline<>("logs", logs.countingInto(storage::saveLogs), PIPELINE)),
            opened(
                new BatchingPipeline<>(
                    "metrics", metrics.countingInto(storage::saveMetrics), PIPELINE)));
    opened(transport.startWriter(ingest, ingest, ingest));
  }

  private <T extends AutoCloseable> T opened(T closeable) {
    open.add(closeable);
    return closeable;
  }

  SaveSpansPort spans() {
    return (tenant, batch) -> spans.publish(tenant, batch, transport.spans()::saveSpans);
  }

  SaveLogsPort logs() {
    return (tenant, batch) -> logs.publish(tenant, batch, transport.logs()::saveLogs);
  }

  SaveMetricsPort metrics() {
    return (tenant, batch) -> metrics.publish(tenant, batch, transport.metrics()::saveMetrics);
  }

  @Override
  public void close() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }
}
