package dev.glust.bench;

import com.google.protobuf.ByteString;
import dev.glust.bench.LoadBenchmark.Signal;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos suite: sends a known set of distinct spans and log records under load from several
 * clients that retry like the OpenTelemetry SDK, while the service is killed with SIGKILL and
 * restarted and PostgreSQL is stopped and restarted; then compares record by record what was
 * acknowledged with what the database holds. Exits 1 when an acknowledged record is missing (lost)
 * or a record is stored more than once (duplicated).
 *
 * <p>Usage (from the repository root, after {@code mvn -B -DskipTests package}): {@code java -cp
 * bench/target/glust-bench.jar dev.glust.bench.ChaosBenchmark [cycles] [clients] [external |
 * embedded]}. {@code external} (the default): the service on a PostgreSQL of its own; each cycle is
 * one SIGKILL of the service and one PostgreSQL restart, about 35 s. {@code embedded}: the service
 * on its embedded PostgreSQL (no {@code GLUST_DB_URL}); each cycle kills the service and its
 * PostgreSQL together with SIGKILL, as a crash of the machine would, and starts it again.
 */
public final class ChaosBenchmark {
  private static final int RECORDS_PER_REQUEST = 200;
  private static final String SEQUENCE_KEY = "chaos.seq";

  /** The OTel SDK's retry policy: 1 s initial backoff, x1.5, at most 5 s, full jitter. */
  private static final long INITIAL_BACKOFF_MS = 1000;

  private static final long MAX_BACKOFF_MS = 5000;
  private static final double BACKOFF_MULTIPLIER = 1.5;

  /** The SDK stops after 5 attempts; 12 ride out a restart of the service on this machine. */
  private static final int MAX_ATTEMPTS = 12;

  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  /** The OTel SDK's retryable gRPC codes (HTTP: 429, 502, 503, 504 and connection errors). */
  private static final Set<Status.Code> RETRYABLE_CODES =
      Set.of(
          Status.Code.CANCELLED,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED,
          Status.Code.OUT_OF_RANGE,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  private static final Set<Integer> RETRYABLE_STATUSES = Set.of(429, 502, 503, 504);

  private final int cycles;
  private final int clients;
  private final ChaosTarget target;
  private final long runId = System.nanoTime();
  private final AtomicLong spanSequence = new AtomicLong();
  private final AtomicLong logSequence = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final List<Sent> ledger = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean sending = true;

  ChaosBenchmark(int cycles, int clients, ChaosTarget target) {
    this.cycles = cycles;
    this.clients = clients;
    this.target = target;
  }

  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    boolean embedded = args.length > 2 && args[2].equals("embedded");
    boolean clean;
    try (ChaosTarget target = embedded ? new EmbeddedDatabase() : new SingleProcess()) {
      clean = new ChaosBenchmark(cycles, clients, target).run();
    }
    System.exit(clean ? 0 : 1);
  }

  /**
   * What the clients send to and what goes wrong under them: one cycle of failures at a time, then
   * whatever must finish before the database holds everything acknowledged.
   */
  interface ChaosTarget extends AutoCloseable {
    /** Starts the processes; afterwards the ports below answer. */
    void start() throws Exception;

    int grpcPort();

    int httpPort();

    String jdbcUrl();

    /** One cycle of failures, logged through {@code log}. */
    void cycle(java.util.function.Consumer<String> log) throws Exception;

    /** After the last answer: waits until everything acknowledged can be in the database. */
    default void settle(java.util.function.Consumer<String> log) throws Exception {}

    /** What the cycles were, for the summary line. */
    String describeCycle();

    /** Stops the processes and deletes their data. */
    @Override
    void close() throws IOException;

    /** A pause between a client's requests: 0 sends as fast as answers come back. */
    default long requestIntervalMillis() {
      return 0;
    }
  }

  /** A target whose clients talk to one service process. */
  private abstract static class OneService implements ChaosTarget {
    final ServiceProcess service;

    OneService(ServiceProcess service) {
      this.service = service;
    }

    @Override
    public void start() throws Exception {
      service.start();
    }

    @Override
    public int grpcPort() {
      return service.grpcPort;
    }

    @Override
    public int httpPort() {
      return service.httpPort;
    }
  }

  /** The single-process service: SIGKILL it and restart it, stop and start PostgreSQL. */
  private static final class SingleProcess extends OneService {
    private final BenchDatabase db;

    SingleProcess() throws IOException {
      this(BenchDatabase.start("256MB"));
    }

    private SingleProcess(BenchDatabase db) throws IOException {
      super(new ServiceProcess(db.jdbcUrl(), Path.of("bench/target/glust-chaos-service.log")));
      this.db = db;
    }

    @Override
    public String jdbcUrl() {
      return db.jdbcUrl();
    }

    @Override
    public void cycle(java.util.function.Consumer<String> log) throws Exception {
      pause(8);
      log.accept("SIGKILL the service");
      service.kill();
      pause(1);
      service.start();
      log.accept("service restarted and healthy");
      pause(8);
      log.accept("stop PostgreSQL");
      db.stop();
      pause(5);
      db.start();
      log.accept("PostgreSQL started again");
    }

    @Override
    public String describeCycle() {
      return "SIGKILL of the service + PostgreSQL stop/start each";
    }

    @Override
    public void close() throws IOException {
      service.close();
      db.close();
    }
  }

  /**
   * The service on its embedded PostgreSQL (the default without {@code GLUST_DB_URL}): SIGKILL the
   * service JVM and every PostgreSQL process at the same instant, then start the service again on
   * the same data directory (PostgreSQL recovers from its WAL).
   */
  private static final class EmbeddedDatabase extends OneService {
    private final Path dataDirectory;
    private final int databasePort;

    EmbeddedDatabase() throws IOException {
      this(Files.createTempDirectory("glust-chaos-data"), BenchDatabase.freePort());
    }

    private EmbeddedDatabase(Path dataDirectory, int databasePort) throws IOException {
      super(
          new ServiceProcess(
              null,
              Path.of("bench/target/glust-chaos-embedded-service.log"),
              Map.of(
                  "GLUST_DATA_DIR",
                  dataDirectory.toString(),
                  "GLUST_EMBEDDED_DB_PORT",
                  Integer.toString(databasePort))));
      this.dataDirectory = dataDirectory;
      this.databasePort = databasePort;
    }

    @Override
    public String jdbcUrl() {
      return "jdbc:postgresql://localhost:" + databasePort + "/postgres?user=postgres";
    }

    @Override
    public void cycle(java.util.function.Consumer<String> log) throws Exception {
      pause(8);
      log.accept("SIGKILL the service and its embedded PostgreSQL together");
      killServiceAndDatabase();
      pause(1);
      service.start();
      log.accept("service restarted (PostgreSQL recovered) and healthy");
    }

    /** The postmaster's pid is the first line of its pid file; its children are the backends. */
    private void killServiceAndDatabase() throws Exception {
      long postmaster =
          Long.parseLong(
              Files.readAllLines(dataDirectory.resolve("postgres").resolve("postmaster.pid"))
                  .get(0)
                  .trim());
      List<ProcessHandle> victims = new ArrayList<>(List.of(service.handle()));
      ProcessHandle.of(postmaster)
          .ifPresent(
              p -> {
                victims.add(p);
                p.descendants().forEach(victims::add);
              });
      victims.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle victim : victims) {
        victim.onExit().get(30, TimeUnit.SECONDS);
      }
    }

    @Override
    public String describeCycle() {
      return "SIGKILL of the service and its embedded PostgreSQL together each";
    }

    @Override
    public void close() throws IOException {
      service.close(); // SIGTERM: the service stops its PostgreSQL
      BenchDatabase.deleteRecursively(dataDirectory);
    }
  }

  /** One export request and how it ended: acknowledged, or given up (refused). */
  private record Sent(Signal signal, long firstSequence, int count, boolean acked) {}

  boolean run() throws Exception {
    target.start();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Signal signal = c % 2 == 0 ? Signal.SPANS : Signal.LOGS;
      boolean grpc = c % 4 < 2;
      Thread t = new Thread(() -> client(signal, grpc), "chaos-client-" + c);
      threads.add(t);
      t.start();
    }
    long start = System.nanoTime();
    for (int cycle = 1; cycle <= cycles; cycle++) {
      target.cycle(what -> log(start, what));
    }
    pause(8);
    sending = false;
    log(start, "clients stop sending new requests; waiting for their retries");
    for (Thread t : threads) {
      t.join();
    }
    log(start, "all requests answered or given up");
    target.settle(what -> log(start, what));
    return compare(target.jdbcUrl());
  }

  private static void log(long start, String what) {
    System.out.printf("[%5.1f s] %s%n", (System.nanoTime() - start) / 1e9, what);
  }

  static void pause(int seconds) throws InterruptedException {
    TimeUnit.SECONDS.sleep(seconds);
  }

  private void client(Signal signal, boolean grpc) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", target.grpcPort()).usePlaintext().build();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ATTEMPT_TIMEOUT)
            .build();
    MethodDescriptor<byte[], byte[]> method = LoadBenchmark.method(signal);
    while (sending) {
      AtomicLong sequence = signal == Signal.SPANS ? spanSequence : logSequence;
      long first = sequence.getAndAdd(RECORDS_PER_REQUEST);
      byte[] body =
          signal == Signal.SPANS
              ? spans(first, RECORDS_PER_REQUEST)
              : logs(first, RECORDS_PER_REQUEST);
      boolean acked = grpc ? sendGrpc(channel, method, body) : sendHttp(http, signal, body);
      ledger.add(new Sent(signal, first, RECORDS_PER_REQUEST, acked));
      try {
        TimeUnit.MILLISECONDS.sleep(target.requestIntervalMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    channel.shutdownNow();
  }

  /** Sends until OK, a permanent error, or the attempts are used up; the same bytes each time. */
  private boolean sendGrpc(
      ManagedChannel channel, MethodDescriptor<byte[], byte[]> method, byte[] body) {
    for (int attempt = 1; ; attempt++) {
      try {
        ClientCalls.blockingUnaryCall(
            channel,
            method,
            CallOptions.DEFAULT.withDeadlineAfter(
                ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
            body);
        return true;
      } catch (StatusRuntimeException e) {
        if (!RETRYABLE_CODES.contains(e.getStatus().getCode()) || !backOff(attempt)) {
          return false;
        }
        channel.resetConnectBackoff(); // the service may be back: do not wait for gRPC's backoff
      }
    }
  }

  private boolean sendHttp(HttpClient http, Signal signal, byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + target.httpPort() + signal.httpPath))
            .timeout(ATTEMPT_TIMEOUT)
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    for (int attempt = 1; ; attempt++) {
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200) {
          return true;
        }
        if (!RETRYABLE_STATUSES.contains(status) || !backOff(attempt)) {
          return false;
        }
      } catch (IOException e) { // refused, reset, timed out: retryable, as in the SDK
        if (!backOff(attempt)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Sleeps before the next attempt; false when there is none left. */
  private boolean backOff(int attempt) {
    if (attempt >= MAX_ATTEMPTS) {
      return false;
    }
    retries.incrementAndGet();
    long ceiling =
        (long)
            Math.min(
                MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * Math.pow(BACKOFF_MULTIPLIER, attempt - 1));
    try {
      TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  private ByteString id(int bytes, long value) {
    ByteBuffer b = ByteBuffer.allocate(bytes);
    if (bytes == 16) {
      b.putLong(runId);
    }
    return ByteString.copyFrom(b.putLong(value).array());
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(kv("service.name", service)).build();
  }

  /** Spans whose span id is their sequence number + 1 (never zero), ten per trace. */
  private byte[] spans(long first, int count) {
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (long n = first; n < first + count; n++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(id(16, n / 10 + 1))
              .setSpanId(id(8, n + 1))
              .setName("chaos " + n % 20)
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(now - 1_000_000)
              .setEndTimeUnixNano(now)
              .addAttributes(kv("http.route", "/chaos/" + n % 20)));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().setResource(resource("chaos")).addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  /** Log records carrying their sequence number as the attribute {@code chaos.seq}. */
  private byte[] logs(long first, int count) {
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (long n = first; n < first + count; n++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(now)
              .setSeverityNumberValue(9)
              .setBody(AnyValue.newBuilder().setStringValue("chaos record " + n))
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey(SEQUENCE_KEY)
                      .setValue(AnyValue.newBuilder().setIntValue(n))));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder().setResource(resource("chaos")).addScopeLogs(scope))
        .build()
        .toByteArray();
  }

  /** Record by record: what was sent and acknowledged against what the database holds. */
  private boolean compare(String jdbcUrl) throws Exception {
    int[] storedSpans =
        storedCounts(
            jdbcUrl,
            "SELECT span_id, count(*) FROM spans GROUP BY span_id",
            (int) spanSequence.get(),
            rs -> ByteBuffer.wrap(rs.getBytes(1)).getLong() - 1);
    int[] storedLogs =
        storedCounts(
            jdbcUrl,
            "SELECT (log_attributes->>'"
                + SEQUENCE_KEY
                + "')::bigint, count(*) FROM logs GROUP BY 1",
            (int) logSequence.get(),
            rs -> rs.getLong(1));
    System.out.printf(
        "%n%d cycles (%s), %d clients"
            + " (gRPC and HTTP/protobuf, spans and logs), %d records per request, %,d retries%n",
        cycles, target.describeCycle(), clients, RECORDS_PER_REQUEST, retries.get());
    System.out.printf(
        "%-6s %10s %10s %16s %10s %8s %11s %17s%n",
        "signal",
        "sent",
        "acked",
        "refused requests",
        "stored",
        "lost",
        "duplicated",
        "stored, not acked");
    long lost = report(Signal.SPANS, storedSpans) + report(Signal.LOGS, storedLogs);
    long duplicated = duplicates(storedSpans) + duplicates(storedLogs);
    boolean clean = lost == 0 && duplicated == 0;
    System.out.printf(
        "RESULT: %s (lost %d, duplicated %d)%n", clean ? "OK" : "FAILED", lost, duplicated);
    return clean;
  }

  /** Prints one signal's line; returns its lost records. */
  private long report(Signal signal, int[] stored) {
    long sent = 0;
    long acked = 0;
    long refused = 0;
    long lost = 0;
    long storedNotAcked = 0;
    synchronized (ledger) {
      for (Sent s : ledger) {
        if (s.signal() != signal) {
          continue;
        }
        sent += s.count();
        if (s.acked()) {
          acked += s.count();
        } else {
          refused++;
        }
        for (long n = s.firstSequence(); n < s.firstSequence() + s.count(); n++) {
          if (s.acked() && stored[(int) n] == 0) {
            lost++;
          } else if (!s.acked() && stored[(int) n] > 0) {
            storedNotAcked++;
          }
        }
      }
    }
    long distinct = java.util.Arrays.stream(stored).filter(c -> c > 0).count();
    System.out.printf(
        "%-6s %,10d %,10d %,16d %,10d %,8d %,11d %,17d%n",
        signal.table, sent, acked, refused, distinct, lost, duplicates(stored), storedNotAcked);
    return lost;
  }

  private static long duplicates(int[] stored) {
    return java.util.Arrays.stream(stored).filter(c -> c > 1).count();
  }

  private interface SequenceOf {
    long of(ResultSet row) throws java.sql.SQLException;
  }

  /** How many rows each sequence number has in the database, by sequence number. */
  private static int[] storedCounts(String jdbcUrl, String sql, int size, SequenceOf sequence)
      throws Exception {
    int[] counts = new int[size];
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        long n = sequence.of(rs);
        if (n < 0 || n >= size) {
          throw new IllegalStateException("a stored record that was never sent: " + n);
        }
        counts[(int) n] = rs.getInt(2);
      }
    }
    return counts;
  }
}
