package dev.glust.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * What a stored span and log record cost: the load benchmark's OTLP requests ingested by the real
 * service into a fresh database its Flyway migrations made, then the bytes per row of heap, TOAST
 * and every index, and the average size of the JSONB columns. Then the same rows are written back
 * by raw binary COPY (batches of 2,000, two connections as the service's writers) with every index,
 * without the GIN indexes, without each index in turn and without any index: what each index costs
 * the write on this machine, as a ratio to the run with all of them.
 *
 * <p>Usage (from the repository root, after {@code mvn -B -DskipTests package}): {@code java -cp
 * bench/target/glust-bench.jar dev.glust.bench.StorageFootprintBenchmark [spans] [logs]}.
 */
public final class StorageFootprintBenchmark {
  private static final int RECORDS_PER_REQUEST = 500;
  private static final int CLIENTS = 4;
  private static final int REPLAY_BATCH_ROWS = 2_000;
  private static final int REPLAY_WRITERS = 2;

  private final String jdbcUrl;

  private StorageFootprintBenchmark(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int logs = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    try (BenchDatabase db = BenchDatabase.start("1GB")) {
      StorageFootprintBenchmark bench = new StorageFootprintBenchmark(db.jdbcUrl());
      System.out.printf(
          "machine: %d cores; load average at start: %s%n",
          Runtime.getRuntime().availableProcessors(), loadAverage());
      try (ServiceProcess service =
          new ServiceProcess(db.jdbcUrl(), Path.of("bench/target/glust-footprint-service.log"))) {
        service.start();
        OtlpRequests requests = new OtlpRequests();
        bench.ingest(service.httpPort, LoadBenchmark.Signal.SPANS, requests::spans, spans);
        bench.ingest(service.httpPort, LoadBenchmark.Signal.LOGS, requests::logs, logs);
      }
      bench.settle();
      bench.printFootprint("spans", spans);
      bench.printFootprint("logs", logs);
      bench.printIndexCost("spans");
      bench.printIndexCost("logs");
      System.out.printf("load average at the end: %s%n", loadAverage());
    }
  }

  /**
   * Sends {@code count} records as OTLP/HTTP protobuf requests of 500 by parallel clients; a
   * refused request (429/503) is sent again after a pause, so every record is stored once.
   */
  private void ingest(
      int httpPort, LoadBenchmark.Signal signal, IntFunction<byte[]> build, int count)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + httpPort + signal.httpPath);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long start = System.nanoTime();
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int first = 0; first < count; first += RECORDS_PER_REQUEST) {
        byte[] body = build.apply(Math.min(RECORDS_PER_REQUEST, count - first));
        sent.add(clients.submit(() -> sendUntilAccepted(http, uri, body)));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      clients.shutdown();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long stored = count(signal.table);
    System.out.printf(
        "ingested %,d %s through the service (OTLP/HTTP protobuf, %d clients) in %.1f s"
            + " (%,.0f/s); stored %,d -> %s%n",
        count,
        signal.table,
        CLIENTS,
        seconds,
        count / seconds,
        stored,
        stored == count ? "OK" : "MISMATCH");
    if (stored != count) {
      throw new IllegalStateException("stored rows differ from the records sent");
    }
  }

  private static Void sendUntilAccepted(HttpClient http, URI uri, byte[] body) throws Exception {
    for (int attempt = 1; ; attempt++) {
      int status =
          http.send(
                  HttpRequest.newBuilder(uri)
                      .header("Content-Type", "application/x-protobuf")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      if (status == 200) {
        return null;
      }
      if ((status != 429 && status != 503) || attempt == 100) {
        throw new IllegalStateException("export answered " + status + " at attempt " + attempt);
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /**
   * VACUUM ANALYZE both tables: GIN indexes (fastupdate) keep recent entries in a pending list
   * until a vacuum merges them, so sizes are read in the state autovacuum would leave.
   */
  private void settle() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      s.execute("VACUUM ANALYZE spans");
      s.execute("VACUUM ANALYZE logs");
    }
  }

  /** Heap, TOAST and each index of every partition, per row; then the JSONB columns' sizes. */
  private void printFootprint(String table, long rows) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      long heap;
      long toast;
      long allIndexes;
      int partitions;
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*), sum(pg_relation_size(c.oid, 'main')),"
                  + " sum(CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE"
                  + " pg_relation_size(c.reltoastrelid, 'main')"
                  + " + (SELECT sum(pg_relation_size(t.indexrelid, 'main')) FROM pg_index t"
                  + " WHERE t.indrelid = c.reltoastrelid) END),"
                  + " sum((SELECT coalesce(sum(pg_relation_size(i.indexrelid, 'main')), 0)"
                  + " FROM pg_index i WHERE i.indrelid = c.oid))"
                  + " FROM pg_partition_tree('"
                  + table
                  + "') p JOIN pg_class c ON c.oid = p.relid WHERE p.isleaf")) {
        rs.next();
        partitions = rs.getInt(1);
        heap = rs.getLong(2);
        toast = rs.getLong(3);
        allIndexes = rs.getLong(4);
      }
      System.out.printf(
          "%n%s: %,d rows in %d partitions; bytes per row (main fork, after VACUUM):%n",
          table, rows, partitions);
      System.out.printf("  %-40s %9s %10s%n", "relation", "B/row", "MiB");
      printSize("heap", heap, rows);
      printSize("TOAST (table + its index)", toast, rows);
      long indexed = 0;
      for (IndexDefinition index : indexes(s, table)) {
        long size = partitionedIndexSize(s, index.name());
        indexed += size;
        printSize("index " + index.name() + " (" + index.method() + ")", size, rows);
      }
      if (allIndexes != indexed) {
        printSize("indexes of single partitions", allIndexes - indexed, rows);
      }
      printSize("total", heap + toast + allIndexes, rows);
      printColumnSizes(s, table);
    }
  }

  private static void printSize(String name, long bytes, long rows) {
    System.out.printf("  %-40s %9.0f %10.1f%n", name, (double) bytes / rows, bytes / 1048576.0);
  }

  private static long partitionedIndexSize(Statement s, String index) throws Exception {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT coalesce(sum(pg_relation_size(relid, 'main')), 0) FROM pg_partition_tree('"
                + index
                + "') WHERE isleaf")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The average stored size of each JSONB column and of the whole row, compressed as stored. */
  private static void printColumnSizes(Statement s, String table) throws Exception {
    List<String> columns = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT column_name FROM information_schema.columns WHERE table_name = '"
                + table
                + "' AND data_type = 'jsonb' ORDER BY ordinal_position")) {
      while (rs.next()) {
        columns.add(rs.getString(1));
      }
    }
    String averages =
        columns.stream()
            .map(column -> "avg(pg_column_size(" + column + "))")
            .collect(Collectors.joining(", "));
    try (ResultSet rs =
        s.executeQuery("SELECT avg(pg_column_size(t.*)), " + averages + " FROM " + table + " t")) {
      rs.next();
      double row = rs.getDouble(1);
      System.out.printf(
          "  average stored size (pg_column_size):%n  %-40s %9.0f%n",
          "whole row (TOASTed values inline)", row);
      for (int i = 0; i < columns.size(); i++) {
        double size = rs.getDouble(i + 2);
        System.out.printf(
            "  %-40s %9.0f %9.0f %% of the row%n",
            columns.get(i) + " (jsonb)", size, 100 * size / row);
      }
    }
  }

  record IndexDefinition(String name, String method, String definition) {}

  /**
   * The table's indexes with a definition that recreates them on every partition: PostgreSQL prints
   * a partitioned index as {@code ON ONLY}, which would create it on the parent alone.
   */
  private static List<IndexDefinition> indexes(Statement s, String table) throws Exception {
    List<IndexDefinition> indexes = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT c.relname, am.amname, pg_get_indexdef(c.oid) FROM pg_index i"
                + " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam"
                + " WHERE i.indrelid = '"
                + table
                + "'::regclass ORDER BY c.relname")) {
      while (rs.next()) {
        indexes.add(
            new IndexDefinition(
                rs.getString(1), rs.getString(2), rs.getString(3).replace(" ON ONLY ", " ON ")));
      }
    }
    return indexes;
  }

  /**
   * The same rows replayed with every index, without the GIN ones, without each index in turn, and
   * without any. "All indexes" runs first and last: the gap between the two shows the machine's
   * noise, and their mean is what the other variants are compared with.
   */
  private void printIndexCost(String table) throws Exception {
    List<IndexDefinition> all;
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      all = indexes(s, table);
    }
    Map<String, List<IndexDefinition>> variants = new LinkedHashMap<>();
    variants.put("all indexes", List.of());
    List<IndexDefinition> gin = all.stream().filter(i -> i.method().equals("gin")).toList();
    if (gin.size() > 1) {
      variants.put("without the GIN indexes", gin);
    }
    for (IndexDefinition index : all) {
      variants.put("without " + index.name(), List.of(index));
    }
    variants.put("without any index", all);
    variants.put("all indexes, again", List.of());
    RawCopy.Export export = RawCopy.export(jdbcUrl, table, REPLAY_BATCH_ROWS);
    Map<String, RawCopy.Replay> results = new LinkedHashMap<>();
    for (Map.Entry<String, List<IndexDefinition>> variant : variants.entrySet()) {
      results.put(variant.getKey(), replayWithout(export, variant.getValue()));
    }
    double baseline =
        (results.get("all indexes").rate() + results.get("all indexes, again").rate()) / 2;
    System.out.printf(
        "%n%s: %,d rows replayed by binary COPY, batches of %,d, %d connections:%n",
        table, export.rows(), REPLAY_BATCH_ROWS, REPLAY_WRITERS);
    System.out.printf(
        "  %-40s %10s %10s %10s %16s%n", "variant", "rows/s", "p50 ms", "p99 ms", "rate / all idx");
    for (Map.Entry<String, RawCopy.Replay> result : results.entrySet()) {
      RawCopy.Replay replay = result.getValue();
      System.out.printf(
          "  %-40s %,10.0f %10.1f %10.1f %16.2f%n",
          result.getKey(),
          replay.rate(),
          replay.batchMicros().getValueAtPercentile(50) / 1000.0,
          replay.batchMicros().getValueAtPercentile(99) / 1000.0,
          replay.rate() / baseline);
    }
  }

  /**
   * One replay with the {@code dropped} indexes absent; they are recreated afterwards on the
   * emptied table, which is quick.
   */
  private RawCopy.Replay replayWithout(RawCopy.Export export, List<IndexDefinition> dropped)
      throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      for (IndexDefinition index : dropped) {
        s.execute("DROP INDEX " + index.name());
      }
    }
    RawCopy.Replay replay = RawCopy.replay(jdbcUrl, export, REPLAY_WRITERS);
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE " + export.table());
      for (IndexDefinition index : dropped) {
        s.execute(index.definition());
      }
    }
    return replay;
  }

  private long count(String table) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }
}
