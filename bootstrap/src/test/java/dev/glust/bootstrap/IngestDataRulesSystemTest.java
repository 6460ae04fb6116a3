package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The data rules that keep one client from breaking ingest for everyone, against the real database
 * with the default maximum record age: names too long for a B-tree index are cut (the request is
 * stored, the answer warns), records older than the maximum age are refused by partial success.
 */
class IngestDataRulesSystemTest {
  private static final String PROTOBUF = "application/x-protobuf";
  private static RunningGlust glust;

  @BeforeAll
  static void start() {
    glust = new RunningGlust(Map.of("glust.limits.max-record-age", "7d"));
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  @Test
  void aThreeKilobyteServiceNameIsCutAndTheSpansStored() throws Exception {
    String hugeName = incompressible(3000); // PostgreSQL cannot compress it below 2704 bytes
    long now = System.currentTimeMillis() * 1_000_000L;
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(resource(hugeName))
                    .addScopeSpans(
                        ScopeSpans.newBuilder().addSpans(span(1, now)).addSpans(span(2, now))))
            .build();

    HttpResponse<byte[]> response = glust.postOtlp("/v1/traces", PROTOBUF, request.toByteArray());

    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
    assertThat(answer.getPartialSuccess().getRejectedSpans()).isZero();
    assertThat(answer.getPartialSuccess().getErrorMessage())
        .isEqualTo("2 spans kept with the service.name cut to 256 characters");
    assertThat(
            glust.db.queryLong(
                "SELECT count(*) FROM span_records WHERE service_name = '"
                    + hugeName.substring(0, 256)
                    + "' AND resource_attributes->>'service.name' = service_name"))
        .isEqualTo(2);
  }

  @Test
  void aThreeKilobyteMetricAndServiceNameAreCutAndThePointStored() throws Exception {
    String hugeName = incompressible(3000);
    long now = System.currentTimeMillis() * 1_000_000L;
    Metric gauge =
        Metric.newBuilder()
            .setName(hugeName)
            .setGauge(
                Gauge.newBuilder()
                    .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsInt(1)))
            .build();
    ExportMetricsServiceRequest request =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(resource(hugeName))
                    .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge)))
            .build();

    HttpResponse<byte[]> response = glust.postOtlp("/v1/metrics", PROTOBUF, request.toByteArray());

    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    assertThat(ExportMetricsServiceResponse.parseFrom(response.body()).getPartialSuccess())
        .satisfies(
            p -> {
              assertThat(p.getRejectedDataPoints()).isZero();
              assertThat(p.getErrorMessage())
                  .isEqualTo(
                      "1 data point kept with the service.name or metric name cut to 256"
                          + " characters");
            });
    assertThat(
            glust.db.queryLong(
                "SELECT count(*) FROM metric_series WHERE length(metric_name) = 256"
                    + " AND length(service_name) = 256"))
        .isEqualTo(1);
  }

  @Test
  void aSpanOlderThanTheMaximumAgeIsRefusedAndTheFreshOneStored() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    long monthAgo = now - Duration.ofDays(30).toNanos();
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(resource("aging"))
                    .addScopeSpans(
                        ScopeSpans.newBuilder().addSpans(span(3, monthAgo)).addSpans(span(4, now))))
            .build();
    long partitionsBefore = spanPartitions();

    HttpResponse<byte[]> response = glust.postOtlp("/v1/traces", PROTOBUF, request.toByteArray());

    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
    assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(answer.getPartialSuccess().getErrorMessage())
        .isEqualTo("1 span refused: older than 7d (GLUST_MAX_RECORD_AGE)");
    assertThat(glust.db.queryLong("SELECT count(*) FROM spans WHERE service_name = 'aging'"))
        .isEqualTo(1);
    assertThat(
            glust.db.queryLong(
                "SELECT count(*) FROM span_records WHERE service_name = 'aging'"
                    + " AND start_time_unix_nano = "
                    + now))
        .isEqualTo(1);
    assertThat(spanPartitions()).isEqualTo(partitionsBefore); // none made for last month
  }

  @Test
  void aSignalsRetentionReplacesTheMaximumAge() throws Exception {
    try (RunningGlust kept =
        new RunningGlust(
            Map.of(
                "glust.limits.max-record-age", "7d",
                "glust.partitions.retention", "2d",
                "glust.partitions.logs-retention", "40d"))) {
      long now = System.currentTimeMillis() * 1_000_000L;
      ExportTraceServiceRequest spans =
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(
                  ResourceSpans.newBuilder()
                      .setResource(resource("kept"))
                      .addScopeSpans(
                          ScopeSpans.newBuilder()
                              .addSpans(span(5, now - Duration.ofDays(3).toNanos()))))
              .build();
      HttpResponse<byte[]> spanAnswer = kept.postOtlp("/v1/traces", PROTOBUF, spans.toByteArray());
      assertThat(ExportTraceServiceResponse.parseFrom(spanAnswer.body()).getPartialSuccess())
          .satisfies(
              p -> {
                assertThat(p.getRejectedSpans()).isEqualTo(1);
                assertThat(p.getErrorMessage())
                    .isEqualTo("1 span refused: older than 2d (GLUST_RETENTION)");
              });

      ExportLogsServiceRequest logs =
          ExportLogsServiceRequest.newBuilder()
              .addResourceLogs(
                  ResourceLogs.newBuilder()
                      .setResource(resource("kept"))
                      .addScopeLogs(
                          ScopeLogs.newBuilder()
                              .addLogRecords(
                                  LogRecord.newBuilder()
                                      .setTimeUnixNano(now - Duration.ofDays(30).toNanos()))))
              .build();
      HttpResponse<byte[]> logAnswer = kept.postOtlp("/v1/logs", PROTOBUF, logs.toByteArray());
      assertThat(logAnswer.statusCode()).isEqualTo(200);
      assertThat(ExportLogsServiceResponse.parseFrom(logAnswer.body()).hasPartialSuccess())
          .isFalse();
      assertThat(kept.db.queryLong("SELECT count(*) FROM logs")).isEqualTo(1);
    }
  }

  private static long spanPartitions() throws Exception {
    return glust.db.queryLong(
        "SELECT count(*) FROM pg_inherits WHERE inhparent = 'spans'::regclass");
  }

  /** Random letters from across Unicode: PostgreSQL's compression cannot shrink them. */
  private static String incompressible(int length) {
    Random random = new Random(42);
    StringBuilder name = new StringBuilder(length);
    while (name.length() < length) {
      int c = 0x4E00 + random.nextInt(0x9FFF - 0x4E00); // CJK: 3 bytes each in UTF-8
      name.append((char) c);
    }
    return name.toString();
  }

  private static Resource resource(String serviceName) {
    return Resource.newBuilder()
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(serviceName)))
        .build();
  }

  private static Span span(int id, long startUnixNano) {
    return Span.newBuilder()
        .setTraceId(
            ByteString.copyFrom(new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 0, 0, 0, 0, 0, 0, 0, 7}))
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) id}))
        .setName("op")
        .setStartTimeUnixNano(startUnixNano)
        .setEndTimeUnixNano(startUnixNano + 1_000)
        .build();
  }
}
