package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shutting down while a request waits in the pipeline: it is committed and answered 200. */
class GracefulShutdownSystemTest {
  @Test
  void aRequestInThePipelineIsCommittedAndAnsweredDuringShutdown() throws Exception {
    RunningGlust glust =
        new RunningGlust(Map.of("glust.pipeline.linger", "2s", "glust.pipeline.writers", 1));
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                    .addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                            .addSpans(
                                io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                    .setTraceId(
                                        com.google.protobuf.ByteString.copyFrom(
                                            new byte[] {
                                              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
                                            }))
                                    .setSpanId(
                                        com.google.protobuf.ByteString.copyFrom(
                                            new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                                    .setName("in flight"))))
            .build();
    CompletableFuture<HttpResponse<String>> answer =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(URI.create(glust.otlpHttp() + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Thread.sleep(500); // taken by the writer, which lingers for more
    assertThat(answer).isNotDone();

    glust.close(); // what SIGTERM does

    assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    try (Connection c = glust.db.connect();
        ResultSet rs = c.createStatement().executeQuery("SELECT span_name FROM spans")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("in flight");
    }
  }
}
