package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.glust.adapter.kafka.testing.TestKafka;
import dev.glust.adapter.postgres.testing.TestPostgres;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An OpenTelemetry Collector feeding a writer-mode Glust through Kafka: the messages are written as
 * the Collector's Kafka exporter writes them ({@code encoding: otlp_proto}, traces keyed by the
 * trace id in hex), by a plain producer with the opentelemetry-proto classes only, to the topics
 * Glust's receivers use; the writer stores them in PostgreSQL, readable through the query API.
 */
class CollectorKafkaSystemTest {
  private static final String PREFIX = TestKafka.freshTopicPrefix();
  private static final String GROUP = "writers-" + System.nanoTime();
  private static final HexFormat HEX = HexFormat.of();
  private static TestPostgres.Database db;
  private static RunningGlust writer;

  @BeforeAll
  static void start() {
    db = TestPostgres.server().createDatabase();
    Map<String, Object> config = new HashMap<>();
    config.put("glust.mode", "writer");
    config.put("glust.kafka.bootstrap", TestKafka.broker().bootstrap());
    config.put("glust.kafka.topic-prefix", PREFIX);
    config.put("glust.kafka.group", GROUP);
    config.put("glust.kafka.partitions", 4);
    writer = new RunningGlust(db, config);
  }

  @AfterAll
  static void stop() {
    writer.close();
  }

  @Test
  void tracesLogsAndMetricsFromTheCollectorAreStoredAndReadable() throws Exception {
    String service = "collector-fed";
    byte[] traceId = randomBytes(16);
    long now = System.currentTimeMillis() * 1_000_000L;
    try (KafkaProducer<byte[], byte[]> collector = collector()) {
      send(
          collector,
          "spans",
          HEX.formatHex(traceId).getBytes(StandardCharsets.US_ASCII),
          traces(service, span(traceId, "checkout", null, now), span(traceId, "db", 1, now)));
      send(collector, "logs", null, logs(service, traceId, now));
      send(collector, "metrics", null, metrics(service, now));
    }

    await(() -> rows("spans", service) >= 2 && rows("logs", service) >= 1);
    await(() -> numberPoints(service) >= 1);
    HttpResponse<String> trace = writer.get("/api/v1/traces/" + HEX.formatHex(traceId));
    assertThat(trace.statusCode()).isEqualTo(200);
    assertThat(trace.body()).contains("\"checkout\"", "\"db\"", "card declined");
  }

  /** Kafka and the Collector both deliver at least once: the same message twice is stored once. */
  @Test
  void aMessageDeliveredTwiceIsStoredOnce() throws Exception {
    String service = "collector-twice";
    byte[] traceId = randomBytes(16);
    long now = System.currentTimeMillis() * 1_000_000L;
    ExportTraceServiceRequest request =
        traces(service, span(traceId, "root", null, now), span(traceId, "child", 1, now));
    byte[] key = HEX.formatHex(traceId).getBytes(StandardCharsets.US_ASCII);
    try (KafkaProducer<byte[], byte[]> collector = collector()) {
      send(collector, "spans", key, request);
      send(collector, "spans", key, request);
    }

    await(() -> TestKafka.broker().lag(GROUP, PREFIX + "spans") == 0 && rows("spans", service) > 0);
    assertThat(rows("spans", service)).isEqualTo(2);
  }

  // ---- the Collector's side: opentelemetry-proto and a plain producer, no Glust code ----

  private static KafkaProducer<byte[], byte[]> collector() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.broker().bootstrap(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String signal, byte[] key, Message message)
      throws Exception {
    producer.send(new ProducerRecord<>(PREFIX + signal, key, message.toByteArray())).get();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    bytes[0] |= 1; // never all zero
    return bytes;
  }

  private static Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service)))
        .build();
  }

  /** A span whose id is its parent's plus one ({@code parent} null: the root, id 1). */
  private static Span span(byte[] traceId, String name, Integer parent, long now) {
    int id = parent == null ? 1 : parent + 1;
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(spanId(id)))
            .setName(name)
            .setStartTimeUnixNano(now - 5_000_000)
            .setEndTimeUnixNano(now - 1_000_000);
    if (parent != null) {
      span.setParentSpanId(ByteString.copyFrom(spanId(parent)));
    }
    return span.build();
  }

  private static byte[] spanId(int id) {
    byte[] bytes = new byte[8];
    bytes[7] = (byte) id;
    return bytes;
  }

  private static ExportTraceServiceRequest traces(String service, Span... spans) {
    ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder().setResource(resource(service));
    resourceSpans.addScopeSpansBuilder().addAllSpans(java.util.List.of(spans));
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(resourceSpans).build();
  }

  private static ExportLogsServiceRequest logs(String service, byte[] traceId, long now) {
    ResourceLogs.Builder resourceLogs = ResourceLogs.newBuilder().setResource(resource(service));
    resourceLogs
        .addScopeLogsBuilder()
        .addLogRecords(
            LogRecord.newBuilder()
                .setTimeUnixNano(now - 2_000_000)
                .setSeverityNumberValue(17)
                .setTraceId(ByteString.copyFrom(traceId))
                .setSpanId(ByteString.copyFrom(spanId(2)))
                .setBody(AnyValue.newBuilder().setStringValue("card declined")));
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(resourceLogs).build();
  }

  private static ExportMetricsServiceRequest metrics(String service, long now) {
    ResourceMetrics.Builder resourceMetrics =
        ResourceMetrics.newBuilder().setResource(resource(service));
    resourceMetrics
        .addScopeMetricsBuilder()
        .addMetrics(
            Metric.newBuilder()
                .setName("queue.depth")
                .setGauge(
                    Gauge.newBuilder()
                        .addDataPoints(
                            NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsInt(3))));
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(resourceMetrics).build();
  }

  // ---- reading back ----

  private static long rows(String table, String service) throws Exception {
    return db.queryLong(
        "SELECT count(*) FROM " + table + " WHERE service_name = '" + service + "'");
  }

  private static long numberPoints(String service) throws Exception {
    return db.queryLong(
        "SELECT count(*) FROM metric_points_number JOIN metric_series USING (series_id)"
            + " WHERE service_name = '"
            + service
            + "'");
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
      Thread.sleep(100);
    }
  }
}
