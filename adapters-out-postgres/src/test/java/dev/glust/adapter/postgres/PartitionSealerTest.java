package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Hot partitions carry no GIN index; sealed ones get theirs built concurrently. */
class PartitionSealerTest {
  private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
  private static final PartitionSettings DAILY =
      new PartitionSettings(
          Duration.ofDays(1), 2, Duration.ZERO, Duration.ZERO, Duration.ofHours(1));

  /** Seals nothing within a year: what a search finds before sealing. */
  private static final PartitionSettings DAILY_UNSEALED =
      new PartitionSettings(
          Duration.ofDays(1),
          2,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ofHours(1),
          16,
          Duration.ofHours(1),
          Duration.ofDays(365));

  private static final String SEALED_SPANS = "spans_p20260613_0000";
  private static final String SEALED_LOGS = "logs_p20260613_0000";
  private static final String HOT_SPANS = "spans_p20260615_0000";
  private static final String HOT_LOGS = "logs_p20260615_0000";

  private TestPostgres.Database db;
  private final List<PostgresStorage> opened = new ArrayList<>();

  @BeforeEach
  void createDatabase() {
    db = TestPostgres.server().createDatabase();
  }

  @AfterEach
  void close() {
    opened.forEach(PostgresStorage::close);
  }

  @Test
  void aPastPartitionIsSealedTheCurrentOneIsNot() throws SQLException {
    PostgresStorage storage = open(NOW);
    writeSpanAndLogAt(storage, NOW.minus(2, ChronoUnit.DAYS));
    writeSpanAndLogAt(storage, NOW);

    storage.sealPartitions();

    assertThat(validGinIndexes(SEALED_SPANS)).containsExactly(SEALED_SPANS + "_attributes_gin");
    assertThat(validGinIndexes(SEALED_LOGS))
        .containsExactlyInAnyOrder(SEALED_LOGS + "_attributes_gin", SEALED_LOGS + "_body_trgm");
    assertThat(ginIndexes(HOT_SPANS)).isEmpty();
    assertThat(ginIndexes(HOT_LOGS)).isEmpty();
  }

  @Test
  void aPartitionWithinTheGracePeriodIsNotSealedYet() throws SQLException {
    Instant justAfterMidnight = Instant.parse("2026-06-15T00:30:00Z");
    PostgresStorage storage = open(justAfterMidnight);
    writeSpanAndLogAt(storage, justAfterMidnight.minus(1, ChronoUnit.HOURS)); // June 14

    assertThat(storage.sealPartitions()).isZero();

    assertThat(ginIndexes("logs_p20260614_0000")).isEmpty();
    assertThat(ginIndexes("spans_p20260614_0000")).isEmpty();
  }

  @Test
  void writingToAHotPartitionMaintainsNoGinIndex() throws SQLException {
    PostgresStorage storage = open(NOW);

    writeSpanAndLogAt(storage, NOW);

    assertThat(db.queryLong("SELECT count(*) FROM " + HOT_LOGS)).isEqualTo(1);
    for (String table : List.of("spans", "logs", HOT_SPANS, HOT_LOGS)) {
      assertThat(ginIndexes(table)).as(table).isEmpty();
    }
  }

  @Test
  void anInvalidLeftoverIndexIsDroppedAndBuiltAgain() throws SQLException {
    PostgresStorage storage = open(NOW);
    writeSpanAndLogAt(storage, NOW.minus(2, ChronoUnit.DAYS));
    storage.sealPartitions();
    String index = SEALED_LOGS + "_body_trgm";
    long before = db.queryLong("SELECT '" + index + "'::regclass::oid");
    // what an interrupted CREATE INDEX CONCURRENTLY leaves behind
    execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = '" + index + "'::regclass");

    assertThat(storage.sealPartitions()).isEqualTo(1);

    assertThat(validGinIndexes(SEALED_LOGS)).contains(index);
    assertThat(db.queryLong("SELECT '" + index + "'::regclass::oid")).isNotEqualTo(before);
  }

  @Test
  void sealingAgainChangesNothing() throws SQLException {
    PostgresStorage storage = open(NOW);
    writeSpanAndLogAt(storage, NOW.minus(2, ChronoUnit.DAYS));
    storage.sealPartitions();
    long indexes = db.queryLong("SELECT count(*) FROM pg_indexes");

    assertThat(storage.sealPartitions()).isZero();
    assertThat(open(NOW).sealPartitions()).isZero(); // another instance finds nothing to do

    assertThat(db.queryLong("SELECT count(*) FROM pg_indexes")).isEqualTo(indexes);
    assertThat(storage.figures().partitionsAwaitingSeal()).isZero();
  }

  @Test
  void waitingForAnotherInstancesSealingDoesNotHoldUpItsIndexBuilds() throws Exception {
    try (Connection other = db.connect();
        Statement s = other.createStatement()) {
      // another instance is sealing from before this one starts, so this one's start-up run skips
      s.execute("SELECT pg_advisory_lock(" + PartitionSealer.LOCK_KEY + ")");
      PostgresStorage storage = open(NOW);
      writeSpanAndLogAt(storage, NOW.minus(2, ChronoUnit.DAYS));
      CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(storage::sealPartitions);
      Thread.sleep(500); // the call above now waits for the lock

      // the other instance's build goes through (it waits for every older snapshot to end)
      s.execute(
          "CREATE INDEX CONCURRENTLY "
              + SEALED_SPANS
              + "_attributes_gin ON "
              + SEALED_SPANS
              + " USING gin (attributes jsonb_path_ops)");
      s.execute("SELECT pg_advisory_unlock(" + PartitionSealer.LOCK_KEY + ")");

      assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(1); // the logs partition was left
    }
    assertThat(validGinIndexes(SEALED_LOGS)).hasSize(2);
  }

  @Test
  void searchesAnswerTheSameBeforeAndAfterSealingAndUseEachPartitionsIndexes() throws SQLException {
    PostgresStorage unsealed = open(NOW, DAILY_UNSEALED);
    writeSpanAndLogAt(unsealed, Instant.parse("2026-06-13T12:00:00Z")); // makes the partitions
    seedRecordsFrom(Instant.parse("2026-06-13T00:00:00Z"));
    seedRecordsFrom(Instant.parse("2026-06-15T00:00:00Z"));
    TimeRange bothDays = new TimeRange(nanos(Instant.parse("2026-06-13T00:00:00Z")), nanos(NOW));
    LogSearch byAttribute = logSearch(Optional.empty(), Map.of("k", "rare"), bothDays);
    LogSearch byText = logSearch(Optional.of("NEEDLE"), Map.of(), bothDays);
    assertThat(ginIndexes(SEALED_LOGS)).isEmpty();
    List<LogRecord> byAttributeBefore =
        unsealed.logSearch().searchLogs(TenantId.DEFAULT, byAttribute).items();
    List<LogRecord> byTextBefore =
        unsealed.logSearch().searchLogs(TenantId.DEFAULT, byText).items();

    PostgresStorage storage = open(NOW);
    storage.sealPartitions();
    execute("ANALYZE spans; ANALYZE logs");

    assertThat(byAttributeBefore).hasSize(12);
    assertThat(byTextBefore).hasSize(12);
    assertThat(storage.logSearch().searchLogs(TenantId.DEFAULT, byAttribute).items())
        .isEqualTo(byAttributeBefore);
    assertThat(storage.logSearch().searchLogs(TenantId.DEFAULT, byText).items())
        .isEqualTo(byTextBefore);

    // As a role the tenant policies do not restrict (the superuser owner here), and as the service
    // role: the superuser owner marked @> and ILIKE's functions LEAKPROOF at start, so they may be
    // index conditions under the tenant policy (LeakproofSearch, docs/storage.md "Tenants").
    String sealedDay = "'2026-06-13T00:00:00Z' AND '2026-06-14T00:00:00Z'";
    assertThat(planAsOwner("spans", "start_time", sealedDay, "attributes @> '{\"k\": \"rare\"}'"))
        .contains("Bitmap Index Scan on " + SEALED_SPANS + "_attributes_gin");
    assertThat(planAsOwner("logs", "timestamp", sealedDay, "log_attributes @> '{\"k\": \"rare\"}'"))
        .contains("Bitmap Index Scan on " + SEALED_LOGS + "_attributes_gin");
    assertThat(planAsOwner("logs", "timestamp", sealedDay, "(body #>> '{}') ILIKE '%needle%'"))
        .contains("Bitmap Index Scan on " + SEALED_LOGS + "_body_trgm");
    assertThat(plan("logs", "timestamp", sealedDay, "(body #>> '{}') ILIKE '%needle%'"))
        .as("as the service role")
        .contains("Bitmap Index Scan on " + SEALED_LOGS + "_body_trgm");
    assertThat(plan("spans", "start_time", sealedDay, "attributes @> '{\"k\": \"rare\"}'"))
        .as("as the service role")
        .contains("Bitmap Index Scan on " + SEALED_SPANS + "_attributes_gin");

    // the searches' own filter (as the owner): no resource has k=rare, so no resource test hides
    // the GIN index
    assertThat(planOfSealedDayLogs(Map.of("k", "rare")))
        .contains("Bitmap Index Scan on " + SEALED_LOGS + "_attributes_gin");
    assertThat(planOfSealedDayLogs(Map.of("service.name", "checkout")))
        .as("a resource matches: its test is kept")
        .contains("resources");

    String hotMinute = "'2026-06-15T00:10:00Z' AND '2026-06-15T00:11:00Z'";
    assertThat(plan("spans", "start_time", hotMinute, "attributes @> '{\"k\": \"rare\"}'"))
        .contains(HOT_SPANS + "_tenant_id_start_time_idx")
        .doesNotContainIgnoringCase("gin");
    assertThat(plan("logs", "timestamp", hotMinute, "(body #>> '{}') ILIKE '%needle%'"))
        .contains(HOT_LOGS + "_tenant_id_timestamp_log_id_idx")
        .doesNotContainIgnoringCase("trgm");
  }

  /** Schema V6: records reference their resource; the hot read paths stay index scans. */
  @Test
  void traceByIdServiceAndTimeAndResourceFiltersStayIndexScans() throws SQLException {
    PostgresStorage storage = open(NOW, DAILY_UNSEALED);
    writeSpanAndLogAt(storage, Instant.parse("2026-06-15T12:00:00Z")); // makes the partitions
    seedRecordsFrom(Instant.parse("2026-06-15T00:00:00Z"));
    execute("ANALYZE spans; ANALYZE logs; ANALYZE resources");
    String hotMinute = "'2026-06-15T00:10:00Z' AND '2026-06-15T00:11:00Z'";

    assertThat(explain("SELECT * FROM spans WHERE trace_id = int8send(7) || int8send(7)"))
        .contains(HOT_SPANS + "_tenant_id_trace_id_span_id_start_time_idx")
        .doesNotContain("Seq Scan on " + HOT_SPANS);
    assertThat(plan("spans", "start_time", hotMinute, "service_name = 'svc'"))
        .contains("Index")
        .doesNotContain("Seq Scan on " + HOT_SPANS);
    assertThat(plan("logs", "timestamp", hotMinute, "service_name = 'svc'"))
        .contains("Index")
        .doesNotContain("Seq Scan on " + HOT_LOGS);
    // newest first: in the order of the time indexes, no sort
    assertThat(
            explain(
                "SELECT * FROM logs WHERE timestamp BETWEEN "
                    + hotMinute
                    + " ORDER BY timestamp DESC, log_id DESC LIMIT 10"))
        .contains("Index Scan using " + HOT_LOGS + "_tenant_id_timestamp_log_id_idx")
        .doesNotContain("Sort");
    assertThat(
            explain(
                "SELECT * FROM logs WHERE service_name = 'svc' AND timestamp BETWEEN "
                    + hotMinute
                    + " ORDER BY timestamp DESC LIMIT 10"))
        .contains("Index Scan using " + HOT_LOGS)
        .doesNotContain("Sort")
        .doesNotContain("Seq Scan on " + HOT_LOGS);
    String resourceFilter =
        SqlFilter.RESOURCE_ATTRIBUTES_CONTAIN.replace("?::jsonb", "'{\"service.name\": \"x\"}'");
    assertThat(plan("spans", "start_time", hotMinute, resourceFilter))
        .doesNotContain("Seq Scan on " + HOT_SPANS);
    assertThat(plan("logs", "timestamp", hotMinute, resourceFilter))
        .doesNotContain("Seq Scan on " + HOT_LOGS);
  }

  @Test
  void migrationV5KeepsEveryRowAndTheSealerRestoresTheIndexesOnOldPartitions() throws SQLException {
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations(PostgresStorage.MIGRATIONS)
        .target("4")
        .load()
        .migrate();
    for (String table : List.of("spans", "logs")) {
      for (String day : List.of("2026-06-13", "2026-06-15")) {
        execute(
            String.format(
                "CREATE TABLE %s_p%s_0000 PARTITION OF %s FOR VALUES FROM ('%sT00:00:00Z')"
                    + " TO ('%sT00:00:00Z'::timestamptz + interval '1 day')",
                table, day.replace("-", ""), table, day, day));
      }
    }
    seedRecordsFrom(Instant.parse("2026-06-13T00:00:00Z"), true);
    seedRecordsFrom(Instant.parse("2026-06-15T00:00:00Z"), true);
    assertThat(ginIndexes(SEALED_LOGS)).hasSize(2); // cloned from the parent at V4
    assertThat(ginIndexes(HOT_SPANS)).hasSize(1);

    PostgresStorage storage = open(NOW);
    storage.sealPartitions();

    assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(2 * SEEDED);
    assertThat(db.queryLong("SELECT count(*) FROM logs")).isEqualTo(2 * SEEDED);
    assertThat(ginIndexes("spans")).isEmpty();
    assertThat(ginIndexes("logs")).isEmpty();
    assertThat(validGinIndexes(SEALED_SPANS)).containsExactly(SEALED_SPANS + "_attributes_gin");
    assertThat(validGinIndexes(SEALED_LOGS))
        .containsExactlyInAnyOrder(SEALED_LOGS + "_attributes_gin", SEALED_LOGS + "_body_trgm");
    assertThat(ginIndexes(HOT_SPANS)).isEmpty();
    assertThat(ginIndexes(HOT_LOGS)).isEmpty();
  }

  private static final int SEEDED = 3000;

  /**
   * {@link #SEEDED} spans and log records one second apart from {@code start}; every 500th has the
   * attribute {@code k=rare} and "needle" in its body, the others {@code k=common}.
   */
  private void seedRecordsFrom(Instant start) throws SQLException {
    seedRecordsFrom(start, false);
  }

  /**
   * @param v4Layout whether the tables are still as schema version 4 (and 5) had them: every row
   *     with its resource and scope, times in TIMESTAMPTZ and unix nanoseconds
   */
  private void seedRecordsFrom(Instant start, boolean v4Layout) throws SQLException {
    String times =
        " FROM generate_series(1, "
            + SEEDED
            + ") i, LATERAL (SELECT '"
            + start
            + "'::timestamptz + i * interval '1 second' AS t,"
            + " CASE WHEN i % 500 = 0 THEN 'rare' ELSE 'common' END AS k) seeded";
    if (v4Layout) {
      execute(
          "INSERT INTO spans SELECT int8send(i) || int8send(i), int8send(i), NULL, '', 0, 'svc',"
              + " 'op', 1, t, t, 0, 0, 0, '', jsonb_build_object('i', i, 'k', k), 0, '[]', 0,"
              + " '[]', 0, '{}', 0, '', '', '', '{}', 0, ''"
              + times);
      execute(
          "INSERT INTO logs (timestamp, observed_timestamp, time_unix_nano,"
              + " observed_time_unix_nano, flags, service_name, severity_text, severity_number,"
              + " body, event_name, resource_attributes, resource_dropped_attributes_count,"
              + " resource_schema_url, scope_name, scope_version, scope_attributes,"
              + " scope_dropped_attributes_count, scope_schema_url, log_attributes,"
              + " dropped_attributes_count, log_key)"
              + " SELECT t, t, (extract(epoch FROM t) * 1000000)::bigint * 1000, 0, 0, 'svc',"
              + " 'INFO', 9, to_jsonb('line ' || i || CASE WHEN k = 'rare' THEN ' needle' ELSE ''"
              + " END), '', '{}', 0, '', '', '', '{}', 0, '', jsonb_build_object('i', i, 'k', k),"
              + " 0, decode(md5(t::text), 'hex')"
              + times);
    } else {
      TestPostgres.insertEmptyResourceAndScope(db);
      execute(
          "INSERT INTO spans (start_time, duration_nanos, flags, dropped_attributes_count,"
              + " dropped_events_count, dropped_links_count, start_time_nanos, span_kind,"
              + " status_code, trace_id, span_id, parent_span_id, resource_id, scope_id,"
              + " service_name, span_name, trace_state, status_message, attributes, events, links)"
              + " SELECT t, 0, 0, 0, 0, 0, 0, 1, 0, int8send(i) || int8send(i), int8send(i), NULL, "
              + TestPostgres.EMPTY_RESOURCE_ID
              + ", "
              + TestPostgres.EMPTY_SCOPE_ID
              + ", 'svc', 'op', '', '', jsonb_build_object('i', i, 'k', k), '[]', '[]'"
              + times);
      execute(
          "INSERT INTO logs (timestamp, observed_offset_nanos, flags, severity_number,"
              + " dropped_attributes_count, timestamp_nanos, own_time, log_key, resource_id,"
              + " scope_id, service_name, severity_text, event_name, body, log_attributes)"
              + " SELECT t, 0, 0, 9, 0, 0, true, decode(md5(t::text), 'hex'), "
              + TestPostgres.EMPTY_RESOURCE_ID
              + ", "
              + TestPostgres.EMPTY_SCOPE_ID
              + ", 'svc', 'INFO', '', to_jsonb('line ' || i || CASE WHEN k = 'rare'"
              + " THEN ' needle' ELSE '' END), jsonb_build_object('i', i, 'k', k)"
              + times);
    }
    execute("ANALYZE spans; ANALYZE logs");
  }

  /** The plan of a query as the service role runs it, in the default tenant's transaction. */
  private String plan(String table, String timeColumn, String between, String condition)
      throws SQLException {
    return explain(query(table, timeColumn, between, condition));
  }

  private String planAsOwner(String table, String timeColumn, String between, String condition)
      throws SQLException {
    try (Connection c = db.connect()) {
      return explain(c, query(table, timeColumn, between, condition));
    }
  }

  private static String query(String table, String timeColumn, String between, String condition) {
    return "SELECT * FROM "
        + table
        + " WHERE "
        + timeColumn
        + " BETWEEN "
        + between
        + " AND "
        + condition;
  }

  /** The plan of the log search's own attribute filter over the sealed day. */
  private String planOfSealedDayLogs(Map<String, String> attributes) throws SQLException {
    SqlFilter filter =
        new SqlFilter()
            .where(
                "timestamp BETWEEN ? AND ?", at("2026-06-13T00:00:00Z"), at("2026-06-14T00:00:00Z"))
            .attributes(
                attributes,
                "log_attributes",
                SqlFilter.resourcesIn(new SqlReads(dataSource()), TenantScope.DEFAULT));
    StringBuilder plan = new StringBuilder();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement("EXPLAIN SELECT * FROM logs WHERE " + filter.sql())) {
      filter.bind(s);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    return plan.toString();
  }

  private static OffsetDateTime at(String instant) {
    return SqlFilter.timestamp(nanos(Instant.parse(instant)));
  }

  private DataSource dataSource() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(db.jdbcUrl());
    source.setUser(db.user());
    source.setPassword(db.password());
    return source;
  }

  /** The plan of {@code query} as the service role runs it, in the default tenant's transaction. */
  private String explain(String query) throws SQLException {
    try (Connection c = db.connectAsService()) {
      c.setAutoCommit(false);
      TenantScope.DEFAULT.enter(c);
      return explain(c, query);
    }
  }

  private static String explain(Connection c, String query) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("EXPLAIN " + query)) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }

  private static LogSearch logSearch(
      Optional<String> text, Map<String, String> attributes, TimeRange range) {
    return new LogSearch(
        Optional.empty(),
        0,
        text,
        Optional.empty(),
        Optional.empty(),
        attributes,
        range,
        PageRequest.first(1000));
  }

  private PostgresStorage open(Instant now) {
    return open(now, DAILY);
  }

  private PostgresStorage open(Instant now, PartitionSettings settings) {
    PostgresStorage storage =
        PostgresStorage.open(db.settings(), settings, Clock.fixed(now, ZoneOffset.UTC));
    opened.add(storage);
    return storage;
  }

  private static void writeSpanAndLogAt(PostgresStorage storage, Instant time) {
    long nanos = nanos(time);
    Span span =
        SampleTelemetry.withTimes(
            SampleTelemetry.span(SampleTelemetry.TRACE_ID, new SpanId(nanos), null, "op"),
            nanos,
            nanos + 1000);
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(span));
    storage
        .logs()
        .saveLogs(
            TenantId.DEFAULT,
            List.of(
                SampleTelemetry.withTimes(SampleTelemetry.log(AnyValue.of("x")), nanos, nanos)));
  }

  private static long nanos(Instant time) {
    return ChronoUnit.NANOS.between(Instant.EPOCH, time);
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<String> ginIndexes(String table) throws SQLException {
    return indexes(
        "SELECT indexname FROM pg_indexes WHERE tablename = ? AND indexdef LIKE '%USING gin%'",
        table);
  }

  private List<String> validGinIndexes(String table) throws SQLException {
    return indexes(
        "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            + " JOIN pg_am a ON a.oid = i.relam"
            + " WHERE x.indrelid = ?::regclass AND a.amname = 'gin' AND x.indisvalid",
        table);
  }

  private List<String> indexes(String sql, String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }
}
