package dev.glust.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real service jar ({@code bootstrap/target/glust.jar}) as its own process, on ports chosen
 * once, so that it can be killed and started again at the same address (the chaos suite).
 */
final class ServiceProcess implements AutoCloseable {
  final int grpcPort;
  final int httpPort;
  final int apiPort;
  private final String jdbcUrl;
  private final Path log;
  private final Map<String, String> settings;
  private Process process;

  ServiceProcess(String jdbcUrl, Path log) throws IOException {
    this(jdbcUrl, log, Map.of());
  }

  /**
   * @param jdbcUrl the database, or null for none (a receiver of the Kafka modes)
   * @param settings more GLUST_* environment, e.g. the mode and the Kafka brokers
   */
  ServiceProcess(String jdbcUrl, Path log, Map<String, String> settings) throws IOException {
    this.jdbcUrl = jdbcUrl;
    this.log = log;
    this.settings = settings;
    grpcPort = BenchDatabase.freePort();
    httpPort = BenchDatabase.freePort();
    apiPort = BenchDatabase.freePort();
  }

  /** Starts the service (1 GiB heap) and waits until {@code /health} answers 200. */
  void start() throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-Xmx1g"));
    String extra = System.getenv("GLUST_BENCH_SERVICE_JAVA_OPTS"); // e.g. a JFR recording
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", "bootstrap/target/glust.jar"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (jdbcUrl != null) {
      // A benchmark's database (BenchDatabase): the service gets both roles apart.
      builder.environment().put("GLUST_DB_URL", BenchDatabase.withoutUser(jdbcUrl));
      builder.environment().put("GLUST_DB_USER", "postgres");
      builder.environment().put("GLUST_DB_SERVICE_USER", BenchDatabase.SERVICE_ROLE);
    }
    builder.environment().putAll(settings);
    builder.environment().put("GLUST_OTLP_GRPC_PORT", Integer.toString(grpcPort));
    builder.environment().put("GLUST_OTLP_HTTP_PORT", Integer.toString(httpPort));
    builder.environment().put("GLUST_HTTP_PORT", Integer.toString(apiPort));
    builder.environment().put("GLUST_OTLP_HOST", "127.0.0.1");
    process = builder.start();
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 240 && process.isAlive(); i++) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/health"))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the service did not become healthy; see " + log);
  }

  /** The running service's process, e.g. to kill it together with others. */
  ProcessHandle handle() {
    return process.toHandle();
  }

  /** SIGKILL: no shutdown hook, no draining, exactly like a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** The service's peak resident memory so far. */
  String peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return line.substring(6).trim();
      }
    }
    return "unknown";
  }

  /** SIGTERM and wait: the graceful shutdown. */
  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
