package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.kafka.testing.TestKafka;
import dev.glust.adapter.postgres.testing.TestPostgres;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scale-out path end to end: OTel SDK exporters → a receiver-mode Glust (no database) → a real
 * Kafka broker → a writer-mode Glust → PostgreSQL, every stored field of spans, logs and metric
 * points compared with what was sent.
 */
class KafkaModesSystemTest {
  private static final String PREFIX = TestKafka.freshTopicPrefix();
  private static final String GROUP = "writers-" + System.nanoTime();
  private static final int PARTITIONS = 4;
  private static TestPostgres.Database db;
  private static RunningGlust receiver;
  private static RunningGlust writer;

  private static Map<String, Object> kafka(String mode) {
    Map<String, Object> config = new HashMap<>();
    config.put("glust.mode", mode);
    config.put("glust.kafka.bootstrap", TestKafka.broker().bootstrap());
    config.put("glust.kafka.topic-prefix", PREFIX);
    config.put("glust.kafka.group", GROUP);
    config.put("glust.kafka.partitions", PARTITIONS);
    return config;
  }

  @BeforeAll
  static void start() {
    db = TestPostgres.server().createDatabase();
    writer = new RunningGlust(db, kafka("writer"));
    receiver = new RunningGlust(null, kafka("receiver"));
  }

  @AfterAll
  static void stop() {
    receiver.close();
    writer.close();
  }

  @Test
  void eachModeRunsOnlyItsPartsAndIsReadyWhenItsStorageAnswers() throws Exception {
    assertThat(writer.receivers).as("a writer has no OTLP receivers").isNull();
    assertThat(receiver.receivers).isNotNull();
    assertThat(receiver.db).as("a receiver needs no database").isNull();
    assertThat(receiver.get("/health/readiness").statusCode()).isEqualTo(200);
    assertThat(writer.get("/health/readiness").statusCode()).isEqualTo(200);
    assertThat(receiver.get("/health").body()).contains("\"storage\":\"UP\"");

    HttpResponse<String> query = receiver.get("/api/v1/services");
    assertThat(query.statusCode()).as("no database to query: retry later").isEqualTo(503);
    assertThat(receiver.get("/metrics").body()).doesNotContain("glust_db_pool_connections");
    // series of known labels are there from start-up, at 0 while nothing happened
    assertThat(receiver.get("/metrics").body())
        .contains(
            "glust_kafka_publish_duration_seconds_count{outcome=\"failed\",signal=\"spans\"} 0\n");
    assertThat(writer.get("/metrics").body())
        .contains("glust_kafka_dead_letters_total{topic=\"" + PREFIX + "logs\"}");
  }

  /** As for a database outage in a single process: retry later, and not ready. */
  @Test
  void aReceiverWhoseBrokerIsGoneAnswersRetryableAndIsNotReady() throws Exception {
    Map<String, Object> config = kafka("receiver");
    config.put("glust.kafka.bootstrap", "127.0.0.1:1");
    config.put("glust.kafka.publish-timeout", "1s");
    try (RunningGlust orphan = new RunningGlust(null, config)) {
      byte[] request = DatabaseOutageSystemTest.oneSpan("no broker").toByteArray();
      HttpResponse<byte[]> answer =
          orphan.postOtlp("/v1/traces", "application/x-protobuf", request);

      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(answer.headers().firstValue("Retry-After")).isPresent();
      assertThat(orphan.get("/health/readiness").statusCode()).isEqualTo(503);
      assertThat(orphan.get("/health").body()).contains("Kafka");
      assertThat(orphan.get("/health/liveness").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void sdkSpansAndLogsPassThroughKafkaIntoPostgresFieldForField() throws Exception {
    exportSpans(
        "kafka-grpc", OtlpGrpcSpanExporter.builder().setEndpoint(receiver.otlpGrpc()).build());
    exportSpans(
        "kafka-http",
        OtlpHttpSpanExporter.builder().setEndpoint(receiver.otlpHttp() + "/v1/traces").build());
    exportLogs(
        "kafka-logs-grpc",
        OtlpGrpcLogRecordExporter.builder().setEndpoint(receiver.otlpGrpc()).build());
    exportLogs(
        "kafka-logs-http",
        OtlpHttpLogRecordExporter.builder().setEndpoint(receiver.otlpHttp() + "/v1/logs").build());

    assertThat(receiver.get("/metrics").body())
        .contains("glust_kafka_publish_duration_seconds_count{outcome=\"acknowledged\"");
    awaitOnWriterMetrics("glust_kafka_consumer_lag{partition=");
  }

  /**
   * Metric points (among them a counter, a histogram and an exponential histogram, see {@link
   * OtlpMetricsSystemTest#record}) stored by the writer exactly as a single process stores them.
   */
  @Test
  void sdkMetricsPassThroughKafkaIntoPostgresFieldForField() throws Exception {
    exportMetrics(
        "kafka-metrics-grpc",
        AggregationTemporalitySelector.alwaysCumulative(),
        OtlpGrpcMetricExporter.builder().setEndpoint(receiver.otlpGrpc()).build());
    exportMetrics(
        "kafka-metrics-http",
        AggregationTemporalitySelector.deltaPreferred(),
        OtlpHttpMetricExporter.builder().setEndpoint(receiver.otlpHttp() + "/v1/metrics").build());

    assertThat(receiver.get("/metrics").body())
        .containsPattern(
            "glust_kafka_publish_duration_seconds_count\\{outcome=\"acknowledged\",signal=\"metrics\"\\} [1-9]");
    awaitOnWriterMetrics(
        "glust_kafka_consumer_lag{partition=\"0\",topic=\"" + PREFIX + "metrics\"}");
  }

  private static void exportMetrics(
      String service, AggregationTemporalitySelector temporality, MetricExporter exporter)
      throws Exception {
    Collection<MetricData> sent = OtlpMetricsSystemTest.record(service, temporality);
    assertThat(exporter.export(sent).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    await(() -> metricPoints(service) >= 8);
    OtlpMetricsSystemTest.assertStored(db, service, sent);
  }

  /** The data points stored for a service, of every kind. */
  private static long metricPoints(String service) throws Exception {
    long points = 0;
    for (String kind : List.of("number", "histogram", "exp_histogram", "summary")) {
      points +=
          db.queryLong(
              "SELECT count(*) FROM metric_points_"
                  + kind
                  + " JOIN metric_series USING (series_id) WHERE service_name = '"
                  + service
                  + "'");
    }
    return points;
  }

  private static void awaitOnWriterMetrics(String text) throws Exception {
    await(() -> writer.get("/metrics").body().contains(text));
  }

  private static void exportSpans(String service, SpanExporter exporter) throws Exception {
    List<SpanData> sent = SdkSample.record(service).spans();
    assertThat(exporter.export(sent).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    awaitRows("spans", service, sent.size());
    for (SpanData expected : sent) {
      StoredTelemetry.assertSpanStored(db, service, expected);
    }
  }

  private static void exportLogs(String service, LogRecordExporter exporter) throws Exception {
    List<LogRecordData> sent = SdkSample.record(service).logs();
    assertThat(exporter.export(sent).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    awaitRows("logs", service, sent.size());
    StoredTelemetry.assertLogsStored(db, service, sent);
  }

  /**
   * Kafka delivers at least once: a writer that consumes everything again (here: the group's
   * offsets rewound to the start, as after a crash before any commit) stores nothing twice.
   */
  @Test
  void recordsDeliveredAgainAreStoredOnce() throws Exception {
    String service = "kafka-redelivered";
    List<SpanData> sent = SdkSample.record(service).spans();
    SpanExporter exporter = OtlpGrpcSpanExporter.builder().setEndpoint(receiver.otlpGrpc()).build();
    assertThat(exporter.export(sent).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    awaitRows("spans", service, sent.size());
    await(KafkaModesSystemTest::committedToTheEnd);
    long spansBefore = db.queryLong("SELECT count(*) FROM spans");
    long logsBefore = db.queryLong("SELECT count(*) FROM logs");
    long metricsBefore = metricPoints("kafka-metrics-grpc") + metricPoints("kafka-metrics-http");

    writer.close();
    rewindGroupToTheStart();
    writer = new RunningGlust(db, kafka("writer"));
    await(KafkaModesSystemTest::committedToTheEnd);

    assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(spansBefore);
    assertThat(db.queryLong("SELECT count(*) FROM logs")).isEqualTo(logsBefore);
    assertThat(metricPoints("kafka-metrics-grpc") + metricPoints("kafka-metrics-http"))
        .isEqualTo(metricsBefore);
    assertThat(db.queryLong("SELECT count(*) FROM spans WHERE service_name = '" + service + "'"))
        .isEqualTo(sent.size());
    assertThat(writer.get("/metrics").body())
        .containsPattern("glust_storage_duplicate_records_total [1-9]");
  }

  @Test
  void poisonIsDeadLetteredCountedAndDoesNotStopTheWriter() throws Exception {
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.broker().bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      for (String signal : List.of("logs", "metrics")) {
        raw.send(new ProducerRecord<>(PREFIX + signal, 0, null, new byte[] {8, 99, 1})).get();
      }
    }
    for (String signal : List.of("logs", "metrics")) {
      awaitOnWriterMetrics("glust_kafka_dead_letters_total{topic=\"" + PREFIX + signal + "\"} 1.0");
    }

    String service = "kafka-after-poison";
    List<LogRecordData> sent = SdkSample.record(service).logs();
    exportLogsOnly(sent);
    awaitRows("logs", service, sent.size());
  }

  private static void exportLogsOnly(List<LogRecordData> sent) {
    LogRecordExporter exporter =
        OtlpGrpcLogRecordExporter.builder().setEndpoint(receiver.otlpGrpc()).build();
    assertThat(exporter.export(sent).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);
  }

  private static void awaitRows(String table, String service, int expected) throws Exception {
    await(
        () ->
            db.queryLong(
                    "SELECT count(*) FROM " + table + " WHERE service_name = '" + service + "'")
                >= expected);
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.broker().bootstrap()));
  }

  private static boolean committedToTheEnd() throws Exception {
    return TestKafka.broker().lag(GROUP, PREFIX + "spans", PREFIX + "logs", PREFIX + "metrics")
        == 0;
  }

  private static void rewindGroupToTheStart() throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
      for (String signal : List.of("spans", "logs", "metrics")) {
        for (int p = 0; p < PARTITIONS; p++) {
          start.put(new TopicPartition(PREFIX + signal, p), new OffsetAndMetadata(0));
        }
      }
      admin.alterConsumerGroupOffsets(GROUP, start).all().get(30, TimeUnit.SECONDS);
    }
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
