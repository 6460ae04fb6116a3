package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.MetricRows;
import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.domain.metric.MetricKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration V13 on series written before it, whose {@code [first_seen, last_seen]} spans only their
 * arrival: a series with a point three days older than its arrival is widened to it (and so found
 * by a range around that point); a series without points keeps its span.
 */
class SeriesSpanMigrationTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void seriesRowsAreWidenedToTheirPointsOnce() throws SQLException {
    TestPostgres.Database db = TestPostgres.server().createDatabase();
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations(PostgresStorage.MIGRATIONS)
        .target("11")
        .load()
        .migrate();
    long arrival = System.currentTimeMillis() / 1000 * SECOND;
    long threeDaysBefore = arrival - 3 * 86_400 * SECOND;
    try (MetricRows rows = new MetricRows(db)) {
      String backfilled =
          rows.series("backfilled", MetricKind.GAUGE).seen(arrival, arrival).insert();
      rows.number(backfilled, threeDaysBefore, 0, 1.0, "[]");
      rows.series("no.points", MetricKind.GAUGE).seen(arrival, arrival).insert();
    }

    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations(PostgresStorage.MIGRATIONS)
        .load()
        .migrate();

    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT metric_name, (extract(epoch FROM first_seen) * 1e6)::bigint,"
                    + " (extract(epoch FROM last_seen) * 1e6)::bigint"
                    + " FROM metric_series ORDER BY metric_name")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("backfilled");
      assertThat(rs.getLong(2)).isEqualTo(threeDaysBefore / 1000);
      assertThat(rs.getLong(3)).isEqualTo(arrival / 1000);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("no.points");
      assertThat(rs.getLong(2)).isEqualTo(arrival / 1000);
      assertThat(rs.getLong(3)).isEqualTo(arrival / 1000);
      assertThat(rs.next()).isFalse();
    }
    // row-level security is forced again on the tables V13 lifted it from for its update
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT relforcerowsecurity FROM pg_class WHERE relname IN ('metric_series',"
                    + " 'metric_points_number', 'metric_points_histogram',"
                    + " 'metric_points_exp_histogram', 'metric_points_summary')")) {
      int tables = 0;
      while (rs.next()) {
        assertThat(rs.getBoolean(1)).isTrue();
        tables++;
      }
      assertThat(tables).isEqualTo(5);
    }
  }
}
