package dev.glust.bootstrap;

import dev.glust.adapter.otlp.OtlpReceivers;
import dev.glust.adapter.postgres.testing.TestPostgres;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** The whole application on free ports, against a fresh database of the test PostgreSQL. */
final class RunningGlust implements AutoCloseable {
  final TestPostgres.Database db;
  final EmbeddedServer server;
  final OtlpReceivers receivers;
  private final HttpClient http = HttpClient.newHttpClient();

  RunningGlust() {
    this(Map.of());
  }

  /** With extra configuration, e.g. a longer batch linger. */
  RunningGlust(Map<String, Object> extra) {
    this(TestPostgres.server().createDatabase(), extra);
  }

  /**
   * On a given database (null: none, e.g. a receiver of the Kafka modes), with extra configuration.
   */
  RunningGlust(TestPostgres.Database db, Map<String, Object> extra) {
    this.db = db;
    Map<String, Object> properties =
        new java.util.HashMap<>(
            Map.of(
                "micronaut.server.port",
                -1,
                "glust.db.connect-timeout",
                "1s",
                "glust.otlp.host",
                "127.0.0.1",
                "glust.otlp.grpc-port",
                0,
                "glust.otlp.http-port",
                0));
    // many tests send fixed timestamps from 2023; tests of the maximum age set their own
    properties.put("glust.limits.max-record-age", "36500d");
    if (db != null) {
      properties.put("glust.db.url", db.jdbcUrl());
      properties.put("glust.db.user", db.user());
      properties.put("glust.db.password", db.password());
      properties.put("glust.db.service-user", TestPostgres.SERVICE_USER);
      properties.put("glust.db.service-password", TestPostgres.SERVICE_PASSWORD);
    }
    properties.putAll(extra);
    server = ApplicationContext.run(EmbeddedServer.class, properties);
    receivers = server.getApplicationContext().findBean(OtlpReceivers.class).orElse(null);
  }

  String otlpHttp() {
    return "http://127.0.0.1:" + receivers.httpPort();
  }

  String otlpGrpc() {
    return "http://127.0.0.1:" + receivers.grpcPort();
  }

  HttpResponse<byte[]> postOtlp(String path, String type, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(otlpHttp() + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.getApplicationContext().close();
  }
}
