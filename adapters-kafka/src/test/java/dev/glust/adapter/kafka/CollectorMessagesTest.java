package dev.glust.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import dev.glust.adapter.kafka.testing.TestKafka;
import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.application.service.IngestTelemetryService;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.metric.NumberValue;
import dev.glust.domain.trace.Span;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an OpenTelemetry Collector's Kafka exporter writes ({@code encoding: otlp_proto}; traces
 * split per trace and keyed by the trace id in hex with {@code partition_traces_by_id}, logs and
 * metrics one message per request without a key), produced here with a plain Kafka producer and the
 * opentelemetry-proto classes only, is consumed by a Glust writer as a receiver's records are.
 */
class CollectorMessagesTest {
  private static final PipelineSettings PIPELINE =
      new PipelineSettings(10_000, Duration.ofMillis(5), 100_000, 64 << 20, 2);
  private static final HexFormat HEX = HexFormat.of();

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
  private final long now = System.currentTimeMillis() * 1_000_000L;
  private final List<Span> storedSpans = new CopyOnWriteArrayList<>();
  private final List<LogRecord> storedLogs = new CopyOnWriteArrayList<>();
  private final List<MetricPoint> storedPoints = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** A writer whose span storage runs {@code spanStorage} before keeping what it is given. */
  private void startWriter(Consumer<List<Span>> spanStorage) {
    KafkaTransport transport = KafkaTransport.connect(settings, KafkaObserver.NONE);
    open.add(transport);
    BatchingPipeline<Span> spans =
        new BatchingPipeline<>(
            "spans",
            (tenant, batch) -> {
              spanStorage.accept(batch);
              storedSpans.addAll(batch);
            },
            PIPELINE);
    BatchingPipeline<LogRecord> logs =
        new BatchingPipeline<>("logs", (tenant, batch) -> storedLogs.addAll(batch), PIPELINE);
    BatchingPipeline<MetricPoint> metrics =
        new BatchingPipeline<>("metrics", (tenant, batch) -> storedPoints.addAll(batch), PIPELINE);
    open.addAll(List.of(spans, logs, metrics));
    IngestTelemetryService ingest = KafkaTransportTest.ingest(spans, logs, metrics);
    open.add(transport.startWriter(ingest, ingest, ingest));
  }

  @Test
  void everySignalAsTheCollectorWritesItIsStored() throws Exception {
    byte[] traceA = traceId(1);
    byte[] traceB = traceId(2);
    try (KafkaProducer<byte[], byte[]> collector = collector()) {
      for (byte[] trace : List.of(traceA, traceB)) { // one message per trace, keyed by its id
        send(
            collector, "spans", key(trace), traces(span(trace, 1, "GET /a"), span(trace, 2, "db")));
      }
      send(collector, "logs", null, logs());
      send(collector, "metrics", null, metrics());
    }
    startWriter(batch -> {});

    await(() -> storedSpans.size() >= 4 && storedLogs.size() >= 2 && storedPoints.size() >= 2);
    assertThat(storedSpans)
        .extracting(s -> s.traceId().toHex() + "/" + s.spanId().value() + " " + s.name())
        .containsExactlyInAnyOrder(
            HEX.formatHex(traceA) + "/1 GET /a",
            HEX.formatHex(traceA) + "/2 db",
            HEX.formatHex(traceB) + "/1 GET /a",
            HEX.formatHex(traceB) + "/2 db");
    Span span = storedSpans.get(0);
    assertThat(span.resource().attributes().get("service.name")).hasValue(text("collected"));
    assertThat(span.scope().name()).isEqualTo("io.example");
    assertThat(span.attributes().get("http.route")).hasValue(text("/a/{id}"));
    assertThat(storedLogs)
        .extracting(LogRecord::body, LogRecord::severityNumber)
        .containsExactlyInAnyOrder(tuple(text("payment failed"), 17), tuple(text("retrying"), 13));
    assertThat(storedPoints)
        .extracting(p -> p.metric().name(), p -> p.metric().kind(), p -> p.point().value())
        .containsExactlyInAnyOrder(
            tuple("queue.depth", MetricKind.GAUGE, NumberValue.of(7L)),
            tuple("http.requests", MetricKind.SUM, NumberValue.of(2.5)));
    await(() -> committedToTheEnd("spans") && committedToTheEnd("logs"));
  }

  /**
   * A Collector forwards what its clients sent, broken records included: the good ones are stored
   * (OTLP partial success), and the message is copied to the dead-letter topic with the reason.
   */
  @Test
  void aMessageWithRecordsTheMappingRejectsStoresTheGoodOnesAndIsDeadLettered() throws Exception {
    byte[] trace = traceId(3);
    ExportTraceServiceRequest mixed =
        traces(span(trace, 1, "good"), span(trace, 0, "no span id"), span(trace, 2, "good too"));
    try (KafkaProducer<byte[], byte[]> collector = collector()) {
      send(collector, "spans", key(trace), mixed);
    }
    startWriter(batch -> {});

    await(() -> storedSpans.size() >= 2 && committedToTheEnd("spans"));
    assertThat(storedSpans).extracting(Span::name).containsExactlyInAnyOrder("good", "good too");
    List<ConsumerRecord<byte[], byte[]>> dead =
        TestKafka.broker().readAll(settings.deadLetterTopic(), 1);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).value()).isEqualTo(mixed.toByteArray());
    assertThat(dead.get(0).key()).isEqualTo(key(trace));
    assertThat(header(dead.get(0), "glust.dlq.reason"))
        .startsWith("rejected: 1 span rejected; first:");
  }

  /** Storage refusing one span of a Collector's message: only that span is dead-lettered. */
  @Test
  void aSpanStorageRefusesIsDeadLetteredAloneAndTheRestOfTheMessageIsStored() throws Exception {
    byte[] trace = traceId(4);
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      spans.add(span(trace, i, i == 7 ? "poisonous" : "fine-" + i));
    }
    try (KafkaProducer<byte[], byte[]> collector = collector()) {
      send(
          collector,
          "spans",
          key(trace),
          traces(spans.toArray(io.opentelemetry.proto.trace.v1.Span[]::new)));
    }
    startWriter(
        batch -> {
          if (batch.stream().anyMatch(s -> s.name().equals("poisonous"))) {
            throw new StorageRejectedException("value out of range", null);
          }
        });

    await(() -> committedToTheEnd("spans"));
    assertThat(storedSpans).extracting(Span::name).hasSize(9).doesNotContain("poisonous");
    List<ConsumerRecord<byte[], byte[]>> dead =
        TestKafka.broker().readAll(settings.deadLetterTopic(), 1);
    assertThat(dead).hasSize(1);
    ExportTraceServiceRequest alone = ExportTraceServiceRequest.parseFrom(dead.get(0).value());
    assertThat(alone.getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(io.opentelemetry.proto.trace.v1.Span::getName)
        .containsExactly("poisonous");
    assertThat(alone.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue())
        .isEqualTo("collected");
    assertThat(header(dead.get(0), "glust.dlq.reason")).contains("value out of range");
  }

  /** Both at once: the refused span alone, and the message for the span the mapping rejected. */
  @Test
  void aMessageStoredApartStillReportsTheRecordsTheMappingRejected() throws Exception {
    byte[] trace = traceId(6);
    ExportTraceServiceRequest mixed =
        traces(span(trace, 1, "fine"), span(trace, 0, "no span id"), span(trace, 2, "poisonous"));
    try (KafkaProducer<byte[], byte[]> collector = collector()) {
      send(collector, "spans", key(trace), mixed);
    }
    startWriter(
        batch -> {
          if (batch.stream().anyMatch(s -> s.name().equals("poisonous"))) {
            throw new StorageRejectedException("value out of range", null);
          }
        });

    await(() -> committedToTheEnd("spans"));
    assertThat(storedSpans).extracting(Span::name).containsExactly("fine");
    List<ConsumerRecord<byte[], byte[]>> dead =
        TestKafka.broker().readAll(settings.deadLetterTopic(), 2);
    assertThat(dead)
        .extracting(r -> header(r, "glust.dlq.reason"))
        .hasSize(2)
        .anySatisfy(reason -> assertThat(reason).contains("value out of range"))
        .anySatisfy(reason -> assertThat(reason).startsWith("rejected: 1 span rejected"));
  }

  /** Bytes that are no OTLP request, and a truncated one, never block their partition. */
  @Test
  void malformedMessagesAreDeadLetteredAndThePartitionMovesOn() throws Exception {
    byte[] trace = traceId(5);
    byte[] whole = traces(span(trace, 1, "after the garbage")).toByteArray();
    byte[] garbage = "definitely not OTLP".getBytes(StandardCharsets.UTF_8);
    byte[] truncated = Arrays.copyOf(whole, whole.length - 5);
    try (KafkaProducer<byte[], byte[]> collector = collector()) {
      for (byte[] bad : List.of(garbage, truncated)) {
        collector.send(new ProducerRecord<>(settings.topic("spans"), 0, null, bad)).get();
      }
      collector.send(new ProducerRecord<>(settings.topic("spans"), 0, key(trace), whole)).get();
    }
    startWriter(batch -> {});

    await(() -> storedSpans.size() >= 1 && committedToTheEnd("spans"));
    assertThat(storedSpans).extracting(Span::name).containsExactly("after the garbage");
    List<ConsumerRecord<byte[], byte[]>> dead =
        TestKafka.broker().readAll(settings.deadLetterTopic(), 2);
    assertThat(dead)
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder(garbage, truncated);
    assertThat(dead)
        .allSatisfy(
            r -> assertThat(header(r, "glust.dlq.reason")).contains("not an OTLP spans export"));
  }

  /** Storage down for a while: the Collector's messages wait in Kafka and none is lost. */
  @Test
  void aStorageOutageLosesNothing() throws Exception {
    try (KafkaProducer<byte[], byte[]> collector = collector()) {
      for (int t = 10; t < 20; t++) {
        byte[] trace = traceId(t);
        send(collector, "spans", key(trace), traces(span(trace, 1, "t" + t)));
      }
    }
    AtomicInteger attempts = new AtomicInteger();
    startWriter(
        batch -> {
          if (attempts.incrementAndGet() <= 3) {
            throw new StorageUnavailableException("database down", null);
          }
        });

    // at least once: a record handed to storage again after a rewind is stored once by the
    // database (idempotent writes); this fake keeps every hand-over, so count distinct spans
    await(() -> Set.copyOf(storedSpans).size() >= 10 && committedToTheEnd("spans"));
    assertThat(Set.copyOf(storedSpans)).hasSize(10);
    assertThat(attempts.get()).isGreaterThan(3);
  }

  private static dev.glust.domain.common.AnyValue text(String value) {
    return dev.glust.domain.common.AnyValue.of(value);
  }

  // ---- the Collector's side: opentelemetry-proto and a plain producer, no Glust code ----

  private KafkaProducer<byte[], byte[]> collector() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  private void send(
      KafkaProducer<byte[], byte[]> producer,
      String signal,
      byte[] key,
      com.google.protobuf.Message m)
      throws Exception {
    producer.send(new ProducerRecord<>(settings.topic(signal), key, m.toByteArray())).get();
  }

  /** Unique per test run: the broker is shared. */
  private byte[] traceId(int n) {
    byte[] id = new byte[16];
    long run = System.nanoTime();
    for (int i = 0; i < 8; i++) {
      id[i] = (byte) (run >>> (8 * i));
    }
    id[15] = (byte) n;
    return id;
  }

  /** partition_traces_by_id: the trace id as 32 lower-case hex characters. */
  private static byte[] key(byte[] traceId) {
    return HEX.formatHex(traceId).getBytes(StandardCharsets.US_ASCII);
  }

  private static Resource resource() {
    return Resource.newBuilder().addAttributes(string("service.name", "collected")).build();
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private io.opentelemetry.proto.trace.v1.Span span(byte[] traceId, int spanId, String name) {
    byte[] id = new byte[8];
    id[7] = (byte) spanId;
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(id))
        .setName(name)
        .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(now - 2_000_000)
        .setEndTimeUnixNano(now - 1_000_000)
        .addAttributes(string("http.route", "/a/{id}"))
        .build();
  }

  private static ExportTraceServiceRequest traces(io.opentelemetry.proto.trace.v1.Span... spans) {
    ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder().setResource(resource());
    resourceSpans
        .addScopeSpansBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.example"))
        .addAllSpans(List.of(spans));
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(resourceSpans).build();
  }

  private ExportLogsServiceRequest logs() {
    ResourceLogs.Builder resourceLogs = ResourceLogs.newBuilder().setResource(resource());
    var scope = resourceLogs.addScopeLogsBuilder();
    scope
        .addLogRecordsBuilder()
        .setTimeUnixNano(now - 1_000)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
        .setBody(AnyValue.newBuilder().setStringValue("payment failed"));
    scope
        .addLogRecordsBuilder()
        .setObservedTimeUnixNano(now - 500)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
        .setBody(AnyValue.newBuilder().setStringValue("retrying"));
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(resourceLogs).build();
  }

  private ExportMetricsServiceRequest metrics() {
    NumberDataPoint.Builder depth =
        NumberDataPoint.newBuilder().setTimeUnixNano(now - 1_000).setAsInt(7);
    NumberDataPoint.Builder requests =
        NumberDataPoint.newBuilder()
            .setStartTimeUnixNano(now - 60_000_000_000L)
            .setTimeUnixNano(now - 1_000)
            .setAsDouble(2.5);
    ResourceMetrics.Builder resourceMetrics = ResourceMetrics.newBuilder().setResource(resource());
    resourceMetrics
        .addScopeMetricsBuilder()
        .addMetrics(
            Metric.newBuilder()
                .setName("queue.depth")
                .setGauge(Gauge.newBuilder().addDataPoints(depth)))
        .addMetrics(
            Metric.newBuilder()
                .setName("http.requests")
                .setSum(
                    Sum.newBuilder()
                        .setIsMonotonic(true)
                        .setAggregationTemporality(
                            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(requests)));
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(resourceMetrics).build();
  }

  // ---- reading back ----

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private boolean committedToTheEnd(String signal) throws Exception {
    return TestKafka.broker().lag(settings.group(), settings.topic(signal)) == 0;
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(Condition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within 60 s");
      }
      Thread.sleep(50);
    }
  }
}
