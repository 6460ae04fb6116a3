package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.tenant.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration V7 on a populated database of schema version 6: every row stored goes to the default
 * tenant, the service reads all of them as that tenant, and the tables are not rewritten (the
 * tenant column comes from the catalog, not from each row).
 */
class TenantMigrationTest {
  private static final int ROWS = 20_000;
  private static final List<String> TABLES =
      List.of("spans", "logs", "resources", "scopes", "metric_series", "metric_points_number");

  @Test
  void rowsStoredBeforeBelongToTheDefaultTenantWithoutRewritingTheTables() throws SQLException {
    TestPostgres.Database db = TestPostgres.server().createDatabase();
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations(PostgresStorage.MIGRATIONS)
        .target("6")
        .load()
        .migrate();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String day = today.toString().replace("-", "");
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      for (String table : List.of("spans", "logs", "metric_points_number")) {
        s.execute(
            String.format(
                "CREATE TABLE %s_p%s_0000 PARTITION OF %s FOR VALUES FROM ('%sT00:00:00Z')"
                    + " TO ('%sT00:00:00Z')",
                table, day, table, today, today.plusDays(1)));
      }
    }
    db.seedLogs(ROWS); // and the empty resource and scope they reference
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO spans (start_time, duration_nanos, flags, dropped_attributes_count,"
              + " dropped_events_count, dropped_links_count, start_time_nanos, span_kind,"
              + " status_code, trace_id, span_id, resource_id, scope_id, service_name, span_name,"
              + " trace_state, status_message, attributes, events, links)"
              + " SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
              + " + i * interval '1 millisecond', 1000, 0, 0, 0, 0, 0, 1, 0,"
              + " int8send(i) || int8send(i), int8send(i), "
              + TestPostgres.EMPTY_RESOURCE_ID
              + ", "
              + TestPostgres.EMPTY_SCOPE_ID
              + ", 'seed', 'op', '', '', '{}', '[]', '[]' FROM generate_series(1, "
              + ROWS
              + ") i");
      s.execute(
          "INSERT INTO metric_series (series_id, metric_name, metric_kind, unit, description,"
              + " temporality, monotonic, service_name, attributes, first_seen, last_seen,"
              + " resource_id, scope_id) VALUES ('\\x01', 'm', 1, '', '', 0, false, 'seed', '{}',"
              + " now(), now(), "
              + TestPostgres.EMPTY_RESOURCE_ID
              + ", "
              + TestPostgres.EMPTY_SCOPE_ID
              + ")");
      s.execute(
          "INSERT INTO metric_points_number (series_id, timestamp, time_unix_nano,"
              + " start_time_unix_nano, value_int, flags, exemplars) SELECT '\\x01',"
              + " date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
              + " + i * interval '1 second', i, 0, i, 0, '[]' FROM generate_series(1, 100) i");
    }
    Map<String, Long> before = new HashMap<>();
    Map<String, Long> fileBefore = new HashMap<>();
    for (String table : TABLES) {
      before.put(table, db.queryLong("SELECT count(*) FROM " + table));
      fileBefore.put(
          table, db.queryLong("SELECT pg_relation_filenode('" + heap(table, day) + "')"));
    }

    try (PostgresStorage storage = PostgresStorage.open(db.settings())) {
      for (String table : TABLES) {
        assertThat(db.queryLong("SELECT count(*) FROM " + table + " WHERE tenant_id = 1"))
            .as(table)
            .isEqualTo(before.get(table))
            .isPositive();
        assertThat(db.queryLong("SELECT pg_relation_filenode('" + heap(table, day) + "')"))
            .as("not rewritten: " + table)
            .isEqualTo(fileBefore.get(table));
      }
      try (Connection c = db.connectAsService();
          Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        TenantScope.DEFAULT.enter(c);
        for (String table : TABLES) {
          try (var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            assertThat(rs.getLong(1)).as("the service sees " + table).isEqualTo(before.get(table));
          }
        }
      }
      assertThat(storage.traceLoader().loadTrace(TenantId.DEFAULT, new TraceId(7, 7)).spans())
          .hasSize(1);
      long dayStart = today.atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
      assertThat(
              storage
                  .logSearch()
                  .searchLogs(
                      TenantId.DEFAULT,
                      new LogSearch(
                          Optional.of("seed"),
                          0,
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty(),
                          Map.of(),
                          new TimeRange(dayStart, dayStart + 86_400_000_000_000L),
                          PageRequest.first(10)))
                  .items())
          .hasSize(10);
    }
  }

  /** The table's heap: the day's partition of a partitioned one. */
  private static String heap(String table, String day) {
    return List.of("spans", "logs", "metric_points_number").contains(table)
        ? table + "_p" + day + "_0000"
        : table;
  }
}
