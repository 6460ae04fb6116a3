package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API keys and scopes on the whole application: real SDK exporters with and without a key, the
 * query API with each header form; health and metrics stay open.
 */
class SecuritySystemTest {
  private static RunningGlust glust;

  @BeforeAll
  static void start() {
    glust =
        new RunningGlust(
            Map.of(
                "glust.security.api-keys", "ingest-key:ingest,query-key:query,admin-key",
                "micronaut.server.cors.enabled", true,
                "micronaut.server.cors.configurations.api.allowed-origins", "https://ui.example"));
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  private static boolean exports(SpanExporter exporter) {
    try {
      return exporter
          .export(SdkSample.record("secured").spans())
          .join(10, TimeUnit.SECONDS)
          .isSuccess();
    } finally {
      exporter.shutdown();
    }
  }

  @Test
  void sdkExportersNeedAnIngestKey() {
    assertThat(exports(OtlpGrpcSpanExporter.builder().setEndpoint(glust.otlpGrpc()).build()))
        .isFalse();
    assertThat(
            exports(
                OtlpGrpcSpanExporter.builder()
                    .setEndpoint(glust.otlpGrpc())
                    .addHeader("x-api-key", "query-key")
                    .build()))
        .isFalse();
    assertThat(
            exports(
                OtlpGrpcSpanExporter.builder()
                    .setEndpoint(glust.otlpGrpc())
                    .addHeader("authorization", "Bearer ingest-key")
                    .build()))
        .isTrue();
    assertThat(
            exports(
                OtlpHttpSpanExporter.builder()
                    .setEndpoint(glust.otlpHttp() + "/v1/traces")
                    .build()))
        .isFalse();
    assertThat(
            exports(
                OtlpHttpSpanExporter.builder()
                    .setEndpoint(glust.otlpHttp() + "/v1/traces")
                    .addHeader("X-API-Key", "admin-key")
                    .build()))
        .isTrue();
  }

  @Test
  void theQueryApiNeedsAQueryKeyInEitherHeader() throws Exception {
    HttpResponse<String> missing = glust.get("/api/v1/services");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.body()).contains("API key is required");
    assertThat(glust.get("/api/v1/services", "Authorization", "Bearer nope").statusCode())
        .isEqualTo(401);
    assertThat(glust.get("/api/v1/services", "X-API-Key", "ingest-key").statusCode())
        .isEqualTo(403);
    HttpResponse<String> jaeger = glust.get("/api/services", "X-API-Key", "ingest-key");
    assertThat(jaeger.statusCode()).isEqualTo(403);
    assertThat(jaeger.body()).contains("\"errors\"");

    assertThat(glust.get("/api/v1/services", "Authorization", "Bearer query-key").statusCode())
        .isEqualTo(200);
    assertThat(glust.get("/api/v1/services", "X-API-Key", "query-key").statusCode()).isEqualTo(200);
    assertThat(glust.get("/api/services", "X-API-Key", "admin-key").statusCode()).isEqualTo(200);
  }

  @Test
  void theLokiApiAndItsLiveTailNeedAQueryKey() throws Exception {
    assertThat(glust.get("/loki/api/v1/labels").statusCode()).isEqualTo(401);
    assertThat(glust.get("/loki/api/v1/labels", "X-API-Key", "ingest-key").statusCode())
        .isEqualTo(403);
    assertThat(glust.get("/loki/api/v1/labels", "X-API-Key", "query-key").statusCode())
        .isEqualTo(200);
    URI tail =
        URI.create(
            "ws://127.0.0.1:"
                + glust.server.getPort()
                + "/loki/api/v1/tail?query="
                + URLEncoder.encode("{service_name=\"secured\"}", StandardCharsets.UTF_8));
    WebSocket.Listener ignoring = new WebSocket.Listener() {};
    assertThatThrownBy(
            () ->
                HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(tail, ignoring)
                    .get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(WebSocketHandshakeException.class);
    WebSocket open =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("X-API-Key", "query-key")
            .buildAsync(tail, ignoring)
            .get(10, TimeUnit.SECONDS);
    open.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
  }

  @Test
  void healthMetricsAndTheExplorersFilesStayOpen() throws Exception {
    assertThat(glust.get("/health/liveness").statusCode()).isEqualTo(200);
    assertThat(glust.get("/health/readiness").statusCode()).isEqualTo(200);
    assertThat(glust.get("/metrics").statusCode()).isEqualTo(200);
    // the explorer's page and scripts hold no data; the API calls it makes need the key
    assertThat(glust.get("/").statusCode()).isEqualTo(200);
    assertThat(glust.get("/ui/api.js").statusCode()).isEqualTo(200);
    assertThat(glust.get("/api/v1/services").statusCode()).isEqualTo(401);
  }

  @Test
  void corsAllowsOnlyTheConfiguredOrigins() throws Exception {
    HttpResponse<String> allowed =
        glust.get("/api/v1/services", "Origin", "https://ui.example", "X-API-Key", "query-key");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://ui.example");
    HttpResponse<String> other =
        glust.get("/api/v1/services", "Origin", "https://evil.example", "X-API-Key", "query-key");
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
