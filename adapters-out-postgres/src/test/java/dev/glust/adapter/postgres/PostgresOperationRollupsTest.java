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
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL adapter does beyond the rollup contract: one row per session (slot) and
 * operation and minute, merged by the upsert; the slots added up by readers; the bucket arithmetic
 * in SQL; and GLUST_SPAN_ROLLUPS=off.
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
  void batchesOfOneSessionAddUpInOneRow() throws SQLException {
    try (PostgresStorage storage = openWithOneWriter(SpanRollups.ON)) {
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(1, T0, 2 * MS), span(2, T0, 0)));
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(3, T0 + 5, 400 * MS)));
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(4, T0 + 7, MS / 2)));

      assertThat(db.queryLong("SELECT count(*) FROM operation_rollups")).isEqualTo(1);
      List<OperationRollup> rollups = load(storage);
      assertThat(rollups).hasSize(1);
      OperationRollup rollup = rollups.get(0);
      assertThat(rollup.calls()).isEqualTo(4);
      assertThat(rollup.errors()).isEqualTo(4); // the sample span's status is ERROR
      assertThat(rollup.durations()).isEqualTo(SpanDurations.ofNanos(2 * MS, 0, 400 * MS, MS / 2));
    }
  }

  @Test
  void readersAddTheSlotsUp() throws SQLException {
    try (PostgresStorage storage = openWithOneWriter(SpanRollups.ON)) {
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(1, T0, 2 * MS)));
      try (Connection owner = db.connect();
          Statement statement = owner.createStatement()) {
        // another session's row of the same minute and operation: 0 and 1 ms
        statement.execute(
            "INSERT INTO operation_rollups (minute, slot, service, operation, span_kind,"
                + " status_code, calls, errors, zero_count, sum_millis, bucket_offset,"
                + " bucket_counts) SELECT minute, slot + 1, service, operation, span_kind,"
                + " status_code, 2, 2, 1, 1.0, -1, '{1}' FROM operation_rollups");
      }

      List<OperationRollup> rollups = load(storage);

      assertThat(rollups).hasSize(1);
      assertThat(rollups.get(0).calls()).isEqualTo(3);
      assertThat(rollups.get(0).errors()).isEqualTo(3);
      assertThat(rollups.get(0).durations()).isEqualTo(SpanDurations.ofNanos(2 * MS, 0, MS));
    }
  }

  @Test
  void maintenanceFoldsTheSlotsOfPastMinutesIntoOneRow() throws SQLException {
    try (PostgresStorage storage = openWithOneWriter(SpanRollups.ON)) {
      long now = Instant.now().getEpochSecond() * 1_000_000_000L;
      storage
          .spans()
          .saveSpans(TenantId.DEFAULT, List.of(span(1, T0, 2 * MS), span(2, now, 3 * MS)));
      try (Connection owner = db.connect();
          Statement statement = owner.createStatement()) {
        // two more sessions' rows of the past minute: 0 and 1 ms, then 8 ms
        statement.execute(
            "INSERT INTO operation_rollups (minute, slot, service, operation, span_kind,"
                + " status_code, calls, errors, zero_count, sum_millis, bucket_offset,"
                + " bucket_counts) SELECT minute, slot + s, service, operation, span_kind,"
                + " status_code, 2 - s + 1, 2 - s + 1, 2 - s, 1.0 + 7 * (s - 1), -1 + 96 * (s - 1),"
                + " '{1}' FROM operation_rollups, generate_series(1, 2) s WHERE minute < now() - interval '1 day'");
      }
      List<OperationRollup> before = load(storage);

      storage.maintainPartitions();

      assertThat(db.queryLong("SELECT count(*) FROM operation_rollups WHERE slot = 0"))
          .as("the past minute's three slots in one row")
          .isEqualTo(1);
      assertThat(db.queryLong("SELECT count(*) FROM operation_rollups WHERE slot <> 0"))
          .as("the minute of now, still written to")
          .isEqualTo(1);
      assertThat(load(storage)).isEqualTo(before);
      assertThat(before.get(0).durations()).isEqualTo(SpanDurations.ofNanos(2 * MS, 0, MS, 8 * MS));

      // a late span of that minute counts in its session's row again, folded in the next time
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(3, T0 + 1, 16 * MS)));
      storage.maintainPartitions();

      assertThat(db.queryLong("SELECT count(*) FROM operation_rollups WHERE slot = 0"))
          .isEqualTo(1);
      assertThat(load(storage))
          .singleElement()
          .satisfies(
              r ->
                  assertThat(r.durations())
                      .isEqualTo(SpanDurations.ofNanos(2 * MS, 0, MS, 8 * MS, 16 * MS)));
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
      assertThat(db.queryLong("SELECT count(*) FROM operation_rollups")).isZero();
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
