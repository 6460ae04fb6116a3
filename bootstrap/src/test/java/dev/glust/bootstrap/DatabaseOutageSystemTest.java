package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.glust.adapter.postgres.testing.TestPostgres;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With its database gone, Glust says "retry later" on every path and reports itself DOWN. */
class DatabaseOutageSystemTest {
  @Test
  void aMissingDatabaseIsRetryableEverywhere() throws Exception {
    try (RunningGlust glust = new RunningGlust()) {
      assertThat(glust.get("/health/readiness").statusCode()).isEqualTo(200);
      String name = glust.db.jdbcUrl().replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
      try (Connection c = TestPostgres.server().createDatabase().connect();
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE " + name + " WITH (FORCE)");
      }

      ExportTraceServiceRequest request = oneSpan("lost?");

      HttpResponse<byte[]> http =
          glust.postOtlp("/v1/traces", "application/x-protobuf", request.toByteArray());
      assertThat(http.statusCode()).isEqualTo(503);
      assertThat(http.headers().firstValue("Retry-After")).isPresent();

      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", glust.receivers.grpcPort())
              .usePlaintext()
              .build();
      try {
        assertThatThrownBy(
                () ->
                    TraceServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .export(request))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e ->
                    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
      } finally {
        channel.shutdownNow();
      }

      HttpResponse<String> health = glust.get("/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("DOWN");
      // Kubernetes: not ready (no traffic), but alive (no restart)
      assertThat(glust.get("/health/readiness").statusCode()).isEqualTo(503);
      assertThat(glust.get("/health/liveness").statusCode()).isEqualTo(200);
    }
  }

  /** A request of one span with fixed ids. */
  static ExportTraceServiceRequest oneSpan(String name) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .addSpans(
                            Span.newBuilder()
                                .setTraceId(
                                    ByteString.copyFrom(
                                        HexFormat.of()
                                            .parseHex("0102030405060708090a0b0c0d0e0f10")))
                                .setSpanId(
                                    ByteString.copyFrom(
                                        HexFormat.of().parseHex("0102030405060708")))
                                .setName(name))))
        .build();
  }
}
