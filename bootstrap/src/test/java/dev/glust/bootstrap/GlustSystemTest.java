package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: the real OpenTelemetry Java SDK exporters and raw OTLP/JSON into the running
 * application, then every stored field compared with what the SDK sent.
 */
class GlustSystemTest {
  private static final HexFormat HEX = HexFormat.of();
  private static RunningGlust glust;

  @BeforeAll
  static void start() {
    glust = new RunningGlust();
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  @Test
  void healthIsUpOnceMigrated() throws Exception {
    HttpResponse<String> health = glust.get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
    assertThat(health.body()).contains("\"version\":\"" + GlustVersion.current() + "\"");
    assertThat(glust.get("/health/liveness").statusCode()).isEqualTo(200);
    assertThat(glust.get("/health/readiness").statusCode()).isEqualTo(200);
  }

  @Test
  void spansFromTheGrpcExporterAreStoredExactly() throws Exception {
    exportAndCompareSpans(
        "sdk-grpc", OtlpGrpcSpanExporter.builder().setEndpoint(glust.otlpGrpc()).build());
  }

  @Test
  void spansFromTheHttpExporterAreStoredExactly() throws Exception {
    exportAndCompareSpans(
        "sdk-http",
        OtlpHttpSpanExporter.builder().setEndpoint(glust.otlpHttp() + "/v1/traces").build());
  }

  /** The SDK's {@code compression=gzip}: compressed gRPC messages and HTTP bodies. */
  @Test
  void spansFromGzipCompressingExportersAreStoredExactly() throws Exception {
    exportAndCompareSpans(
        "sdk-grpc-gzip",
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(glust.otlpGrpc())
            .setCompression("gzip")
            .build());
    exportAndCompareSpans(
        "sdk-http-gzip",
        OtlpHttpSpanExporter.builder()
            .setEndpoint(glust.otlpHttp() + "/v1/traces")
            .setCompression("gzip")
            .build());
  }

  @Test
  void logsFromTheGrpcExporterAreStoredExactly() throws Exception {
    exportAndCompareLogs(
        "logs-grpc", OtlpGrpcLogRecordExporter.builder().setEndpoint(glust.otlpGrpc()).build());
  }

  @Test
  void logsFromTheHttpExporterAreStoredExactly() throws Exception {
    exportAndCompareLogs(
        "logs-http",
        OtlpHttpLogRecordExporter.builder().setEndpoint(glust.otlpHttp() + "/v1/logs").build());
  }

  private static void exportAndCompareSpans(String service, SpanExporter exporter)
      throws Exception {
    List<SpanData> sent = SdkSample.record(service).spans();
    assertThat(sent).hasSize(3);

    assertThat(exporter.export(sent).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    for (SpanData expected : sent) {
      StoredTelemetry.assertSpanStored(glust.db, service, expected);
    }
  }

  private static void exportAndCompareLogs(String service, LogRecordExporter exporter)
      throws Exception {
    List<LogRecordData> sent = SdkSample.record(service).logs();
    assertThat(sent).hasSize(2);

    assertThat(exporter.export(sent).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    StoredTelemetry.assertLogsStored(glust.db, service, sent);
  }

  @Test
  void rawOtlpJsonWithUppercaseHexIdsIsStored() throws Exception {
    String json =
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
            + "\"value\":{\"stringValue\":\"curl-json\"}}]},\"scopeSpans\":[{\"scope\":"
            + "{\"name\":\"my.library\",\"version\":\"1.0.0\"},\"spans\":[{\"traceId\":"
            + "\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"EEE19B7EC3C1B174\","
            + "\"parentSpanId\":\"EEE19B7EC3C1B173\",\"name\":\"I'm a server span\","
            + "\"startTimeUnixNano\":\"1544712660000000001\",\"endTimeUnixNano\":1544712661000000002,"
            + "\"kind\":2,\"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":\"42\"}}],"
            + "\"status\":{\"code\":2,\"message\":\"bad\"}}]}]}]}";
    HttpResponse<byte[]> response =
        glust.postOtlp("/v1/traces", "application/json", json.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");

    try (Connection c = glust.db.connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT encode(trace_id,'hex'), encode(parent_span_id,'hex'), span_name,"
                        + " start_time_unix_nano, end_time_unix_nano, status_code, status_message,"
                        + " attributes::text, scope_name FROM span_records WHERE service_name = 'curl-json'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("5b8efff798038103d269b633813fc60c");
      assertThat(rs.getString(2)).isEqualTo("eee19b7ec3c1b173");
      assertThat(rs.getString(3)).isEqualTo("I'm a server span");
      assertThat(rs.getLong(4)).isEqualTo(1544712660000000001L);
      assertThat(rs.getLong(5)).isEqualTo(1544712661000000002L);
      assertThat(rs.getInt(6)).isEqualTo(2);
      assertThat(rs.getString(7)).isEqualTo("bad");
      assertThat(rs.getString(8)).isEqualTo("{\"n\": 42}");
      assertThat(rs.getString(9)).isEqualTo("my.library");
    }
  }

  @Test
  void badInputGetsItsDocumentedStatusAndGoodRecordsOfAMixedBatchAreKept() throws Exception {
    assertThat(
            glust
                .postOtlp("/v1/traces", "application/x-protobuf", new byte[] {(byte) 0xFF, 1})
                .statusCode())
        .isEqualTo(400);
    assertThat(
            glust
                .postOtlp("/v1/logs", "application/json", "{\"resourceLogs\":".getBytes())
                .statusCode())
        .isEqualTo(400);
    assertThat(glust.postOtlp("/v1/logs", "text/xml", "<x/>".getBytes()).statusCode())
        .isEqualTo(415);

    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
      gz.write(new byte[32 * 1024 * 1024]); // 32 MiB inflated, over the 20 MiB default
    }
    HttpResponse<byte[]> tooLarge =
        glust.postOtlp(
            "/v1/traces", "application/x-protobuf", bomb.toByteArray(), "Content-Encoding", "gzip");
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(Status.parseFrom(tooLarge.body()).getCode()).isEqualTo(8); // RESOURCE_EXHAUSTED

    byte[] trace = HEX.parseHex("0af7ba00000000000000000000000001");
    ExportTraceServiceRequest mixed =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(spanProto(trace, "good"))
                            .addSpans(spanProto(new byte[16], "zero trace id"))))
            .build();
    HttpResponse<byte[]> partial =
        glust.postOtlp("/v1/traces", "application/x-protobuf", mixed.toByteArray());
    assertThat(partial.statusCode()).isEqualTo(200);
    assertThat(
            ExportTraceServiceResponse.parseFrom(partial.body())
                .getPartialSuccess()
                .getRejectedSpans())
        .isEqualTo(1);
    try (Connection c = glust.db.connect();
        PreparedStatement s =
            c.prepareStatement("SELECT span_name FROM spans WHERE trace_id = ?")) {
      s.setBytes(1, trace);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("good");
        assertThat(rs.next()).isFalse();
      }
    }
  }

  private static io.opentelemetry.proto.trace.v1.Span spanProto(byte[] traceId, String name) {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(HEX.parseHex("00000000000000a1")))
        .setName(name)
        .setStartTimeUnixNano(1)
        .setEndTimeUnixNano(2)
        .build();
  }
}
