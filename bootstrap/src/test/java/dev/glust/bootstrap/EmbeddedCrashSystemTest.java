package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash of the whole machine, as far as the service can tell: the service JVM and its embedded
 * PostgreSQL are killed with SIGKILL at the same instant while clients send spans and logs, then
 * the service starts again on the same data directory. Every record that was answered 200 must be
 * there. With the embedded library's test settings (fsync and synchronous_commit off) commits that
 * were answered but whose WAL was still in PostgreSQL's memory are lost here.
 */
class EmbeddedCrashSystemTest {
  private static final int CYCLES = 2;
  private static final int CLIENTS = 4;
  private static final int RECORDS_PER_REQUEST = 20;
  private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(3);
  private static final String SEQUENCE_KEY = "crash.seq";

  private final AtomicLong spanSequence = new AtomicLong();
  private final AtomicLong logSequence = new AtomicLong();
  private final Set<Long> ackedSpans = ConcurrentHashMap.newKeySet();
  private final Set<Long> ackedLogs = ConcurrentHashMap.newKeySet();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void everyAcknowledgedRecordSurvivesAKillOfTheServiceAndItsDatabaseTogether(@TempDir Path dataDir)
      throws Exception {
    try (ServiceOnEmbeddedDatabase service = new ServiceOnEmbeddedDatabase(dataDir)) {
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        service.start();
        sendUntilKilled(service);
      }
      service.start();
      assertThat(ackedSpans).as("acknowledged spans").isNotEmpty();
      assertThat(ackedLogs).as("acknowledged log records").isNotEmpty();
      try (Connection c = DriverManager.getConnection(service.jdbcUrl())) {
        assertAllStored("spans", ackedSpans, stored(c, "SELECT span_id FROM spans", true));
        assertAllStored(
            "log records",
            ackedLogs,
            stored(c, "SELECT (log_attributes->>'" + SEQUENCE_KEY + "')::bigint FROM logs", false));
      }
    }
  }

  /** Clients send until the service and its database are killed under them. */
  private void sendUntilKilled(ServiceOnEmbeddedDatabase service) throws Exception {
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      boolean spans = i % 2 == 0;
      Thread client = new Thread(() -> send(service, spans), "crash-client-" + i);
      client.start();
      clients.add(client);
    }
    Thread.sleep(LOAD_BEFORE_KILL.toMillis());
    service.killTogetherWithItsDatabase();
    for (Thread client : clients) {
      client.join();
    }
  }

  /** Sends one request after the other until one is not answered (the service is gone). */
  private void send(ServiceOnEmbeddedDatabase service, boolean spans) {
    while (true) {
      long first = (spans ? spanSequence : logSequence).getAndAdd(RECORDS_PER_REQUEST);
      byte[] body = spans ? spans(first) : logs(first);
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(service.otlpHttp() + (spans ? "/v1/traces" : "/v1/logs")))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
          return;
        }
      } catch (IOException | InterruptedException gone) {
        return;
      }
      Set<Long> acked = spans ? ackedSpans : ackedLogs;
      for (long n = first; n < first + RECORDS_PER_REQUEST; n++) {
        acked.add(n);
      }
    }
  }

  /** Spans whose span id is their sequence number + 1 (never zero), ten per trace. */
  private static byte[] spans(long first) {
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (long n = first; n < first + RECORDS_PER_REQUEST; n++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(
                  ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, n / 10 + 1).array()))
              .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n + 1).array()))
              .setName("crash " + n)
              .setStartTimeUnixNano(now - 1_000_000)
              .setEndTimeUnixNano(now));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  /** Log records carrying their sequence number as an attribute. */
  private static byte[] logs(long first) {
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (long n = first; n < first + RECORDS_PER_REQUEST; n++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(now)
              .setBody(AnyValue.newBuilder().setStringValue("crash record " + n))
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey(SEQUENCE_KEY)
                      .setValue(AnyValue.newBuilder().setIntValue(n))));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope))
        .build()
        .toByteArray();
  }

  private static Set<Long> stored(Connection c, String sql, boolean spanIds) throws Exception {
    Set<Long> stored = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        stored.add(spanIds ? ByteBuffer.wrap(rs.getBytes(1)).getLong() - 1 : rs.getLong(1));
      }
    }
    return stored;
  }

  private static void assertAllStored(String what, Set<Long> acked, Set<Long> stored) {
    Set<Long> missing = new java.util.TreeSet<>(acked);
    missing.removeAll(stored);
    assertThat(missing)
        .as(
            "%d of %d acknowledged %s lost in %d crashes (by sequence number)",
            missing.size(), acked.size(), what, CYCLES)
        .isEmpty();
  }

  /**
   * The service as its own JVM (the test's classpath, {@code GlustApplication}) on the embedded
   * default: no {@code GLUST_DB_URL}, a data directory and fixed ports kept across restarts.
   */
  private static final class ServiceOnEmbeddedDatabase implements AutoCloseable {
    private final Path dataDir;
    private final Path log;
    private final int otlpHttpPort = freePort();
    private final int otlpGrpcPort = freePort();
    private final int apiPort = freePort();
    private final int databasePort = freePort();
    private Process process;

    ServiceOnEmbeddedDatabase(Path dataDir) throws IOException {
      this.dataDir = dataDir;
      this.log = Files.createDirectories(Path.of("target")).resolve("embedded-crash-service.log");
      Files.deleteIfExists(log);
    }

    /** Starts the service and waits until {@code /health} answers 200. */
    void start() throws Exception {
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder builder =
          new ProcessBuilder(
                  java,
                  "-Xmx512m",
                  "-XX:TieredStopAtLevel=1", // starts faster; the load here is small
                  "-cp",
                  System.getProperty("java.class.path"),
                  GlustApplication.class.getName())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().remove("GLUST_DB_URL");
      builder.environment().put("GLUST_DATA_DIR", dataDir.toString());
      builder.environment().put("GLUST_EMBEDDED_DB_PORT", Integer.toString(databasePort));
      builder.environment().put("GLUST_OTLP_HOST", "127.0.0.1");
      builder.environment().put("GLUST_OTLP_HTTP_PORT", Integer.toString(otlpHttpPort));
      builder.environment().put("GLUST_OTLP_GRPC_PORT", Integer.toString(otlpGrpcPort));
      builder.environment().put("GLUST_HTTP_PORT", Integer.toString(apiPort));
      process = builder.start();
      HttpClient probe = HttpClient.newHttpClient();
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/health")).build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (process.isAlive() && System.nanoTime() < deadline) {
        try {
          if (probe.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // still starting
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException("the service did not become healthy; see " + log);
    }

    /**
     * SIGKILL to the service, the postmaster and every PostgreSQL process under it, one right after
     * the other: nobody gets to flush anything, as when the machine or container dies.
     */
    void killTogetherWithItsDatabase()
        throws IOException, InterruptedException, ExecutionException, TimeoutException {
      List<ProcessHandle> victims = new ArrayList<>();
      victims.add(process.toHandle());
      postmasterPid().flatMap(ProcessHandle::of).ifPresent(victims::add);
      List<ProcessHandle> everyone = new ArrayList<>(victims);
      for (ProcessHandle victim : victims) {
        victim.descendants().forEach(everyone::add);
      }
      everyone.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle dead : everyone) {
        dead.onExit().get(30, TimeUnit.SECONDS);
      }
    }

    /** The first line of the postmaster's pid file, while PostgreSQL runs. */
    private Optional<Long> postmasterPid() throws IOException {
      Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
      return Files.exists(pidFile)
          ? Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
          : Optional.empty();
    }

    String otlpHttp() {
      return "http://127.0.0.1:" + otlpHttpPort;
    }

    String jdbcUrl() {
      return "jdbc:postgresql://localhost:" + databasePort + "/postgres?user=postgres";
    }

    /** SIGTERM: the service shuts down and stops its database; kills whatever is left. */
    @Override
    public void close() throws IOException {
      if (process == null) {
        return;
      }
      try {
        process.destroy();
        process.waitFor(60, TimeUnit.SECONDS);
        killTogetherWithItsDatabase();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("the service or its database did not stop", e);
      }
    }

    private static int freePort() {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
