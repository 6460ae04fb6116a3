package dev.glust.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.adapter.kafka.testing.TestKafka;
import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.application.service.IngestTelemetryService;
import dev.glust.application.service.MaxRecordAge;
import dev.glust.application.service.MaxRecordAges;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
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
          0,
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
    return writerByTenant(
        transport,
        (tenant, spans) -> saveSpans.accept(spans),
        (tenant, logs) -> save.accept(logs),
        (tenant, points) -> saveMetrics.accept(points));
  }

  private KafkaWriter writerByTenant(
      KafkaTransport transport,
      BiConsumer<TenantId, List<Span>> saveSpans,
      BiConsumer<TenantId, List<LogRecord>> save,
      BiConsumer<TenantId, List<MetricPoint>> saveMetrics) {
    BatchingPipeline<Span> spans = opened(new BatchingPipeline<>("spans", saveSpans, PIPELINE));
    BatchingPipeline<LogRecord> logs = opened(new BatchingPipeline<>("logs", save, PIPELINE));
    BatchingPipeline<MetricPoint> metrics =
        opened(new BatchingPipeline<>("metrics", saveMetrics, PIPELINE));
    IngestTelemetryService ingest = ingest(spans, logs, metrics);
    return opened(transport.startWriter(ingest, ingest, ingest));
  }

  /** The receivers' rules, with a maximum age that lets the samples' 2018 timestamps in. */
  static IngestTelemetryService ingest(
      BatchingPipeline<Span> spans,
      BatchingPipeline<LogRecord> logs,
      BatchingPipeline<MetricPoint> metrics) {
    return new IngestTelemetryService(
        spans,
        logs,
        metrics,
        RecordLimits.OTEL_DEFAULTS,
        Duration.ofHours(1),
        MaxRecordAges.all(new MaxRecordAge(Duration.ofDays(36_500), "test")),
        () -> System.currentTimeMillis() * 1_000_000L);
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
    transport.spans().saveSpans(TenantId.DEFAULT, sent.subList(0, 50));
    transport.spans().saveSpans(TenantId.DEFAULT, sent.subList(50, 100));
    transport.logs().saveLogs(TenantId.DEFAULT, logs);

    List<Span> stored = new CopyOnWriteArrayList<>();
    List<LogRecord> storedLogs = new CopyOnWriteArrayList<>();
    writer(transport, stored::addAll, storedLogs::addAll);

    await(() -> stored.size() >= 100 && storedLogs.size() >= 2);
    assertThat(stored).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(storedLogs).containsExactlyInAnyOrderElementsOf(logs);
    await(() -> committedEqualsEnd("spans") && committedEqualsEnd("logs"));
  }

  @Test
  void eachRecordKeepsItsTenantThroughKafka() throws Exception {
    KafkaTransport transport = opened(KafkaTransport.connect(settings, KafkaObserver.NONE));
    List<Span> sent = spans(4, 2);
    TenantId acme = new TenantId("acme");
    transport.spans().saveSpans(acme, sent.subList(0, 4));
    transport.spans().saveSpans(TenantId.DEFAULT, sent.subList(4, 8));

    Map<Span, TenantId> stored = new ConcurrentHashMap<>();
    writerByTenant(
        transport,
        (tenant, spans) -> spans.forEach(span -> stored.put(span, tenant)),
        (tenant, logs) -> {},
        (tenant, points) -> {});

    await(() -> stored.keySet().containsAll(sent));
    sent.subList(0, 4).forEach(span -> assertThat(stored).containsEntry(span, acme));
    sent.subList(4, 8).forEach(span -> assertThat(stored).containsEntry(span, TenantId.DEFAULT));
  }

  @Test
  void aTracesSpansShareOnePartitionInOrder() throws Exception {
    KafkaTransport transport = opened(KafkaTransport.connect(settings, KafkaObserver.NONE));
    List<Span> sent = spans(8, 3);
    for (Span s : sent) {
      transport.spans().saveSpans(TenantId.DEFAULT, List.of(s)); // one Kafka record each
    }
    Map<TraceId, List<Integer>> partitions = new java.util.HashMap<>();
    Map<TraceId, List<Long>> order = new java.util.HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r :
        TestKafka.broker().readAll(settings.topic("spans"), sent.size())) {
      Span s = Signal.SPANS.decode(TenantId.DEFAULT, r.value()).records().get(0);
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
      transport.metrics().saveMetrics(TenantId.DEFAULT, List.of(p));
    }
    List<MetricPoint> stored = new CopyOnWriteArrayList<>();
    writer(transport, spans -> {}, logs -> {}, stored::addAll);

    await(() -> stored.size() >= sent.size());
    assertThat(stored).containsExactlyInAnyOrderElementsOf(sent);
    await(() -> committedEqualsEnd("metrics"));

    Map<String, List<Integer>> partitions = new java.util.HashMap<>();
    Map<String, List<Long>> order = new java.util.HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r :
        TestKafka.broker().readAll(settings.topic("metrics"), sent.size())) {
      MetricPoint p = Signal.METRICS.decode(TenantId.DEFAULT, r.value()).records().get(0);
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
    transport.spans().saveSpans(TenantId.DEFAULT, sent);
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
    transport.spans().saveSpans(TenantId.DEFAULT, sent);
    List<Span> stored = new CopyOnWriteArrayList<>();
    writer(transport, stored::addAll);

    await(() -> stored.size() >= sent.size());
    assertThat(stored).containsExactlyInAnyOrderElementsOf(sent);
    List<ConsumerRecord<byte[], byte[]>> dead =
        TestKafka.broker().readAll(settings.deadLetterTopic(), 4);
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

  /**
   * One Kafka record carries many clients' spans; storage refuses two of them. Only those go to the
   * dead-letter topic, each as a batch of its own; the others are stored, and the partition moves
   * on.
   */
  @Test
  void onlyTheRecordsStorageRejectsAreDeadLetteredTheRestOfTheirKafkaRecordIsStored()
      throws Exception {
    assertOnlyTheBadSpansAreDeadLettered(
        List.of(3, 26),
        bad -> new StorageRejectedException("value out of range", null),
        "value out of range");
  }

  /**
   * A failure that is neither "bad data" nor "unavailable" (a bug, say) caused by one span: the
   * partition still advances, that span dead-lettered, instead of being retried forever.
   */
  @Test
  void anUnexpectedStorageFailureIsIsolatedToItsRecordAndThePartitionAdvances() throws Exception {
    assertOnlyTheBadSpansAreDeadLettered(
        List.of(26),
        bad -> new IllegalStateException("bug tripped by " + bad.name()),
        "bug tripped by op-1-27");
  }

  /**
   * Storage going down while a Kafka record is stored apart: nothing is dead-lettered for it, the
   * partition is consumed again, and the record is stored apart once storage is back.
   */
  @Test
  void anOutageWhileStoringApartRewindsThePartitionAndLosesNothing() throws Exception {
    KafkaTransport transport = opened(KafkaTransport.connect(settings, KafkaObserver.NONE));
    List<Span> sent = spans(1, 16);
    Span bad = sent.get(5);
    transport.spans().saveSpans(TenantId.DEFAULT, sent);
    AtomicInteger calls = new AtomicInteger();
    List<Span> stored = new CopyOnWriteArrayList<>();
    writer(
        transport,
        batch -> {
          if (calls.incrementAndGet() == 2) { // the first batch of halves
            throw new StorageUnavailableException("database down", null);
          }
          if (batch.contains(bad)) {
            throw new StorageRejectedException("value out of range", null);
          }
          stored.addAll(batch);
        });

    await(() -> committedEqualsEnd("spans"));
    List<Span> good = new ArrayList<>(sent);
    good.remove(bad);
    assertThat(names(stored)).containsAll(names(good)).doesNotContain(bad.name());
    List<ConsumerRecord<byte[], byte[]>> dead =
        TestKafka.broker().readAll(settings.deadLetterTopic(), 1);
    assertThat(dead).hasSize(1);
    assertThat(names(Signal.SPANS.decode(TenantId.DEFAULT, dead.get(0).value()).records()))
        .containsExactly(bad.name());
  }

  private void assertOnlyTheBadSpansAreDeadLettered(
      List<Integer> badIndexes, Function<Span, RuntimeException> failure, String reason)
      throws Exception {
    KafkaTransport transport = opened(KafkaTransport.connect(settings, KafkaObserver.NONE));
    List<Span> sent = spans(1, 40); // one trace: one partition, one Kafka record
    List<Span> bad = badIndexes.stream().map(sent::get).toList();
    transport.spans().saveSpans(TenantId.DEFAULT, sent);
    List<Span> stored = new CopyOnWriteArrayList<>();
    writer(
        transport,
        batch -> {
          for (Span s : batch) {
            if (bad.contains(s)) {
              throw failure.apply(s);
            }
          }
          stored.addAll(batch);
        });

    await(() -> committedEqualsEnd("spans"));
    List<Span> good = new ArrayList<>(sent);
    good.removeAll(bad);
    assertThat(names(stored)).containsExactlyInAnyOrderElementsOf(names(good));
    int partition = TestKafka.broker().readAll(settings.topic("spans"), 1).get(0).partition();
    List<ConsumerRecord<byte[], byte[]>> dead =
        TestKafka.broker().readAll(settings.deadLetterTopic(), bad.size());
    assertThat(dead).hasSize(bad.size());
    List<Span> deadSpans = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> deadLetter : dead) {
      List<Span> alone = Signal.SPANS.decode(TenantId.DEFAULT, deadLetter.value()).records();
      assertThat(alone).hasSize(1);
      deadSpans.addAll(alone);
      assertThat(header(deadLetter, "glust.dlq.topic")).isEqualTo(settings.topic("spans"));
      assertThat(header(deadLetter, "glust.dlq.partition")).isEqualTo(Integer.toString(partition));
      assertThat(header(deadLetter, "glust.dlq.offset")).isEqualTo("0");
    }
    assertThat(names(deadSpans)).containsExactlyInAnyOrderElementsOf(names(bad));
    assertThat(deadSpans).containsExactlyInAnyOrderElementsOf(bad); // field for field
    assertThat(dead).allSatisfy(r -> assertThat(header(r, "glust.dlq.reason")).contains(reason));
  }

  private static List<String> names(List<Span> spans) {
    return spans.stream().map(Span::name).toList();
  }

  @Test
  void topicsAreCreatedWithTheMinimumInSyncReplicas() throws Exception {
    opened(KafkaTransport.connect(settings, KafkaObserver.NONE));
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap()))) {
      for (String signal : List.of("spans", "logs", "metrics", "dlq")) {
        var topic = new ConfigResource(ConfigResource.Type.TOPIC, settings.topic(signal));
        var minInSync =
            admin.describeConfigs(List.of(topic)).all().get().get(topic).get("min.insync.replicas");
        assertThat(minInSync.source())
            .as(signal)
            .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(minInSync.value()).as(signal).isEqualTo("1"); // replication factor 1
      }
    }
  }

  @Test
  void anUnreachableBrokerIsATransientStorageFailureWithinTheTimeout() {
    KafkaSettings nowhere =
        new KafkaSettings("127.0.0.1:1", "x.", 1, (short) 1, 0, "g", 1, Duration.ofSeconds(2));
    KafkaTransport transport = opened(KafkaTransport.connect(nowhere, KafkaObserver.NONE));
    long start = System.nanoTime();

    assertThatThrownBy(() -> transport.spans().saveSpans(TenantId.DEFAULT, spans(1, 1)))
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
