package dev.glust.bench;

import dev.glust.adapter.postgres.PostgresStorage;
import dev.glust.adapter.query.prometheus.PromQlEngine;
import dev.glust.application.port.in.query.metric.MetricAggregation;
import dev.glust.application.port.in.query.metric.MetricQuery;
import dev.glust.application.port.in.query.metric.MetricQueryResult;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.service.MetricQueryService;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;

/**
 * Metric queries as the API runs them ({@link MetricQueryService} over the PostgreSQL read models)
 * on generated rows: {@code series} cumulative counters ({@code pod}, {@code method} labels) and a
 * quarter as many cumulative histograms (20 bounds), a point every 15 s over the last {@code hours}
 * hours, written by SQL {@code generate_series} in the V4 schema. Prints p50/p99/max and points
 * read per query, and how long a query over the point limit takes to be refused.
 *
 * <p>Usage: {@code java -cp bench/target/glust-bench.jar dev.glust.bench.MetricQueryBenchmark
 * [series=200] [hours=6] [iterations=50]}; {@code GLUST_BENCH_DB_URL} as for QueryBenchmark.
 */
public final class MetricQueryBenchmark {
  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final long EVERY = 15 * SECOND;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private final long now = Math.floorDiv(System.currentTimeMillis(), 60_000) * 60_000 * 1_000_000L;

  public static void main(String[] args) throws Exception {
    int series = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int hours = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    EmbeddedPostgres embedded = QueryBenchmark.embeddedUnlessConfigured();
    String url = QueryBenchmark.benchUrl(embedded);
    String user = System.getenv().getOrDefault("GLUST_BENCH_DB_USER", "postgres");
    String password = System.getenv("GLUST_BENCH_DB_PASSWORD");
    try (PostgresStorage storage =
            PostgresStorage.open(QueryBenchmark.asService(url, user, password));
        Connection c = DriverManager.getConnection(url, user, password)) {
      new MetricQueryBenchmark().run(storage, c, series, hours, iterations);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private void run(PostgresStorage storage, Connection c, int series, int hours, int iterations)
      throws SQLException {
    long from = now - hours * HOUR;
    int histograms = Math.max(1, series / 4);
    long begin = System.nanoTime();
    load(c, from, series, histograms);
    System.out.printf(
        "loaded %d counter series and %d histogram series, a point every 15 s over %d h"
            + " (%,d points) in %.1f s%n",
        series,
        histograms,
        hours,
        (series + histograms) * (hours * HOUR / EVERY + 1),
        (System.nanoTime() - begin) / 1e9);

    MetricQueryService queries =
        new MetricQueryService(storage.metricCatalog(), storage.metricPoints());
    System.out.printf(
        "%-52s %8s %8s %8s %9s%n",
        "query (" + iterations + " runs)", "p50 ms", "p99 ms", "max ms", "points");
    measure(
        "catalog: list metrics, 24 h",
        iterations,
        () ->
            queries
                .listMetrics(
                    TenantId.DEFAULT, Optional.empty(), new TimeRange(now - 24 * HOUR, now))
                .size());
    measure(
        "counter rate by method, 1 h, step 1m (all series)",
        iterations,
        () -> run(queries, "bench.requests", Map.of(), 1, MINUTE, "rate", "method"));
    measure(
        "counter rate, attr.pod=pod-7, " + hours + " h, step 1m",
        iterations,
        () -> run(queries, "bench.requests", Map.of("pod", "pod-7"), hours, MINUTE, "rate", null));
    int near = (int) Math.min(hours, MetricQueryService.MAX_POINTS * EVERY / HOUR / series);
    if (near >= 1) {
      measure(
          "counter rate by method, " + near + " h, step 5m (all series)",
          Math.max(5, iterations / 5),
          () -> run(queries, "bench.requests", Map.of(), near, 5 * MINUTE, "rate", "method"));
    }
    measure(
        "histogram p99 by method, 1 h, step 1m (all series)",
        iterations,
        () -> run(queries, "bench.duration", Map.of(), 1, MINUTE, "p99", "method"));
    // the same questions in PromQL, through the Prometheus API's engine (docs/api.md)
    PromQlEngine promql = new PromQlEngine(queries, queries, queries);
    measure(
        "PromQL sum by (method) (rate(…[1m])), 1 h, step 1m",
        iterations,
        () ->
            promql.rangeQuery(
                TenantId.DEFAULT,
                "sum by (method) (rate(bench_requests_total[1m]))",
                now - HOUR,
                now,
                MINUTE));
    measure(
        "PromQL sum(rate(…{pod=\"pod-7\"}[1m])), " + hours + " h, step 1m",
        iterations,
        () ->
            promql.rangeQuery(
                TenantId.DEFAULT,
                "sum(rate(bench_requests_total{pod=\"pod-7\"}[1m]))",
                now - hours * HOUR,
                now,
                MINUTE));
    measure(
        "PromQL histogram_quantile(0.99, … by (le, method)), 1 h",
        iterations,
        () ->
            promql.rangeQuery(
                TenantId.DEFAULT,
                "histogram_quantile(0.99, sum by (le, method)"
                    + " (rate(bench_duration_milliseconds_bucket[1m])))",
                now - HOUR,
                now,
                MINUTE));
    measure(
        "over the point limit: " + hours + " h of all counters, refused",
        Math.max(5, iterations / 5),
        () -> {
          try {
            run(queries, "bench.requests", Map.of(), hours, 5 * MINUTE, "rate", null);
            return -1;
          } catch (InvalidQueryException refused) {
            return 0;
          }
        });
  }

  private int run(
      MetricQueryService queries,
      String metric,
      Map<String, String> labels,
      int hours,
      long step,
      String agg,
      String by) {
    MetricQueryResult result =
        queries
            .queryMetric(
                TenantId.DEFAULT,
                new MetricQuery(
                    metric,
                    Optional.empty(),
                    labels,
                    new TimeRange(now - hours * HOUR, now),
                    step,
                    Optional.of(MetricAggregation.parse(agg)),
                    Optional.ofNullable(by)))
            .orElseThrow();
    if (result.series().isEmpty() || result.series().get(0).points().isEmpty()) {
      throw new IllegalStateException("no points: the load went wrong");
    }
    // points read: every series has one per 15 s in the range and the step before it
    return result.series().stream().mapToInt(s -> s.seriesCount()).sum()
        * (int) ((hours * HOUR + step) / EVERY);
  }

  private static void measure(String name, int iterations, IntSupplier query) {
    for (int i = 0; i < Math.max(3, iterations / 10); i++) {
      query.getAsInt(); // warm caches and JIT
    }
    Histogram h = new Histogram(3);
    long points = 0;
    for (int i = 0; i < iterations; i++) {
      long begin = System.nanoTime();
      points = query.getAsInt();
      h.recordValue((System.nanoTime() - begin) / 1000);
    }
    System.out.printf(
        "%-52s %8.1f %8.1f %8.1f %9s%n",
        name,
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0,
        points < 0 ? "?" : String.format("%,d", points));
  }

  /** Daily partitions for the range (left alone when one covers the day), series and points. */
  private void load(Connection c, long from, int counters, int histograms) throws SQLException {
    try (Statement s = c.createStatement()) {
      // rows written with SQL belong to the default tenant (id 1), whose reads the adapter serves
      s.execute("SET glust.tenant_id = 1");
      for (String table : new String[] {"metric_points_number", "metric_points_histogram"}) {
        for (long day = Math.floorDiv(from, 24 * HOUR) * 24 * HOUR; day <= now; day += 24 * HOUR) {
          createDay(s, table, day);
        }
      }
      String seen =
          "'epoch'::timestamptz + ("
              + from / 1000
              + " * interval '1 microsecond'), now() + interval '1 hour'";
      // 10 services' resources and one scope, stored once (schema V6); series reference them
      String resource = "jsonb_build_object('service.name', 'service-' || (i % 10))";
      String scopeId = "glust_scope_id('bench', '1.0', '{}', 0, '')";
      s.execute(
          "INSERT INTO resources SELECT DISTINCT glust_resource_id("
              + resource
              + ", 0, ''), 0, '', "
              + resource
              + " FROM generate_series(0, 9) i ON CONFLICT DO NOTHING");
      s.execute(
          "INSERT INTO scopes VALUES ("
              + scopeId
              + ", 0, 'bench', '1.0', '', '{}') ON CONFLICT DO NOTHING");
      String series =
          "INSERT INTO metric_series (series_id, metric_name, metric_kind, unit, description,"
              + " temporality, monotonic, service_name, resource_id, scope_id, attributes,"
              + " first_seen, last_seen) SELECT ";
      String references =
          " 'service-' || (i % 10), glust_resource_id("
              + resource
              + ", 0, ''), "
              + scopeId
              + ", jsonb_build_object('pod', 'pod-' || i, 'method',"
              + " CASE WHEN i % 2 = 0 THEN 'GET' ELSE 'POST' END), ";
      s.execute(
          series
              + "decode(md5('c' || i), 'hex'), 'bench.requests', 2, '{request}', 'requests', 2,"
              + " true,"
              + references
              + seen
              + " FROM generate_series(1, "
              + counters
              + ") i");
      s.execute(
          series
              + "decode(md5('h' || i), 'hex'), 'bench.duration', 3, 'ms', 'durations', 2, false,"
              + references
              + seen
              + " FROM generate_series(1, "
              + histograms
              + ") i");
      String time = from + " + k * " + EVERY;
      String timestamp =
          "'epoch'::timestamptz + ((" + time + ") / 1000) * interval '1 microsecond'";
      s.execute(
          "INSERT INTO metric_points_number (series_id, timestamp, time_unix_nano,"
              + " start_time_unix_nano, value_int, flags, exemplars)"
              + " SELECT decode(md5('c' || i), 'hex'), "
              + timestamp
              + ", "
              + time
              + ", "
              + (from - HOUR)
              + ", k * (1 + i % 5), 0, CASE WHEN k % 40 = 0 THEN jsonb_build_array("
              + "jsonb_build_object('timeUnixNano', "
              + time
              + ", 'value', 1, 'traceId', md5('t' || k), 'spanId', left(md5('s' || k), 16)))"
              + " ELSE '[]'::jsonb END FROM generate_series(1, "
              + counters
              + ") i, generate_series(0, "
              + (now - from) / EVERY
              + ") k");
      s.execute(
          "INSERT INTO metric_points_histogram (series_id, timestamp, time_unix_nano,"
              + " start_time_unix_nano, count, sum, bucket_counts, explicit_bounds, flags,"
              + " exemplars) SELECT decode(md5('h' || i), 'hex'), "
              + timestamp
              + ", "
              + time
              + ", "
              + (from - HOUR)
              + ", k * 210, k * 2100.0, ARRAY(SELECT (k * (j + 1))::bigint FROM"
              + " generate_series(0, 19) j) || ARRAY[0::bigint], ARRAY(SELECT (5 * (j + 1))::float8"
              + " FROM generate_series(0, 19) j), 0, '[]'::jsonb FROM generate_series(1, "
              + histograms
              + ") i, generate_series(0, "
              + (now - from) / EVERY
              + ") k");
      s.execute("VACUUM ANALYZE metric_series");
      s.execute("VACUUM ANALYZE metric_points_number");
      s.execute("VACUUM ANALYZE metric_points_histogram");
    }
  }

  private static void createDay(Statement s, String table, long day) throws SQLException {
    try {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + "_p"
              + DAY.format(Instant.ofEpochSecond(0, day))
              + "_0000 PARTITION OF "
              + table
              + " FOR VALUES FROM ('"
              + Instant.ofEpochSecond(0, day)
              + "') TO ('"
              + Instant.ofEpochSecond(0, day + 24 * HOUR)
              + "')");
    } catch (SQLException overlapping) {
      if (!"42P17".equals(overlapping.getSQLState())) { // another partition covers the day
        throw overlapping;
      }
    }
  }
}
