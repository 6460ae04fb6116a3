package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.model.OperationRollupSearch;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.SpanDurations;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL adapter does beyond the rollup contract: a row appended per batch, folded
 * into one stored row per operation and minute; readers adding up both; the bucket arithmetic in
 * SQL; the migration from V10's rows per session; and GLUST_SPAN_ROLLUPS=off.
 */
class PostgresOperationRollupsTest {
  private static final long MINUTE = OperationRollup.MINUTE_NANOS;
  private static final long MS = 1_000_000L;
  private static final long T0 = 28_333_333L * MINUTE;

  private final TestPostgres.Database db = TestPostgres.server().createDatabase();

  private static Span span(int id, long start, long nanos) {
    return SampleTelemetry.withTimes(
        SampleTelemetry.span(SampleTelemetry.TRACE_ID, new SpanId(id), null, "GET /cart"),
        start,
        start + nanos);
  }

  /** One ingest connection: every batch is written by the same session, in the same slot. */
  private PostgresStorage openWithOneWriter(SpanRollups rollups) {
    PostgresSettings s = db.settings();
    return PostgresStorage.open(
        new PostgresSettings(
            s.jdbcUrl(),
            s.user(),
            s.password(),
            1,
            1,
            s.connectTimeout(),
            s.queryTimeout(),
            s.serviceUser(),
            s.servicePassword()),
        PartitionSettings.DEFAULTS,
        rollups,
        Clock.systemUTC());
  }

  private static List<OperationRollup> load(PostgresStorage storage) {
    return storage
        .operationRollups()
        .loadOperationRollups(
            TenantId.DEFAULT,
            new OperationRollupSearch(new TimeRange(T0, T0 + MINUTE), Set.of(), Set.of()));
  }

  @Test
  void batchesAppendOneRowEachWhichAFoldAddsIntoOneStoredRow() throws SQLException {
    try (PostgresStorage storage = openWithOneWriter(SpanRollups.ON)) {
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(1, T0, 2 * MS), span(2, T0, 0)));
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(3, T0 + 5, 400 * MS)));
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(4, T0 + 7, MS / 2)));

      assertThat(db.queryLong("SELECT count(*) FROM operation_rollup_batches")).isEqualTo(3);
      assertThat(db.queryLong("SELECT count(*) FROM operation_rollups")).isZero();
      SpanDurations all = SpanDurations.ofNanos(2 * MS, 0, 400 * MS, MS / 2);
      assertThat(load(storage))
          .as("read from the appended rows")
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.calls()).isEqualTo(4);
                assertThat(r.errors()).isEqualTo(4); // the sample span's status is ERROR
                assertThat(r.durations()).isEqualTo(all);
              });

      assertThat(storage.foldOperationRollups()).isEqualTo(3);

      assertThat(db.queryLong("SELECT count(*) FROM operation_rollup_batches")).isZero();
      assertThat(db.queryLong("SELECT count(*) FROM operation_rollups WHERE slot = 0"))
          .isEqualTo(1);
      assertThat(load(storage))
          .as("read from the stored row")
          .singleElement()
          .satisfies(r -> assertThat(r.durations()).isEqualTo(all));
    }
  }

  @Test
  void readersAddTheStoredRowAndTheRowsAppendedSince() throws SQLException {
    try (PostgresStorage storage = openWithOneWriter(SpanRollups.ON)) {
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(1, T0, 2 * MS)));
      storage.foldOperationRollups();
      // a late span of the same minute, appended after the fold
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(2, T0 + 1, 16 * MS)));

      assertThat(load(storage))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.calls()).isEqualTo(2);
                assertThat(r.durations()).isEqualTo(SpanDurations.ofNanos(2 * MS, 16 * MS));
              });

      storage.foldOperationRollups(); // adds to the stored row

      assertThat(db.queryLong("SELECT count(*) FROM operation_rollups")).isEqualTo(1);
      assertThat(load(storage))
          .singleElement()
          .satisfies(
              r -> assertThat(r.durations()).isEqualTo(SpanDurations.ofNanos(2 * MS, 16 * MS)));
    }
  }

  @Test
  void anAppendedRowHoldsTheNonEmptyBucketsOnly() throws SQLException {
    try (PostgresStorage storage = openWithOneWriter(SpanRollups.ON)) {
      // 1 ms and 1 s: a dense histogram would hold 320 buckets between them
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(1, T0, MS), span(2, T0, 1000 * MS)));

      assertThat(db.queryLong("SELECT cardinality(bucket_indexes) FROM operation_rollup_batches"))
          .isEqualTo(2);
      assertThat(load(storage).get(0).durations()).isEqualTo(SpanDurations.ofNanos(MS, 1000 * MS));
    }
  }

  @Test
  void aFoldWaitsForNoneAndTakesNothingWhileAnotherFolds() throws SQLException {
    try (PostgresStorage storage = openWithOneWriter(SpanRollups.ON);
        Connection other = db.connect();
        Statement statement = other.createStatement()) {
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(1, T0, 2 * MS)));
      other.setAutoCommit(false);
      statement.execute("SELECT pg_advisory_xact_lock(x'67666f6c64'::bigint)"); // "gfold"

      assertThat(storage.foldOperationRollups()).isZero();
      assertThat(db.queryLong("SELECT count(*) FROM operation_rollup_batches")).isEqualTo(1);

      other.rollback();
      assertThat(storage.foldOperationRollups()).isEqualTo(1);
    }
  }

  @Test
  void aFoldKeepsEachTenantsRollupsApart() {
    TenantId acme = new TenantId("acme");
    try (PostgresStorage storage = openWithOneWriter(SpanRollups.ON)) {
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(1, T0, 2 * MS)));
      storage.spans().saveSpans(acme, List.of(span(2, T0, 4 * MS), span(3, T0, 4 * MS)));

      storage.foldOperationRollups();

      assertThat(load(storage)).singleElement().satisfies(r -> assertThat(r.calls()).isEqualTo(1));
      assertThat(
              storage
                  .operationRollups()
                  .loadOperationRollups(
                      acme,
                      new OperationRollupSearch(
                          new TimeRange(T0, T0 + MINUTE), Set.of(), Set.of())))
          .singleElement()
          .satisfies(r -> assertThat(r.calls()).isEqualTo(2));
    }
  }

  @Test
  void migrationFoldsTheRowsOfEachSessionIntoOne() throws SQLException {
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations(PostgresStorage.MIGRATIONS)
        .target("11")
        .load()
        .migrate();
    try (Connection owner = db.connect();
        Statement statement = owner.createStatement()) {
      statement.execute("SELECT set_config('glust.tenant_id', '1', false)");
      // two sessions' rows (slots 7 and 8) of one minute and operation: 1 ms, then 0 and 8 ms
      statement.execute(
          "INSERT INTO operation_rollups (minute, slot, service, operation, span_kind,"
              + " status_code, calls, errors, zero_count, sum_millis, bucket_offset,"
              + " bucket_counts) VALUES (to_timestamp(60), 7, 's', 'op', 2, 0, 1, 0, 0, 1.0,"
              + " -1, '{1}'), (to_timestamp(60), 8, 's', 'op', 2, 0, 2, 1, 1, 8.0, 95, '{1}')");
    }

    try (PostgresStorage storage = openWithOneWriter(SpanRollups.ON)) {
      assertThat(db.queryLong("SELECT count(*) FROM operation_rollups")).isEqualTo(1);
      assertThat(
              storage
                  .operationRollups()
                  .loadOperationRollups(
                      TenantId.DEFAULT,
                      new OperationRollupSearch(
                          new TimeRange(60_000_000_000L, 120_000_000_000L), Set.of(), Set.of())))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.calls()).isEqualTo(3);
                assertThat(r.errors()).isEqualTo(1);
                assertThat(r.durations()).isEqualTo(SpanDurations.ofNanos(MS, 0, 8 * MS));
              });
    }
  }

  @Test
  void bucketsAddUpOverTheRangeOfBoth() throws SQLException {
    assertThat(buckets("glust_buckets_plus(ROW(3, '{1,2}')::glust_buckets, 1, '{5}')"))
        .isEqualTo("(1,\"{5,0,1,2}\")");
    assertThat(buckets("glust_buckets_plus(ROW(1, '{5}')::glust_buckets, 2, '{1,2}')"))
        .isEqualTo("(1,\"{5,1,2}\")");
    assertThat(buckets("glust_buckets_plus(ROW(0, '{}')::glust_buckets, -4, '{7}')"))
        .isEqualTo("(-4,{7})");
    assertThat(buckets("glust_buckets_plus(ROW(-4, '{7}')::glust_buckets, 9, '{}')"))
        .isEqualTo("(-4,{7})");
    assertThat(
            buckets(
                "glust_buckets_sum(o, c) FROM (VALUES (2, '{1}'::bigint[]), (0, '{}'),"
                    + " (4, '{1,1}'), (3, '{2}')) v(o, c)"))
        .isEqualTo("(2,\"{1,2,1,1}\")");
  }

  private String buckets(String expression) throws SQLException {
    openWithOneWriter(SpanRollups.ON).close(); // migrated
    try (Connection owner = db.connect();
        Statement statement = owner.createStatement();
        ResultSet rs = statement.executeQuery("SELECT " + expression)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void spanRollupsOffWritesNone() throws SQLException {
    try (PostgresStorage storage = openWithOneWriter(SpanRollups.OFF)) {
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(1, T0, 2 * MS)));

      assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(1);
      assertThat(db.queryLong("SELECT count(*) FROM operation_rollup_batches")).isZero();
      assertThat(load(storage)).isEmpty();
    }
  }

  @Test
  void theSettingReadsOnAndOff() {
    assertThat(SpanRollups.parse("on")).isEqualTo(SpanRollups.ON);
    assertThat(SpanRollups.parse(" OFF ")).isEqualTo(SpanRollups.OFF);
    assertThat(SpanRollups.parse("true")).isEqualTo(SpanRollups.ON);
    assertThat(SpanRollups.parse("false")).isEqualTo(SpanRollups.OFF);
    assertThatThrownBy(() -> SpanRollups.parse("maybe"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
