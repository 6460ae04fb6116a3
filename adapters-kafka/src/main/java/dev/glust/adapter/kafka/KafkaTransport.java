package dev.glust.adapter.kafka;

import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestMetricsUseCase;
import dev.glust.application.port.in.IngestSpansUseCase;
import dev.glust.application.port.out.ProbeStoragePort;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveMetricsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.trace.Span;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glust's connection to Kafka: the storage ports of receiver mode (publishers), the consumer side
 * of writer mode, and a reachability probe for readiness. Topics are created on first use when
 * missing, with the configured partitions, replication and {@code min.insync.replicas} (a topic
 * that exists keeps its own configuration).
 */
public final class KafkaTransport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTransport.class);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final KafkaSettings settings;
  private final KafkaObserver observer;
  private final Admin admin;
  private final Producer<byte[], byte[]> producer;
  private volatile boolean topicsExist;

  private KafkaTransport(KafkaSettings settings, KafkaObserver observer) {
    this.settings = settings;
    this.observer = observer;
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                settings.bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) settings.publishTimeout().toMillis() / 2,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) settings.publishTimeout().toMillis()));
    this.producer = new KafkaProducer<>(producerConfig(settings));
  }

  public static KafkaTransport connect(KafkaSettings settings, KafkaObserver observer) {
    KafkaTransport transport = new KafkaTransport(settings, observer);
    transport.ensureTopics();
    return transport;
  }

  /**
   * Acknowledged only when every in-sync replica has the record (acks=all); idempotent, so the
   * producer's own retries never write a record twice; a send blocks at most the publish timeout
   * when the broker is unreachable or the producer's buffer is full.
   */
  private static Map<String, Object> producerConfig(KafkaSettings settings) {
    int timeout = (int) settings.publishTimeout().toMillis();
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, timeout / 2));
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }

  /** Receiver mode's span storage: publishes OTLP trace requests to {@code <prefix>spans}. */
  public SaveSpansPort spans() {
    KafkaPublisher<Span> publisher = publisher(Signal.SPANS);
    return (tenant, spans) -> {
      ensureTopics();
      publisher.publish(tenant, spans);
    };
  }

  /** Receiver mode's log storage: publishes OTLP logs requests to {@code <prefix>logs}. */
  public SaveLogsPort logs() {
    KafkaPublisher<LogRecord> publisher = publisher(Signal.LOGS);
    return (tenant, logs) -> {
      ensureTopics();
      publisher.publish(tenant, logs);
    };
  }

  /** Receiver mode's metric storage: publishes OTLP metrics requests to {@code <prefix>metrics}. */
  public SaveMetricsPort metrics() {
    KafkaPublisher<MetricPoint> publisher = publisher(Signal.METRICS);
    return (tenant, points) -> {
      ensureTopics();
      publisher.publish(tenant, points);
    };
  }

  private <T> KafkaPublisher<T> publisher(Signal<T> signal) {
    return new KafkaPublisher<>(signal, settings, producer, observer);
  }

  /**
   * Writer mode: starts consuming the signal topics, each record an OTLP export request, into
   * storage through the same use cases (and so the same rules) as the OTLP receivers.
   *
   * @param spans ingests the spans of one request
   * @param logs ingests the log records of one request
   * @param metrics ingests the data points of one request
   */
  public KafkaWriter startWriter(
      IngestSpansUseCase spans, IngestLogsUseCase logs, IngestMetricsUseCase metrics) {
    ensureTopics();
    return new KafkaWriter(
        settings,
        List.of(
            new Route<>(Signal.SPANS, spans::ingestSpans),
            new Route<>(Signal.LOGS, logs::ingestLogs),
            new Route<>(Signal.METRICS, metrics::ingestMetrics)),
        () -> new KafkaConsumer<>(consumerConfig(settings)),
        producer,
        observer);
  }

  private static Map<String, Object> consumerConfig(KafkaSettings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // committed after PostgreSQL
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }

  /** Readiness: whether the broker answers within 2 s. */
  public ProbeStoragePort probe() {
    return () -> {
      try {
        admin.describeCluster().nodes().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.empty();
      } catch (ExecutionException e) {
        return Optional.of("Kafka unreachable: " + e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted while probing Kafka");
      } catch (java.util.concurrent.TimeoutException e) {
        return Optional.of("Kafka did not answer within " + PROBE_TIMEOUT.toSeconds() + "s");
      }
    };
  }

  /** Creates the missing topics; a broker that is down now is tried again on the next use. */
  private void ensureTopics() {
    if (topicsExist) {
      return;
    }
    List<NewTopic> topics =
        Stream.concat(Signal.ALL.stream().map(Signal::name), Stream.of("dlq"))
            .map(
                s ->
                    new NewTopic(
                            settings.topic(s), settings.partitions(), settings.replicationFactor())
                        .configs(
                            Map.of(
                                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                                Integer.toString(settings.minInSyncReplicas()))))
            .toList();
    try {
      for (var created : admin.createTopics(topics).values().entrySet()) {
        try {
          created.getValue().get(settings.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      topicsExist = true;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("could not create the Kafka topics yet: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
