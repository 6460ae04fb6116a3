package dev.glust.adapter.kafka;

import dev.glust.adapter.kafka.testing.TestKafka;
import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.application.port.out.Storage;
import dev.glust.application.storage.contract.MemoryStorage;
import dev.glust.application.storage.contract.SaveStorageContract;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.trace.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;

/**
 * The save contract through Kafka, as receiver and writer modes run it: the contract's saves are
 * published (receiver mode's save ports), a writer consumes them into the in-memory storage, and
 * the contract reads them back there. A retried publish is two Kafka records: the storage behind
 * the writer is what stores it once.
 */
class KafkaSaveContractTest extends SaveStorageContract {
  private static final PipelineSettings PIPELINE =
      new PipelineSettings(10_000, Duration.ofMillis(5), 100_000, 64 << 20, 2);

  private final List<AutoCloseable> open = new ArrayList<>();
  private final AtomicLong spansWritten = new AtomicLong();
  private final AtomicLong logsWritten = new AtomicLong();
  private long spansPublished;
  private long logsPublished;
  private KafkaTransport transport;

  @Override
  protected Storage openEmptyStorage() {
    MemoryStorage storage = new MemoryStorage();
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
    BatchingPipeline<Span> spans =
        opened(
            new BatchingPipeline<>(
                "spans",
                batch -> {
                  storage.saveSpans(batch);
                  spansWritten.addAndGet(batch.size());
                },
                PIPELINE));
    BatchingPipeline<LogRecord> logs =
        opened(
            new BatchingPipeline<>(
                "logs",
                batch -> {
                  storage.saveLogs(batch);
                  logsWritten.addAndGet(batch.size());
                },
                PIPELINE));
    BatchingPipeline<MetricPoint> metrics =
        opened(new BatchingPipeline<>("metrics", storage::saveMetrics, PIPELINE));
    opened(transport.startWriter(spans, logs, metrics));
    return storage;
  }

  private <T extends AutoCloseable> T opened(T closeable) {
    open.add(closeable);
    return closeable;
  }

  @AfterEach
  void closeKafka() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** Publishes, then waits until the writer has handed every published span to storage. */
  @Override
  protected SaveSpansPort spansInto(Storage storage) {
    return batch -> {
      transport.spans().saveSpans(batch);
      spansPublished += batch.size();
      awaitWritten(spansWritten::get, spansPublished);
    };
  }

  @Override
  protected SaveLogsPort logsInto(Storage storage) {
    return batch -> {
      transport.logs().saveLogs(batch);
      logsPublished += batch.size();
      awaitWritten(logsWritten::get, logsPublished);
    };
  }

  private static void awaitWritten(LongSupplier written, long published) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (written.getAsLong() < published) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the writer stored " + written.getAsLong() + " of " + published);
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
