package dev.glust.bench;

import dev.glust.adapter.mapping.otlp.DomainToOtlp;
import dev.glust.adapter.postgres.PartitionSettings;
import dev.glust.adapter.postgres.PostgresSettings;
import dev.glust.adapter.postgres.PostgresStorage;
import dev.glust.application.port.in.query.trace.SpanNode;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.TraceSearch;
import dev.glust.application.port.model.spanset.Comparison;
import dev.glust.application.port.model.spanset.FieldValue;
import dev.glust.application.port.model.spanset.SpanCondition;
import dev.glust.application.port.model.spanset.SpanField;
import dev.glust.application.port.model.spanset.SpansetQuery;
import dev.glust.application.port.model.spanset.SpansetSearch;
import dev.glust.application.service.SpansetQueryService;
import dev.glust.application.service.TelemetryQueryService;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;

/**
 * Loads N spans and N logs, spread over the last 48 hours in arrival order, through the storage
 * adapter's binary COPY (the write path of ingest), seals the partitions whose range is over (as
 * the service does in the background), then measures the query paths the API uses: trace by id, log
 * search by service and time, trace search with an attribute filter, and the searches without a
 * service (a rare attribute, a word in log bodies) once over the last hour, which lies in the hot
 * partition (no read indexes), and once over yesterday, a sealed partition. Prints p50/p99/max.
 *
 * <p>Usage: {@code java -jar bench/target/glust-bench.jar [spans] [logs] [iterations] [partition
 * interval, ISO-8601, e.g. PT1H]}; with {@code GLUST_BENCH_DB_URL} (and {@code
 * GLUST_BENCH_DB_USER}) it uses that database, else an embedded PostgreSQL in a temporary
 * directory.
 */
public final class QueryBenchmark {
  private static final long HOUR = 3_600_000_000_000L;
  private static final int SERVICES = 20;
  private static final int SPANS_PER_TRACE = 10;
  private static final int USERS = 10_000;
  private static final String[] WORDS = {
    "request",
    "handled",
    "user",
    "cache",
    "miss",
    "hit",
    "order",
    "payment",
    "accepted",
    "queue",
    "retry",
    "connection",
    "opened",
    "closed",
    "slow",
    "query",
    "completed",
    "session",
    "token"
  };

  private final Random random = new Random(42);
  private final long now = System.currentTimeMillis() * 1_000_000L;
  private static final long DAY = 24 * HOUR;
  private static final long SPAN = 2 * DAY;
  private final long start = now - SPAN;

  /** Yesterday in UTC: a whole daily partition, over and sealed when the data is loaded. */
  private final TimeRange sealedDay = new TimeRange(now / DAY * DAY - DAY, now / DAY * DAY);

  private final TimeRange lastHour = new TimeRange(now - HOUR, now);

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int logs = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    // the hot partition's size is the choice this compares (1 d by default, as the service)
    Duration interval = args.length > 3 ? Duration.parse(args[3]) : Duration.ofDays(1);
    EmbeddedPostgres embedded = embeddedUnlessConfigured();
    String url = benchUrl(embedded);
    String user = System.getenv().getOrDefault("GLUST_BENCH_DB_USER", "postgres");
    try (PostgresStorage storage =
        PostgresStorage.open(
            asService(url, user, System.getenv("GLUST_BENCH_DB_PASSWORD")),
            new PartitionSettings(
                interval, 2, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10)),
            Clock.systemUTC())) {
      System.out.println("partition interval: " + interval);
      new QueryBenchmark().run(storage, url, user, spans, logs, iterations);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /**
   * Settings whose ingest and queries connect as {@link BenchDatabase#SERVICE_ROLE} (made here if
   * need be; a local server trusts it), as the service connects as its service role: row-level
   * security then applies, and with it the tenant condition the indexes lead with. As the owner, a
   * superuser, the policies are skipped: every query then scans whole indexes for want of the
   * tenant (trace by id took 83 ms instead of 1), which the service never does.
   */
  static PostgresSettings asService(String url, String owner, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, owner, password)) {
      BenchDatabase.createServiceRole(c);
    }
    return PostgresSettings.of(BenchDatabase.withoutUser(url), owner, password)
        .withServiceRole(BenchDatabase.SERVICE_ROLE, "");
  }

  /** An embedded PostgreSQL in a temporary directory, unless GLUST_BENCH_DB_URL names one. */
  static EmbeddedPostgres embeddedUnlessConfigured() throws java.io.IOException {
    String url = System.getenv("GLUST_BENCH_DB_URL");
    if (url != null && !url.isBlank()) {
      return null;
    }
    return EmbeddedPostgres.builder()
        .setDataDirectory(Files.createTempDirectory("glust-bench"))
        .setCleanDataDirectory(true)
        .setServerConfig("shared_buffers", "1GB")
        .setServerConfig("max_wal_size", "4GB")
        .start();
  }

  static String benchUrl(EmbeddedPostgres embedded) {
    return embedded != null
        ? embedded.getJdbcUrl("postgres", "postgres")
        : System.getenv("GLUST_BENCH_DB_URL");
  }

  private void run(
      PostgresStorage storage, String url, String user, int spanCount, int logCount, int iterations)
      throws Exception {
    System.out.printf(
        "machine: %d cores, max heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    List<TraceId> traces = new ArrayList<>();
    long t0 = System.nanoTime();
    loadSpans(storage, spanCount, traces);
    long t1 = System.nanoTime();
    loadLogs(storage, logCount, traces);
    long t2 = System.nanoTime();
    try (Connection c =
            java.sql.DriverManager.getConnection(
                url, user, System.getenv("GLUST_BENCH_DB_PASSWORD"));
        Statement s = c.createStatement()) {
      s.execute("VACUUM ANALYZE spans");
      s.execute("VACUUM ANALYZE logs");
    }
    System.out.printf(
        "loaded %,d spans in %.1f s (%,.0f/s), %,d logs in %.1f s (%,.0f/s)%n",
        spanCount,
        (t1 - t0) / 1e9,
        spanCount / ((t1 - t0) / 1e9),
        logCount,
        (t2 - t1) / 1e9,
        logCount / ((t2 - t1) / 1e9));
    long t3 = System.nanoTime();
    int sealed = storage.sealPartitions();
    System.out.printf(
        "sealed %d partitions (read indexes built) in %.1f s%n",
        sealed, (System.nanoTime() - t3) / 1e9);

    TelemetryQueryService queries =
        new TelemetryQueryService(
            storage.traceLoader(), storage.traceSearch(), storage.logSearch(), storage.services());
    System.out.printf(
        "%-40s %9s %9s %9s %8s%n",
        "query (" + iterations + " runs)", "p50 ms", "p99 ms", "max ms", "rows");
    measure(
        "trace by id (spans + correlated logs)",
        iterations,
        i -> {
          var trace =
              queries
                  .loadTrace(TenantId.DEFAULT, traces.get(random.nextInt(traces.size())))
                  .orElseThrow();
          rows = trace.roots().size() + trace.logs().size();
        });
    measure(
        "logs: service + 1 h range, limit 100",
        iterations,
        i ->
            rows =
                logCount(
                    queries,
                    Optional.of(service(random.nextInt(SERVICES))),
                    Optional.empty(),
                    hourWindow(),
                    100));
    measure(
        "traces: service + attr + 1 h, limit 20",
        iterations,
        i ->
            rows =
                traceCount(
                    queries,
                    Optional.of(service(random.nextInt(SERVICES))),
                    Map.of("http.status_code", "500"),
                    hourWindow(),
                    20));
    for (var part :
        List.of(Map.entry("last 1 h, hot", lastHour), Map.entry("sealed day", sealedDay))) {
      measure(
          "traces: rare attr, no service, " + part.getKey(),
          iterations,
          i ->
              rows =
                  traceCount(
                      queries,
                      Optional.empty(),
                      Map.of("user.id", "user-" + random.nextInt(USERS)),
                      part.getValue(),
                      20));
      measure(
          "logs: body text 'timeout', " + part.getKey(),
          iterations,
          i ->
              rows =
                  logCount(
                      queries, Optional.empty(), Optional.of("timeout"), part.getValue(), 100));
    }
    measureTraceQl(storage, queries, traces, iterations);
    try (Connection c =
            java.sql.DriverManager.getConnection(
                url, user, System.getenv("GLUST_BENCH_DB_PASSWORD"));
        Statement s = c.createStatement()) {
      measureRetention(s, "logs");
    }
  }

  /**
   * Tempo's API paths (issue 22): trace by id encoded as OTLP protobuf, a TraceQL spanset filter
   * and a structural query over the last hour, through the application's spanset search.
   */
  private void measureTraceQl(
      PostgresStorage storage,
      TelemetryQueryService queries,
      List<TraceId> traces,
      int iterations) {
    SpansetQueryService spansets =
        new SpansetQueryService(storage.spansetSearch(), Duration.ofDays(31));
    measure(
        "tempo: trace by id as OTLP protobuf",
        iterations,
        i -> {
          var trace =
              queries
                  .loadTrace(TenantId.DEFAULT, traces.get(random.nextInt(traces.size())))
                  .orElseThrow();
          List<Span> spans = new ArrayList<>();
          trace.roots().forEach(root -> flatten(root, spans));
          rows = DomainToOtlp.spans(spans).toByteArray().length > 0 ? spans.size() : 0;
        });
    SpanField.AttributeField serviceName =
        new SpanField.AttributeField(SpanField.AttributeScope.RESOURCE, "service.name");
    SpanCondition failed =
        new SpanCondition.Compare(
            new SpanField.AttributeField(SpanField.AttributeScope.SPAN, "http.status_code"),
            Comparison.GREATER_OR_EQUAL,
            new FieldValue.Number(BigDecimal.valueOf(500)));
    measure(
        "traceql: {service && status_code>=500} 1 h",
        iterations,
        i ->
            rows =
                spansets
                    .searchSpansets(
                        TenantId.DEFAULT,
                        new SpansetSearch(
                            new SpansetQuery.Filter(
                                new SpanCondition.All(
                                    List.of(
                                        new SpanCondition.Compare(
                                            serviceName,
                                            Comparison.EQUAL,
                                            new FieldValue.Text(service(random.nextInt(SERVICES)))),
                                        failed))),
                            lastHour,
                            20))
                    .size());
    measure(
        "traceql: {service} > {status_code>=500} 1 h",
        iterations,
        i ->
            rows =
                spansets
                    .searchSpansets(
                        TenantId.DEFAULT,
                        new SpansetSearch(
                            new SpansetQuery.Related(
                                new SpansetQuery.Filter(
                                    new SpanCondition.Compare(
                                        serviceName,
                                        Comparison.EQUAL,
                                        new FieldValue.Text(service(random.nextInt(SERVICES))))),
                                SpansetQuery.Relation.CHILD,
                                new SpansetQuery.Filter(failed)),
                            lastHour,
                            20))
                    .size());
  }

  private static void flatten(SpanNode node, List<Span> out) {
    out.add(node.span());
    node.children().forEach(child -> flatten(child, out));
  }

  /** Traces found by a search of the service (if any) and attributes over the range. */
  private static int traceCount(
      TelemetryQueryService queries,
      Optional<String> service,
      Map<String, String> attributes,
      TimeRange range,
      int limit) {
    return queries
        .searchTraces(
            TenantId.DEFAULT,
            new TraceSearch(
                service,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                attributes,
                range,
                PageRequest.first(limit)))
        .items()
        .size();
  }

  /** Log records found by a search of the service and body text (if any) over the range. */
  private static int logCount(
      TelemetryQueryService queries,
      Optional<String> service,
      Optional<String> text,
      TimeRange range,
      int limit) {
    return queries
        .searchLogs(
            TenantId.DEFAULT,
            new LogSearch(
                service,
                0,
                text,
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                range,
                PageRequest.first(limit)))
        .items()
        .size();
  }

  /**
   * Expiring a day of logs the two ways: the fullest partition emptied row by row (DELETE, then the
   * VACUUM that really frees the space) against the next one dropped whole, as retention does.
   * Autovacuum is switched off on both first, so that neither statement waits for it.
   */
  private static void measureRetention(Statement s, String table) throws Exception {
    List<String> partitions = new ArrayList<>();
    List<Long> rowCounts = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT c.relname, (SELECT count(*) FROM "
                + table
                + " WHERE tableoid = c.oid) AS n FROM pg_inherits i JOIN pg_class c"
                + " ON c.oid = i.inhrelid WHERE i.inhparent = '"
                + table
                + "'::regclass ORDER BY n DESC LIMIT 2")) {
      while (rs.next()) {
        partitions.add(rs.getString(1));
        rowCounts.add(rs.getLong(2));
      }
    }
    for (String partition : partitions) {
      s.execute("ALTER TABLE " + partition + " SET (autovacuum_enabled = false)");
    }
    long t0 = System.nanoTime();
    s.executeUpdate("DELETE FROM " + partitions.get(0));
    s.execute("VACUUM " + partitions.get(0));
    long deleteNanos = System.nanoTime() - t0;
    long t1 = System.nanoTime();
    s.execute("DROP TABLE " + partitions.get(1));
    long dropNanos = System.nanoTime() - t1;
    System.out.printf(
        "retention: DELETE + VACUUM of %s (%,d rows) %.0f ms = %,.0f rows/s;"
            + " DROP TABLE of %s (%,d rows) %.1f ms%n",
        partitions.get(0),
        rowCounts.get(0),
        deleteNanos / 1e6,
        rowCounts.get(0) / (deleteNanos / 1e9),
        partitions.get(1),
        rowCounts.get(1),
        dropNanos / 1e6);
  }

  private int rows;

  private void measure(String name, int iterations, IntConsumer query) {
    for (int i = 0; i < Math.max(10, iterations / 10); i++) {
      query.accept(i); // warm caches and JIT
    }
    Histogram h = new Histogram(3);
    long totalRows = 0;
    for (int i = 0; i < iterations; i++) {
      long begin = System.nanoTime();
      query.accept(i);
      h.recordValue((System.nanoTime() - begin) / 1000);
      totalRows += rows;
    }
    System.out.printf(
        "%-40s %9.2f %9.2f %9.2f %8.1f%n",
        name,
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0,
        (double) totalRows / iterations);
  }

  private long jitter() {
    return (long) ((random.nextDouble() - 0.5) * 2_000_000_000L);
  }

  private TimeRange hourWindow() {
    long from = start + (long) (random.nextDouble() * (SPAN - HOUR));
    return new TimeRange(from, from + HOUR);
  }

  private static String service(int n) {
    return String.format("service-%02d", n);
  }

  private static final InstrumentationScope SCOPE =
      new InstrumentationScope("io.glust.bench", "1.0", Attributes.EMPTY, "");

  private static Resource resource(int service) {
    return new Resource(
        Attributes.of(
            Attribute.of("service.name", service(service)),
            Attribute.of("host.name", "host-" + service % 7),
            Attribute.of("deployment.environment", "prod")),
        "");
  }

  private void loadSpans(PostgresStorage storage, int count, List<TraceId> traces) {
    List<Span> batch = new ArrayList<>();
    for (int i = 0; i < count; i += SPANS_PER_TRACE) {
      TraceId trace = new TraceId(random.nextLong() | 1, random.nextLong());
      traces.add(trace);
      // Live ingestion writes in roughly time order, so the heap follows time; jitter of ±1 s.
      long traceStart = start + (long) ((double) i / count * SPAN) + jitter();
      for (int j = 0; j < SPANS_PER_TRACE && i + j < count; j++) {
        int service = random.nextInt(SERVICES);
        long begin = traceStart + j * 1_000_000L;
        boolean error = random.nextInt(20) == 0;
        batch.add(
            new Span(
                trace,
                new SpanId(j + 1),
                "",
                j == 0 ? null : new SpanId(1),
                1,
                "op-" + random.nextInt(50),
                j == 0 ? SpanKind.SERVER : SpanKind.CLIENT,
                begin,
                begin + random.nextInt(500_000_000),
                attributes(error),
                random.nextInt(4) == 0
                    ? List.of(new SpanEvent(begin + 10, "cache.miss", Attributes.EMPTY))
                    : List.of(),
                0,
                List.of(),
                0,
                new SpanStatus(error ? SpanStatus.Code.ERROR : SpanStatus.Code.UNSET, ""),
                resource(service),
                SCOPE));
        flushWhenFull(batch, spans -> storage.spans().saveSpans(TenantId.DEFAULT, spans));
      }
    }
    flushWhenFull(batch, spans -> storage.spans().saveSpans(TenantId.DEFAULT, spans), 1);
  }

  /** Writes and clears the batch once it holds {@code size} records (10,000 by default). */
  private static <T> void flushWhenFull(List<T> batch, java.util.function.Consumer<List<T>> save) {
    flushWhenFull(batch, save, 10_000);
  }

  private static <T> void flushWhenFull(
      List<T> batch, java.util.function.Consumer<List<T>> save, int size) {
    if (batch.size() >= size) {
      save.accept(batch);
      batch.clear();
    }
  }

  private Attributes attributes(boolean error) {
    return Attributes.of(
        Attribute.of("http.method", random.nextBoolean() ? "GET" : "POST"),
        Attribute.of("http.status_code", error ? 500L : 200L),
        Attribute.of("http.route", "/api/item/" + random.nextInt(100)),
        Attribute.of("user.id", "user-" + random.nextInt(USERS)),
        Attribute.of("region", "eu-" + random.nextInt(3)),
        new Attribute("retry", AnyValue.of(random.nextInt(10) == 0)),
        new Attribute("latency.ms", AnyValue.of(random.nextDouble() * 100)),
        Attribute.of("net.peer.port", 1024L + random.nextInt(60_000)));
  }

  private void loadLogs(PostgresStorage storage, int count, List<TraceId> traces) {
    List<LogRecord> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long time = start + (long) ((double) i / count * SPAN) + jitter();
      StringBuilder body = new StringBuilder();
      for (int w = 0; w < 8; w++) {
        body.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      if (random.nextInt(100) == 0) {
        body.append("timeout after ").append(random.nextInt(30)).append("s");
      }
      TraceId trace = random.nextInt(10) < 3 ? traces.get(random.nextInt(traces.size())) : null;
      int service = random.nextInt(SERVICES);
      batch.add(
          new LogRecord(
              time,
              time + 1000,
              1 + random.nextInt(24),
              "",
              AnyValue.of(body.toString()),
              Attributes.of(
                  Attribute.of("logger", "com.example.L" + random.nextInt(40)),
                  Attribute.of("thread", "worker-" + random.nextInt(16)),
                  Attribute.of("user.id", "user-" + random.nextInt(USERS))),
              0,
              trace,
              trace == null ? null : new SpanId(1 + random.nextInt(SPANS_PER_TRACE)),
              "",
              resource(service),
              SCOPE));
      flushWhenFull(batch, logs -> storage.logs().saveLogs(TenantId.DEFAULT, logs));
    }
    flushWhenFull(batch, logs -> storage.logs().saveLogs(TenantId.DEFAULT, logs), 1);
  }
}
