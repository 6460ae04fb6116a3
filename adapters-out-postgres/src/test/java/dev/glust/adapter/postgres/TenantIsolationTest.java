package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database keeps tenants apart by itself (migration V7): connected as the service role, a query
 * with no tenant filter at all sees only the rows of the transaction's tenant, even when another
 * tenant holds rows with the very same ids; a row for another tenant cannot be inserted; without a
 * tenant nothing is visible or insertable; partitions cannot be read past the parents' policies;
 * and a partition, which the writers copy into, takes rows of the transaction's tenant only.
 */
class TenantIsolationTest {
  /** Every table with tenant data, with the columns a copy of its rows for another tenant takes. */
  private static final Map<String, String> TENANT_TABLES =
      Map.of(
          "spans", PostgresMapper.SPAN_COLUMNS,
          "logs", PostgresMapper.LOG_COLUMNS,
          "resources", "resource_id, dropped_attributes_count, schema_url, attributes",
          "scopes", "scope_id, dropped_attributes_count, name, version, schema_url, attributes",
          "metric_series", PostgresMapper.SERIES_COLUMNS,
          "metric_points_number", PostgresMapper.NUMBER_COLUMNS,
          "metric_points_histogram", PostgresMapper.HISTOGRAM_COLUMNS,
          "metric_points_exp_histogram", PostgresMapper.EXP_HISTOGRAM_COLUMNS,
          "metric_points_summary", PostgresMapper.SUMMARY_COLUMNS);

  private static final int OTHER_TENANT = 2;

  private TestPostgres.Database db;
  private PostgresStorage storage;
  private final Span span = SampleTelemetry.span();

  @BeforeEach
  void storeTheSameRecordsForTwoTenants() throws SQLException {
    db = TestPostgres.server().createDatabase();
    storage = PostgresStorage.open(db.settings());
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(span));
    storage
        .logs()
        .saveLogs(TenantId.DEFAULT, List.of(SampleTelemetry.log(AnyValue.of("declined"))));
    List<MetricPoint> points = new ArrayList<>();
    for (MetricKind kind : MetricKind.values()) {
      points.add(
          SampleTelemetry.metricPoint(
              SampleTelemetry.metric("m." + kind.label(), kind), SampleTelemetry.START_NANOS));
    }
    storage.metrics().saveMetrics(TenantId.DEFAULT, points);

    // the owner copies every row to a second tenant: the same trace, span, series and resource ids
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO tenants (tenant_id, name) VALUES (" + OTHER_TENANT + ", 'other')");
      c.setAutoCommit(false);
      for (Map.Entry<String, String> table : TENANT_TABLES.entrySet()) {
        s.execute("SELECT set_config('glust.tenant_id', '1', true)");
        s.execute(
            "CREATE TEMPORARY TABLE copied ON COMMIT DROP AS SELECT "
                + table.getValue()
                + " FROM "
                + table.getKey());
        s.execute("SELECT set_config('glust.tenant_id', '" + OTHER_TENANT + "', true)");
        s.execute(
            "INSERT INTO "
                + table.getKey()
                + " ("
                + table.getValue()
                + ", tenant_id) SELECT "
                + table.getValue()
                + ", "
                + OTHER_TENANT
                + " FROM copied");
        c.commit();
      }
    }
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void aQueryWithoutTenantFilterSeesOnlyTheTransactionsTenant() throws SQLException {
    for (String table : TENANT_TABLES.keySet()) {
      long stored = db.queryLong("SELECT count(*) FROM " + table + " WHERE tenant_id = 1");
      assertThat(stored).as(table).isPositive();
      assertThat(db.queryLong("SELECT count(*) FROM " + table + " WHERE tenant_id = 2"))
          .as("the owner's copy for the other tenant, " + table)
          .isEqualTo(stored);
      for (int tenant : new int[] {1, OTHER_TENANT}) {
        try (Connection c = asServiceOf(tenant);
            Statement s = c.createStatement();
            ResultSet rs =
                s.executeQuery("SELECT tenant_id, count(*) FROM " + table + " GROUP BY 1")) {
          assertThat(rs.next()).as(table).isTrue();
          assertThat(rs.getInt(1)).as(table).isEqualTo(tenant);
          assertThat(rs.getLong(2)).as(table).isEqualTo(stored);
          assertThat(rs.next()).as("no other tenant's rows in " + table).isFalse();
        }
      }
    }
    for (String view : List.of("span_records", "log_records", "metric_series_records")) {
      try (Connection c = asServiceOf(OTHER_TENANT);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT DISTINCT tenant_id FROM " + view)) {
        assertThat(rs.next()).as(view).isTrue();
        assertThat(rs.getInt(1)).as(view).isEqualTo(OTHER_TENANT);
        assertThat(rs.next()).as(view).isFalse();
      }
    }
  }

  @Test
  void theAdapterReadsAsTheDefaultTenantOnly() {
    assertThat(storage.traceLoader().loadTrace(TenantId.DEFAULT, span.traceId()).spans())
        .singleElement()
        .extracting(Span::spanId)
        .isEqualTo(span.spanId());
  }

  @Test
  void withoutATenantNothingIsVisibleAndNothingCanBeInserted() throws SQLException {
    try (Connection c = db.connectAsService();
        Statement s = c.createStatement()) {
      for (String table : TENANT_TABLES.keySet()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          assertThat(rs.getLong(1)).as(table).isZero();
        }
      }
      assertThatThrownBy(
              () ->
                  s.execute(
                      "INSERT INTO resources (resource_id, dropped_attributes_count, schema_url,"
                          + " attributes) VALUES ('\\x00', 0, '', '{}')"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> assertThat(e.getSQLState()).isIn("42501", "23502")); // policy, or NOT NULL
    }
  }

  @Test
  void aRowForAnotherTenantIsRefused() throws SQLException {
    try (Connection c = asServiceOf(1);
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () ->
                  s.execute(
                      "INSERT INTO spans ("
                          + PostgresMapper.SPAN_COLUMNS
                          + ", tenant_id) SELECT "
                          + PostgresMapper.SPAN_COLUMNS
                          + ", "
                          + OTHER_TENANT
                          + " FROM spans"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("row-level security policy");
              });
    }
  }

  @Test
  void partitionsCannotBeReadPastTheParentsPolicies() throws SQLException {
    String partition = spanPartition();
    assertThat(db.queryLong("SELECT count(*) FROM " + partition)).isEqualTo(2); // both tenants'
    try (Connection c = asServiceOf(1);
        Statement s = c.createStatement()) {
      for (String direct :
          List.of(
              "SELECT count(*) FROM " + partition,
              "UPDATE " + partition + " SET tenant_id = 1",
              "DELETE FROM " + partition)) {
        assertThatThrownBy(() -> s.execute(direct))
            .as(direct)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        c.rollback();
        s.execute("SELECT set_config('glust.tenant_id', '1', true)");
      }
    }
  }

  /** The writers copy into partitions; their constraint (V9) checks what the policies would. */
  @Test
  void aPartitionTakesRowsOfTheTransactionsTenantOnly() throws SQLException {
    String partition = spanPartition();
    String copyAs =
        "INSERT INTO "
            + partition
            + " ("
            + PostgresMapper.SPAN_COLUMNS
            + ", tenant_id) SELECT "
            + PostgresMapper.SPAN_COLUMNS
            + ", %d FROM kept";
    try (Connection c = asServiceOf(1);
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMPORARY TABLE kept AS SELECT * FROM spans");
      s.execute("UPDATE kept SET span_id = '\\x0102030405060708'::bytea");
      c.commit();
      s.execute("SELECT set_config('glust.tenant_id', '1', true)");
      assertThatThrownBy(() -> s.execute(String.format(copyAs, OTHER_TENANT)))
          .isInstanceOfSatisfying(SQLException.class, e -> assertTenantCheck(e, partition));
      c.rollback();
      // no tenant set: no row at all
      assertThatThrownBy(() -> s.execute(String.format(copyAs, 1)))
          .isInstanceOfSatisfying(SQLException.class, e -> assertTenantCheck(e, partition));
      c.rollback();
      s.execute("SELECT set_config('glust.tenant_id', '1', true)");
      assertThat(s.executeUpdate(String.format(copyAs, 1))).isEqualTo(1);
      c.rollback();
    }
  }

  /** Proven by taking the service role's INSERT on the parent away: the rows still arrive. */
  @Test
  void theWritersCopyIntoPartitionsNotThroughTheParent() throws SQLException {
    ownerRuns("REVOKE INSERT ON spans FROM " + db.settings().serviceUser());
    Span another =
        SampleTelemetry.span(span.traceId(), SpanId.fromHex("0102030405060708"), null, "x");
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(another));
    assertThat(db.queryLong("SELECT count(*) FROM spans WHERE tenant_id = 1")).isEqualTo(2);
  }

  /** A partition an older version made without the grant: the rows go through the parent. */
  @Test
  void aPartitionTheWritersMayNotInsertIntoIsWrittenThroughTheParent() throws SQLException {
    ownerRuns("REVOKE INSERT ON " + spanPartition() + " FROM " + db.settings().serviceUser());
    Span another =
        SampleTelemetry.span(span.traceId(), SpanId.fromHex("0102030405060708"), null, "x");
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(another, span)); // one stored already
    assertThat(db.queryLong("SELECT count(*) FROM spans WHERE tenant_id = 1")).isEqualTo(2);
  }

  private void ownerRuns(String sql) throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void assertTenantCheck(SQLException e, String partition) {
    assertThat(e.getSQLState()).isEqualTo("23514");
    assertThat(e.getMessage()).contains(partition).contains("spans_tenant_written");
  }

  private String spanPartition() {
    long day = 86_400_000_000L; // the default interval, in micros
    return PostgresPartitions.partitionName(
        "spans", Math.floorDiv(span.startTimeUnixNano() / 1000, day) * day);
  }

  @Test
  void theTenantConditionServesAsAnIndexCondition() throws SQLException {
    try (Connection c = asServiceOf(1);
        Statement s = c.createStatement()) {
      s.execute("SET LOCAL enable_seqscan = off");
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs =
          s.executeQuery("EXPLAIN SELECT * FROM spans ORDER BY start_time DESC LIMIT 20")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      assertThat(plan.toString())
          .contains("_tenant_id_start_time_idx")
          .containsPattern("Index Cond: \\(tenant_id = .*current_setting");
    }
  }

  /** A service-role connection in an open transaction of {@code tenant}. */
  private Connection asServiceOf(int tenant) throws SQLException {
    Connection c = db.connectAsService();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT set_config('glust.tenant_id', '" + tenant + "', true)");
    }
    return c;
  }
}
