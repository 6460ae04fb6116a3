package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Glust tracing itself into itself: its query API requests and the client's export arrive as spans
 * of service {@code glust}, and its own exports make no spans, so the count stops growing.
 */
class SelfTracingSystemTest {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  /** A span Glust stored about itself. */
  private record OwnSpan(
      String name, String kind, String parentSpanId, String traceId, String attributes) {}

  @Test
  void ownSpansArriveAndTheirExportMakesNoMore() throws Exception {
    int grpcPort = freePort();
    try (RunningGlust glust =
        new RunningGlust(
            Map.of(
                "glust.otlp.grpc-port",
                grpcPort,
                "glust.self-tracing.endpoint",
                "http://127.0.0.1:" + grpcPort,
                "glust.self-tracing.export-delay",
                "100ms"))) {
      assertThat(glust.get("/api/v1/traces/" + "ab".repeat(16)).statusCode()).isEqualTo(404);
      assertThat(
              glust
                  .get(
                      "/api/v1/services",
                      "traceparent",
                      "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                  .statusCode())
          .isEqualTo(200);
      assertThat(glust.get("/health").statusCode()).isEqualTo(200); // not traced
      List<SpanData> clientSpans = SdkSample.record("client").spans();
      SpanExporter client = OtlpGrpcSpanExporter.builder().setEndpoint(glust.otlpGrpc()).build();
      assertThat(client.export(clientSpans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      client.shutdown();

      List<OwnSpan> own = awaitOwnSpans(glust, 3);
      assertThat(own)
          .extracting(OwnSpan::name, OwnSpan::kind)
          .containsExactlyInAnyOrder(
              tuple("GET /api/v1/traces/{traceId}", "2"),
              tuple("GET /api/v1/services", "2"),
              tuple("OTLP export traces", "2"));
      assertThat(own)
          .filteredOn(s -> s.name().equals("GET /api/v1/traces/{traceId}"))
          .singleElement()
          .satisfies(
              s -> assertThat(s.attributes()).contains("\"http.response.status_code\": 404"));
      assertThat(own)
          .filteredOn(s -> s.name().equals("GET /api/v1/services"))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.traceId()).isEqualTo(CALLER_TRACE); // the caller's trace goes on
                assertThat(s.parentSpanId()).isEqualTo(CALLER_SPAN);
              });
      assertThat(own)
          .filteredOn(s -> s.name().equals("OTLP export traces"))
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.attributes())
                      .contains(
                          "\"glust.records\": " + clientSpans.size(),
                          "\"glust.outcome\": \"accepted\"",
                          "\"glust.protocol\": \"grpc\""));

      // Glust has exported its own spans to itself (more accepted gRPC exports than the client's
      // one), yet after many export rounds no span was made for them.
      Thread.sleep(2_000);
      assertThat(ownSpans(glust)).hasSize(3);
      assertThat(acceptedGrpcTraceExports(glust)).isGreaterThan(1);
    }
  }

  private static List<OwnSpan> awaitOwnSpans(RunningGlust glust, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<OwnSpan> own = ownSpans(glust);
    while (own.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
      own = ownSpans(glust);
    }
    return own;
  }

  private static List<OwnSpan> ownSpans(RunningGlust glust) throws SQLException {
    List<OwnSpan> spans = new ArrayList<>();
    try (Connection c = glust.db.connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT span_name, span_kind, parent_span_id, trace_id, attributes::text"
                        + " FROM spans WHERE service_name = 'glust'")) {
      while (rs.next()) {
        byte[] parent = rs.getBytes(3);
        spans.add(
            new OwnSpan(
                rs.getString(1),
                rs.getString(2),
                parent == null ? null : HexFormat.of().formatHex(parent),
                HexFormat.of().formatHex(rs.getBytes(4)),
                rs.getString(5)));
      }
    }
    return spans;
  }

  private static double acceptedGrpcTraceExports(RunningGlust glust) throws Exception {
    String series =
        "glust_ingest_requests_total{outcome=\"accepted\",protocol=\"grpc\",signal=\"traces\"} ";
    return glust
        .get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith(series))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length())))
        .sum();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort(); // free again when closed; taken by Glust a moment later
    }
  }
}
