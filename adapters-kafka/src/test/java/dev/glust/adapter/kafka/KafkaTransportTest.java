package dev.glust.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.adapter.kafka.testing.TestKafka;
import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Publisher and writer against a real broker; storage is an in-memory port that records what it was
 * given (the database side is tested end to end in bootstrap).
 */
class KafkaTransportTest {
  private static final PipelineSettings PIPELINE =
      new PipelineSettings(10_000, Duration.ofMillis(5), 100_000, 64 << 20, 2);

  private final KafkaSettings settings =
      new KafkaSettings(
          TestKafka.broker().bootstrap(),
          TestKafka.freshTopicPrefix(),
          4,
          (short) 1,
          "writers-" + System.nanoTime(),
          1,
          Duration.ofSeconds(10));
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T opened(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private KafkaWriter writer(KafkaTransport transport, Consumer<List<Span>> saveSpans) {
    return writer(transport, saveSpans, logs -> {});
  }

  private KafkaWriter writer(
      KafkaTransport transport, Consumer<List<Span>> saveSpans, Consumer<List<LogRecord>> save) {
    return writer(transport, saveSpans, save, points -> {});
  }

  private KafkaWriter writer(
      KafkaTransport transport,
      Consumer<List<Span>> saveSpans,
      Consumer<List<LogRecord>> save,
      Consumer<List<MetricPoint>> saveMetrics) {
    BatchingPipeline<Span> spans = opened(new BatchingPipeline<>("spans", saveSpans, PIPELINE));
    BatchingPipeline<LogRecord> logs = opened(new BatchingPipeline<>("logs", save, PIPELINE));
    BatchingPipeline<MetricPoint> metrics =
        opened(new BatchingPipeline<>("metrics", saveMetrics, PIPELINE));
    return opened(transport.startWriter(spans, logs, metrics));
  }

  private static List<Span> spans(int traces, int spansPerTrace) {
    List<Span> spans = new ArrayList<>();
    long run = System.nanoTime(); // ids unique across tests on the shared broker
    for (int t = 1; t <= traces; t++) {
      TraceId trace = new TraceId(t, run);
      for (int s = 1; s <= spansPerTrace; s++) {
        spans.add(SampleTelemetry.span(trace, new SpanId(s), null, "op-" + t + "-" + s));
      }
    }
    return spans;
  }

  @Test
  void publishedBatchesAreStoredFieldForFieldAndCommittedAfterStorage() throws Exception {
    KafkaTransport transport = opened(KafkaTransport.connect(settings, KafkaObserver.NONE));
    List<Span> sent = spans(20, 5);
    List<LogRecord> logs =
        List.of(SampleTelemetry.log(AnyValue.of("a")), SampleTelemetry.log(AnyValue.of("b")));
    transport.spans().saveSpans(sent.subList(0, 50));
    transport.spans().saveSpans(sent.subList(50, 100));
    transport.logs().saveLogs(logs);

    List<Span> stored = new CopyOnWriteArrayList<>();
    List<LogRecord> storedLogs = new CopyOnWriteArrayList<>();
    writer(transport, stored::addAll, storedLogs::addAll);

    await(() -> stored.size() >= 100 && storedLogs.size() >= 2);
    assertThat(stored).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(storedLogs).containsExactlyInAnyOrderElementsOf(logs);
    await(() -> committedEqualsEnd("spans") && committedEqualsEnd("logs"));
  }

  @Test
  void aTracesSpansShareOnePartitionInOrder() throws Exception {
    KafkaTransport transport = opened(KafkaTransport.connect(settings, KafkaObserver.NONE));
    List<Span> sent = spans(8, 3);
    for (Span s : sent) {
      transport.spans().saveSpans(List.of(s)); // one Kafka record each
    }
    Map<TraceId, List<Integer>> partitions = new java.util.HashMap<>();
    Map<TraceId, List<Long>> order = new java.util.HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(settings.topic("spans"), sent.size())) {
      Span s = new SpanCodec().decode(r.value()).get(0);
      partitions.computeIfAbsent(s.traceId(), t -> new ArrayList<>()).add(r.partition());
      order.computeIfAbsent(s.traceId(), t -> new ArrayList<>()).add(s.spanId().value());
    }
    assertThat(partitions.values()).allSatisfy(p -> assertThat(p).containsOnly(p.get(0)));
    assertThat(order.values()).allSatisfy(ids -> assertThat(ids).containsExactly(1L, 2L, 3L));
    assertThat(partitions.values().stream().map(p -> p.get(0)).distinct().count())
        .isGreaterThan(1); // 8 traces over 4 partitions
  }

  /**
   * Metric points of 6 series of two metrics, one Kafka record each: stored field for field, and
   * each series' points in one partition in the order they were published.
   */
  @Test
  void metricPointsAreStoredFieldForFieldAndASeriesKeepsOnePartitionInOrder() throws Exception {
    KafkaTransport transport = opened(KafkaTransport.connect(settings, KafkaObserver.NONE));
    List<MetricPoint> sent = new ArrayList<>();
    for (MetricKind kind : List.of(MetricKind.HISTOGRAM, MetricKind.SUM)) {
      Metric metric = SampleTelemetry.metric("kafka.test", kind); // a fresh topic each test
      for (int step = 1; step <= 4; step++) {
        for (int series = 1; series <= 3; series++) {
          MetricPoint p = SampleTelemetry.metricPoint(metric, SampleTelemetry.START_NANOS + step);
          sent.add(
              new MetricPoint(
                  metric,
                  new DataPoint(
                      p.point().attributes().with("series", AnyValue.of(series)),
                      p.point().startTimeUnixNano(),
                      p.point().timeUnixNano(),
                      p.point().flags(),
                      p.point().value(),
                      p.point().exemplars())));
        }
      }
    }
    for (MetricPoint p : sent) {
      transport.metrics().saveMetrics(List.of(p));
    }
    List<MetricPoint> stored = new CopyOnWriteArrayList<>();
    writer(transport, spans -> {}, logs -> {}, stored::addAll);

    await(() -> stored.size() >= sent.size());
    assertThat(stored).containsExactlyInAnyOrderElementsOf(sent);
    await(() -> committedEqualsEnd("metrics"));

    Map<String, List<Integer>> partitions = new java.util.HashMap<>();
    Map<String, List<Long>> order = new java.util.HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(settings.topic("metrics"), sent.size())) {
      MetricPoint p = new MetricCodec().decode(r.value()).get(0);
      String series = p.metric().kind() + " " + p.point().attributes().get("series").orElseThrow();
      partitions.computeIfAbsent(series, s -> new ArrayList<>()).add(r.partition());
      order.computeIfAbsent(series, s -> new ArrayList<>()).add(p.point().timeUnixNano());
    }
    long t = SampleTelemetry.START_NANOS;
    assertThat(partitions).hasSize(6);
    assertThat(partitions.values()).allSatisfy(p -> assertThat(p).containsOnly(p.get(0)));
    assertThat(order.values())
        .allSatisfy(times -> assertThat(times).containsExactly(t + 1, t + 2, t + 3, t + 4));
    assertThat(partitions.values().stream().map(p -> p.get(0)).distinct().count())
        .isGreaterThan(1); // 6 series over 4 partitions
  }

  @Test
  void storageOutagesAreRetriedWithoutCommittingAndNothingIsLost() throws Exception {
    KafkaTransport transport = opened(KafkaTransport.connect(settings, KafkaObserver.NONE));
    List<Span> sent = spans(10, 2);
    transport.spans().saveSpans(sent);
    AtomicInteger attempts = new AtomicInteger();
    List<Span> stored = new CopyOnWriteArrayList<>();
    writer(
        transport,
        batch -> {
          if (attempts.incrementAndGet() <= 3) {
            throw new StorageUnavailableException("database down", null);
          }
          stored.addAll(batch);
        });

    await(() -> stored.size() >= sent.size());
    assertThat(attempts.get()).isGreaterThan(3);
    assertThat(stored).containsExactlyInAnyOrderElementsOf(sent);
    await(() -> committedEqualsEnd("spans"));
  }

  @Test
  void poisonGoesToTheDeadLetterTopicWithItsReasonAndDoesNotBlockThePartition() throws Exception {
    AtomicInteger deadLettered = new AtomicInteger();
    KafkaTransport transport =
        opened(
            KafkaTransport.connect(
                settings,
                new KafkaObserver() {
                  @Override
                  public void deadLettered(String topic, String reason) {
                    deadLettered.incrementAndGet();
                  }
                }));
    byte[] poison = "definitely not a batch".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      for (int p = 0; p < 4; p++) { // every partition holds poison before good records
        raw.send(new ProducerRecord<>(settings.topic("spans"), p, null, poison)).get();
      }
    }
    List<Span> sent = spans(12, 1);
    transport.spans().saveSpans(sent);
    List<Span> stored = new CopyOnWriteArrayList<>();
    writer(transport, stored::addAll);

    await(() -> stored.size() >= sent.size());
    assertThat(stored).containsExactlyInAnyOrderElementsOf(sent);
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(settings.deadLetterTopic(), 4);
    assertThat(dead).hasSize(4);
    assertThat(dead)
        .allSatisfy(
            r -> {
              assertThat(r.value()).isEqualTo(poison);
              assertThat(header(r, "glust.dlq.topic")).isEqualTo(settings.topic("spans"));
              assertThat(header(r, "glust.dlq.reason")).contains("undecodable batch");
            });
    assertThat(deadLettered.get()).isEqualTo(4);
    await(() -> committedEqualsEnd("spans"));
  }

  @Test
  void anUnreachableBrokerIsATransientStorageFailureWithinTheTimeout() {
    KafkaSettings nowhere =
        new KafkaSettings("127.0.0.1:1", "x.", 1, (short) 1, "g", 1, Duration.ofSeconds(2));
    KafkaTransport transport = opened(KafkaTransport.connect(nowhere, KafkaObserver.NONE));
    long start = System.nanoTime();

    assertThatThrownBy(() -> transport.spans().saveSpans(spans(1, 1)))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    assertThat(transport.probe().problem()).isPresent();
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                settings.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (read.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
      }
      return read;
    }
  }

  /** Whether the writers' group committed every partition of the signal's topic to its end. */
  private boolean committedEqualsEnd(String signal) throws Exception {
    return TestKafka.broker().lag(settings.group(), settings.topic(signal)) == 0;
  }

  private static void await(ThrowingCondition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 60 s");
      }
      Thread.sleep(50);
    }
  }

  private interface ThrowingCondition {
    boolean holds() throws Exception;
  }
}
