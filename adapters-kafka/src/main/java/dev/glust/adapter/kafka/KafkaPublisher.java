package dev.glust.adapter.kafka;

import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.utils.Utils;

/**
 * Publishes one signal's batches, standing where the database writer stands in a single process: it
 * returns only when the broker acknowledged every record (acks=all), so the OTLP client is answered
 * after Kafka holds its data. A batch becomes one Kafka record per partition, its value one OTLP
 * export request (the records already passed the receiver's mapping and rules; {@link Signal}
 * encodes them back to OTLP): a record's partition is the one Kafka's default partitioner gives its
 * key (the trace id as the Collector writes it; a metric point's series), so a trace's spans (a
 * series' points) stay in one partition, in order, without a Kafka record per trace. The record
 * itself carries no key, as a Collector's record holding many traces carries none; the writer
 * accepts any grouping.
 */
final class KafkaPublisher<T> {
  /** Below the broker's default message.max.bytes (1 MiB) with room for record overhead. */
  static final int MAX_VALUE_BYTES = 900 * 1024;

  private final Signal<T> signal;
  private final String topic;
  private final Producer<byte[], byte[]> producer;
  private final long timeoutNanos;
  private final KafkaObserver observer;
  private final AtomicInteger unkeyed = new AtomicInteger();

  KafkaPublisher(
      Signal<T> signal,
      KafkaSettings settings,
      Producer<byte[], byte[]> producer,
      KafkaObserver observer) {
    this.signal = signal;
    this.topic = settings.topic(signal.name());
    this.producer = producer;
    this.timeoutNanos = settings.publishTimeout().toNanos();
    this.observer = observer;
    observer.publishing(signal.name());
  }

  /**
   * @throws StorageUnavailableException when the broker is unreachable, full or too slow
   * @throws StorageRejectedException when one record alone is larger than a Kafka message may be
   */
  void publish(TenantId tenant, List<T> records) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Map.Entry<Integer, List<T>> part : byPartition(records).entrySet()) {
        send(tenant, part.getKey(), part.getValue(), sent);
      }
      for (Future<RecordMetadata> ack : sent) {
        ack.get(Math.max(0, start + timeoutNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      ok = true;
    } catch (ExecutionException e) {
      throw translate(e.getCause());
    } catch (TimeoutException e) {
      throw new StorageUnavailableException("Kafka did not acknowledge in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("interrupted while publishing to Kafka", e);
    } catch (KafkaException e) {
      throw translate(e); // send() itself: no metadata or no buffer space within max.block.ms
    } finally {
      observer.published(signal.name(), records.size(), System.nanoTime() - start, ok);
    }
  }

  private Map<Integer, List<T>> byPartition(List<T> records) {
    int partitions = producer.partitionsFor(topic).size();
    int spread = Utils.toPositive(unkeyed.getAndIncrement()) % partitions;
    Map<Integer, List<T>> parts = new TreeMap<>();
    for (T record : records) {
      byte[] key = signal.key().apply(record);
      int partition = key == null ? spread : Utils.toPositive(Utils.murmur2(key)) % partitions;
      parts.computeIfAbsent(partition, p -> new ArrayList<>()).add(record);
    }
    return parts;
  }

  /** Splits in halves until each value fits in a Kafka message; order within the part is kept. */
  private void send(
      TenantId tenant, int partition, List<T> records, List<Future<RecordMetadata>> sent) {
    byte[] value = signal.encode(records);
    if (value.length > MAX_VALUE_BYTES && records.size() > 1) {
      int half = records.size() / 2;
      send(tenant, partition, records.subList(0, half), sent);
      send(tenant, partition, records.subList(half, records.size()), sent);
      return;
    }
    sent.add(
        producer.send(
            new ProducerRecord<byte[], byte[]>(
                topic, partition, null, value, List.of(KafkaTenant.header(tenant)))));
  }

  private static RuntimeException translate(Throwable cause) {
    if (cause instanceof RecordTooLargeException) {
      return new StorageRejectedException("a record is larger than a Kafka message may be", cause);
    }
    return new StorageUnavailableException("Kafka is unavailable: " + cause.getMessage(), cause);
  }
}
