package dev.glust.adapter.kafka;

import dev.glust.application.port.in.ExportBatch;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.in.PipelineFullException;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.tenant.InvalidTenantException;
import dev.glust.domain.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writer mode: consumers of the writers' group feed the storage pipelines. Each Kafka record holds
 * one OTLP export request, whether a Glust receiver or a Collector's Kafka exporter wrote it; it is
 * mapped and ingested exactly as an OTLP request is (the same mapping, the same rules), and the
 * pipelines coalesce the records into large database batches. The poll's offsets are committed only
 * after PostgreSQL committed its records, so a writer killed at any moment loses nothing: its
 * uncommitted records are delivered again, to it or to another writer, and the idempotent database
 * writer stores them once. A Kafka record that is not OTLP goes to the dead-letter topic with the
 * reason in its headers and is then committed past: it never blocks its partition. One whose
 * request holds records the mapping or the ingest rules reject (OTLP's partial success) has its
 * good records stored and is copied to the dead-letter topic with the rejection as reason. A record
 * storage fails on for a reason other than being unavailable (bad data, or a bug some data trips)
 * is stored apart: only the domain records storage refuses go to the dead-letter topic, each alone,
 * and the partition moves on.
 */
public final class KafkaWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWriter.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  private static final IngestResult NOTHING_STORED = new IngestResult(0, 0, "");

  private final Map<String, Route<?>> routes = new HashMap<>();
  private final String deadLetterTopic;
  private final Producer<byte[], byte[]> deadLetters;
  private final KafkaObserver observer;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  KafkaWriter(
      KafkaSettings settings,
      List<Route<?>> routes,
      Supplier<Consumer<byte[], byte[]>> consumers,
      Producer<byte[], byte[]> deadLetters,
      KafkaObserver observer) {
    routes.forEach(r -> this.routes.put(settings.topic(r.signal().name()), r));
    this.deadLetterTopic = settings.deadLetterTopic();
    this.deadLetters = deadLetters;
    this.observer = observer;
    this.routes.keySet().forEach(observer::consuming);
    for (int i = 0; i < settings.consumers(); i++) {
      Consumer<byte[], byte[]> consumer = consumers.get();
      Thread thread = new Thread(() -> run(consumer), "glust-kafka-writer-" + (i + 1));
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void run(Consumer<byte[], byte[]> consumer) {
    try (consumer) {
      consumer.subscribe(routes.keySet(), new LagReset(consumer));
      long backoff = 0;
      while (running) {
        if (backoff > 0) {
          sleep(backoff);
        }
        try {
          ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
          reportLag(consumer);
          boolean allStored = polled.isEmpty() || store(consumer, polled);
          backoff = allStored ? 0 : nextBackoff(backoff);
        } catch (RuntimeException e) {
          // a broker outage, or anything else: a writer that stopped consuming would look healthy
          // while its partitions waited, so it keeps trying (the records wait in Kafka meanwhile)
          LOG.warn("Kafka writer: {}; polling again", e.toString());
          backoff = nextBackoff(backoff);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("Kafka writer stopped", e);
    }
  }

  /**
   * Stores one poll's records, then commits each partition up to its first record that could not be
   * stored now (storage down or the pipeline closing) and rewinds the partition there.
   *
   * @return whether every record was stored or dead-lettered
   */
  private boolean store(Consumer<byte[], byte[]> consumer, ConsumerRecords<byte[], byte[]> polled) {
    List<Handed> handed = new ArrayList<>(polled.count());
    for (ConsumerRecord<byte[], byte[]> record : polled) {
      handed.add(new Handed(record, hand(record, () -> waitFor(handed))));
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    Map<TopicPartition, Long> rewind = new HashMap<>();
    for (Handed h : handed) {
      TopicPartition partition = new TopicPartition(h.record.topic(), h.record.partition());
      if (rewind.containsKey(partition)) {
        continue; // a record before it failed: it is consumed again from there
      }
      Throwable failure = outcome(h.done);
      if (failure == null) {
        IngestResult result = h.done.join();
        failure = reportRejections(h.record, result.rejected(), result.rejectionReason());
      } else if (!retryLater(failure)) {
        waitFor(handed); // so that its parts share no batch with the rest of this poll
        failure = storeApart(h.record, routes.get(h.record.topic()), failure);
      }
      if (failure == null) {
        commit.put(partition, new OffsetAndMetadata(h.record.offset() + 1));
      } else {
        LOG.warn("could not store {} now ({}); consuming it again", partition, failure.toString());
        rewind.put(partition, h.record.offset());
      }
    }
    rewind.forEach(consumer::seek);
    if (!commit.isEmpty()) {
      try {
        consumer.commitSync(commit);
      } catch (KafkaException e) {
        // e.g. the partitions moved to another writer meanwhile: it consumes them again from the
        // last commit, and the idempotent writer stores the repeated records once
        LOG.warn("offsets not committed ({}); those records will be delivered again", e.toString());
      }
    }
    return rewind.isEmpty();
  }

  /** Handed to a pipeline, not necessarily stored yet. */
  private interface InFlight {
    CompletableFuture<IngestResult> done();
  }

  private record Handed(ConsumerRecord<byte[], byte[]> record, CompletableFuture<IngestResult> done)
      implements InFlight {}

  /** Some records of one Kafka record, handed as one request while it is stored apart. */
  private record Part<T>(List<T> records, CompletableFuture<IngestResult> done)
      implements InFlight {}

  /**
   * A request whose good records are stored but some of which the mapping or the ingest rules
   * rejected (an OTLP client would read this as partial success): a copy goes to the dead-letter
   * topic with the reason, so that nothing is dropped unseen. Storing it again is harmless.
   *
   * @return null once reported, else why not now
   */
  private Throwable reportRejections(
      ConsumerRecord<byte[], byte[]> record, int rejected, String reason) {
    if (rejected == 0) {
      return null;
    }
    return deadLetter(record, record.value(), "rejected: " + reason);
  }

  /**
   * Storage unavailable, or the pipeline full or closing: the record is consumed again later. Any
   * other failure is the record's own (bad data, or a bug it trips): it is stored apart.
   */
  private static boolean retryLater(Throwable failure) {
    return failure instanceof StorageUnavailableException
        || failure instanceof PipelineFullException;
  }

  /** Decodes a record and hands its records to their pipeline as one request. */
  private CompletableFuture<IngestResult> hand(
      ConsumerRecord<byte[], byte[]> record, Runnable drain) {
    try {
      return hand(
          routes.get(record.topic()), KafkaTenant.of(record.headers()), record.value(), drain);
    } catch (MalformedBatchException | InvalidTenantException e) {
      Throwable failed = deadLetter(record, record.value(), e.getMessage());
      return failed == null ? CompletableFuture.completedFuture(NOTHING_STORED) : failed(failed);
    }
  }

  private <T> CompletableFuture<IngestResult> hand(
      Route<T> route, TenantId tenant, byte[] value, Runnable drain)
      throws MalformedBatchException {
    ExportBatch<T> batch = route.decode(tenant, value);
    return submit(() -> route.store(batch), drain);
  }

  /** Hands records to the pipeline; a full pipeline first finishes what {@code drain} waits for. */
  private static CompletableFuture<IngestResult> submit(
      Supplier<CompletableFuture<IngestResult>> store, Runnable drain) {
    try {
      try {
        return store.get();
      } catch (PipelineFullException full) {
        drain.run();
        return store.get();
      }
    } catch (RuntimeException e) {
      return failed(e); // still full: the pipeline is closing
    }
  }

  /**
   * A Kafka record holds many clients' records; when storage fails on it for a reason of its own
   * (not unavailability), this stores what storage takes and dead-letters only the records it
   * refuses, each alone: the batch is halved, the halves are stored apart, the halves that fail are
   * halved again, down to single records. The halves of one round are handed together, so the
   * pipeline coalesces them and, when the batch is refused, writes each alone; a round costs one
   * batch wait, and the rounds are log2 of the record count.
   *
   * @return null once every record was stored or dead-lettered, else why not now
   */
  private <T> Throwable storeApart(
      ConsumerRecord<byte[], byte[]> record, Route<T> route, Throwable failure) {
    ExportBatch<T> batch;
    TenantId tenant;
    try {
      tenant = KafkaTenant.of(record.headers());
      batch = route.decode(tenant, record.value());
    } catch (MalformedBatchException | InvalidTenantException e) {
      return deadLetter(record, record.value(), e.getMessage()); // decoded before: not expected
    }
    Throwable notNow = storeApart(record, route, tenant, batch.records(), failure);
    return notNow != null
        ? notNow
        : reportRejections(record, batch.rejectedCount(), batch.rejectionReason());
  }

  private <T> Throwable storeApart(
      ConsumerRecord<byte[], byte[]> record,
      Route<T> route,
      TenantId tenant,
      List<T> records,
      Throwable failure) {
    LOG.warn(
        "storage failed on {}-{}@{} ({}); storing its {} records apart",
        record.topic(),
        record.partition(),
        record.offset(),
        failure.toString(),
        records.size());
    long bytesPerRecord = Math.max(1, record.value().length / Math.max(1, records.size()));
    if (records.size() == 1) {
      return deadLetterAlone(record, route, tenant, records, bytesPerRecord, failure);
    }
    List<List<T>> failing = List.of(records);
    while (!failing.isEmpty()) {
      List<Part<T>> round = new ArrayList<>();
      for (List<T> part : failing) {
        int half = part.size() / 2;
        for (List<T> piece : List.of(part.subList(0, half), part.subList(half, part.size()))) {
          CompletableFuture<IngestResult> done =
              submit(
                  () -> route.store(tenant, piece, piece.size() * bytesPerRecord),
                  () -> waitFor(round));
          round.add(new Part<>(piece, done));
        }
      }
      failing = new ArrayList<>();
      for (Part<T> part : round) {
        Throwable partFailure = outcome(part.done);
        if (partFailure == null) {
          continue;
        }
        if (retryLater(partFailure)) {
          return partFailure;
        }
        if (part.records.size() > 1) {
          failing.add(part.records);
        } else {
          Throwable notNow =
              deadLetterAlone(record, route, tenant, part.records, bytesPerRecord, partFailure);
          if (notNow != null) {
            return notNow;
          }
        }
      }
    }
    return null;
  }

  /**
   * Dead-letters one record storage failed on. Refused as bad data, it was written alone (the
   * pipeline writes each request of a refused batch alone); another failure fails a whole batch, so
   * the record is first tried once more on its own.
   *
   * @return null once it was stored or dead-lettered, else why not now
   */
  private <T> Throwable deadLetterAlone(
      ConsumerRecord<byte[], byte[]> record,
      Route<T> route,
      TenantId tenant,
      List<T> one,
      long wireBytes,
      Throwable failure) {
    if (!(failure instanceof StorageRejectedException)) {
      failure = outcome(submit(() -> route.store(tenant, one, wireBytes), () -> {}));
      if (failure == null || retryLater(failure)) {
        return failure;
      }
    }
    String reason =
        failure instanceof StorageRejectedException
            ? "rejected by storage: " + failure.getMessage()
            : "storage failed: " + failure;
    return deadLetter(record, route.encode(one), reason);
  }

  private static CompletableFuture<IngestResult> failed(Throwable t) {
    return CompletableFuture.failedFuture(t);
  }

  private static void waitFor(List<? extends InFlight> inFlight) {
    inFlight.forEach(f -> outcome(f.done()));
  }

  /** Waits for a stored record; null when it was stored, else why not. */
  private static Throwable outcome(CompletableFuture<IngestResult> done) {
    try {
      done.join();
      return null;
    } catch (CompletionException e) {
      return Objects.requireNonNullElse(e.getCause(), e);
    } catch (RuntimeException e) {
      return e;
    }
  }

  /**
   * Copies a value to the dead-letter topic, with the record it came from and why in headers.
   *
   * @return null once the broker acknowledged the copy, else why it did not (retry later)
   */
  private StorageUnavailableException deadLetter(
      ConsumerRecord<byte[], byte[]> record, byte[] value, String reason) {
    RecordHeaders headers = new RecordHeaders();
    record.headers().forEach(headers::add); // the tenant, and whatever the producer sent
    headers.add("glust.dlq.reason", utf8(reason));
    headers.add("glust.dlq.topic", utf8(record.topic()));
    headers.add("glust.dlq.partition", utf8(Integer.toString(record.partition())));
    headers.add("glust.dlq.offset", utf8(Long.toString(record.offset())));
    try {
      deadLetters
          .send(new ProducerRecord<>(deadLetterTopic, null, record.key(), value, headers))
          .get(30, TimeUnit.SECONDS);
      LOG.warn(
          "moved {}-{}@{} to {}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          deadLetterTopic,
          reason);
      observer.deadLettered(record.topic(), reason);
      return null;
    } catch (ExecutionException e) {
      return deadLetterUnavailable(e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException | KafkaException e) {
      return deadLetterUnavailable(e);
    }
  }

  private static StorageUnavailableException deadLetterUnavailable(Throwable cause) {
    return new StorageUnavailableException("the dead-letter topic is unavailable: " + cause, cause);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void reportLag(Consumer<byte[], byte[]> consumer) {
    for (TopicPartition p : consumer.assignment()) {
      consumer.currentLag(p).ifPresent(lag -> observer.lag(p.topic(), p.partition(), lag));
    }
  }

  /** A partition given away is no longer this writer's lag to report. */
  private final class LagReset implements ConsumerRebalanceListener {
    private final Consumer<byte[], byte[]> consumer;

    LagReset(Consumer<byte[], byte[]> consumer) {
      this.consumer = consumer;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(p -> observer.lag(p.topic(), p.partition(), 0));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      reportLag(consumer);
    }
  }

  private void sleep(long millis) {
    long until = System.currentTimeMillis() + millis;
    while (running && System.currentTimeMillis() < until) {
      try {
        Thread.sleep(Math.min(100, millis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Stops consuming: each consumer finishes (stores and commits) the poll it holds, then leaves the
   * group so its partitions move to the other writers at once.
   */
  public void close(Duration grace) {
    running = false;
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(20));
  }

  /** 200 ms, doubling up to {@link #MAX_BACKOFF_MILLIS}. */
  private static long nextBackoff(long backoff) {
    return Math.min(MAX_BACKOFF_MILLIS, Math.max(200, backoff * 2));
  }
}
