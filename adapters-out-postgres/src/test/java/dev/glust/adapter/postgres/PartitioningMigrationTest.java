package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Migration V3 turns a populated database of the unpartitioned schema into partitioned tables. */
class PartitioningMigrationTest {
  private static final String LOG_COLUMNS =
      "timestamp, observed_timestamp, time_unix_nano, observed_time_unix_nano, flags,"
          + " service_name, severity_text, severity_number, body, event_name, resource_attributes,"
          + " resource_dropped_attributes_count, resource_schema_url, scope_name, scope_version,"
          + " scope_attributes, scope_dropped_attributes_count, scope_schema_url, log_attributes,"
          + " dropped_attributes_count";

  @Test
  void keepsEveryRowOnceAndTheLogIdsGoOn() throws SQLException {
    TestPostgres.Database db = TestPostgres.server().createDatabase();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      Flyway.configure()
          .dataSource(db.jdbcUrl(), db.user(), db.password())
          .locations(PostgresStorage.MIGRATIONS)
          .target("2")
          .load()
          .migrate();
      // 10 spans over ~3 days, two of them stored twice (retries before idempotency existed)
      s.execute(
          "INSERT INTO spans SELECT '\\x0102'::bytea, int8send(g), NULL, '', 0, 'svc', 'op' || g,"
              + " 1, now() - g * interval '7 hours', now(), g, g + 1, 0, '', '{\"n\": 1}', 0,"
              + " '[]', 0, '[]', 0, '{}', 0, '', '', '', '{}', 0, ''"
              + " FROM generate_series(1, 10) g");
      s.execute("INSERT INTO spans SELECT * FROM spans ORDER BY span_name LIMIT 2");
      s.execute(
          "INSERT INTO logs ("
              + LOG_COLUMNS
              + ") SELECT now() - g * interval '5 hours', now(), g, 1, 0, 'svc', 'INFO', 9,"
              + " to_jsonb('line ' || g), '', '{}', 0, '', '', '', '{}', 0, '', '{}', 0"
              + " FROM generate_series(1, 10) g");
      s.execute(
          "INSERT INTO logs ("
              + LOG_COLUMNS
              + ") SELECT "
              + LOG_COLUMNS
              + " FROM logs ORDER BY log_id LIMIT 3");
      assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(12);
      assertThat(db.queryLong("SELECT count(*) FROM logs")).isEqualTo(13);

      try (PostgresStorage storage = PostgresStorage.open(db.settings())) {
        assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(10);
        assertThat(db.queryLong("SELECT count(DISTINCT span_name) FROM spans")).isEqualTo(10);
        assertThat(db.queryLong("SELECT count(*) FROM logs")).isEqualTo(10);
        assertThat(db.queryLong("SELECT max(log_id) FROM logs")).isEqualTo(10);
        assertThat(
                db.queryLong(
                    "SELECT count(*) FROM pg_inherits WHERE inhparent = 'spans'::regclass"))
            .isGreaterThanOrEqualTo(3);

        storage
            .logs()
            .saveLogs(TenantId.DEFAULT, List.of(SampleTelemetry.log(AnyValue.of("after"))));
        assertThat(db.queryLong("SELECT log_id FROM logs WHERE body = '\"after\"'")).isEqualTo(11);
      }
    }
  }
}
