package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.out.RetentionOverrides;
import dev.glust.application.storage.contract.MovingClock;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenants kept for a time of their own: global retention 3 days, acme 1 day, beta 10 days. The
 * partitions stay for 10 days; acme's and the default tenant's older rows go by DELETE.
 */
class TenantRetentionTest {
  private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
  private static final Duration GLOBAL = Duration.ofDays(3);
  private static final TenantId ACME = new TenantId("acme");
  private static final TenantId BETA = new TenantId("beta");
  private static final Map<TenantId, Duration> OVERRIDES =
      Map.of(ACME, Duration.ofDays(1), BETA, Duration.ofDays(10));
  private static final Metric GAUGE = SampleTelemetry.metric("queue.size", MetricKind.GAUGE);

  private final MovingClock clock = new MovingClock(NOW);
  private TestPostgres.Database db;
  private PostgresStorage storage;

  @BeforeEach
  void open() {
    db = TestPostgres.server().createDatabase();
    storage =
        PostgresStorage.open(
            db.settings(),
            new PartitionSettings(
                Duration.ofDays(1),
                2,
                GLOBAL,
                GLOBAL,
                GLOBAL,
                Duration.ofHours(1),
                16,
                Duration.ofHours(1)),
            clock);
    storage.retention().applyRetention(new RetentionOverrides(OVERRIDES, OVERRIDES, OVERRIDES));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void eachTenantKeepsItsRowsForItsOwnRetention() throws SQLException {
    saveDaysAgo(ACME, 2);
    saveDaysAgo(TenantId.DEFAULT, 2);
    saveDaysAgo(BETA, 5);
    saveDaysAgo(TenantId.DEFAULT, 5);
    assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(4); // all within 10 days

    storage.maintainPartitions();

    // one table of each signal, and the spans' rollups (one row per span here)
    for (String table : List.of("spans", "logs", "metric_points_number", "operation_rollups")) {
      assertThat(rows(table, ACME)).as(table + " of acme (1 day)").isZero();
      assertThat(rows(table, BETA)).as(table + " of beta (10 days)").isEqualTo(1);
      assertThat(rows(table, TenantId.DEFAULT)).as(table + " of default (3 days)").isEqualTo(1);
    }
    assertThat(db.queryLong("SELECT count(*) FROM spans_p20260610_0000"))
        .as("the partition of 5 days ago is kept for beta")
        .isEqualTo(1);
    assertThat(storage.figures().partitionsDropped()).isZero();
    for (String signal : List.of("traces", "logs", "metrics")) {
      assertThat(meter(signal)).as(signal).isEqualTo(2); // acme's 2-day-old, default's 5-day-old
    }
  }

  @Test
  void metricSeriesIdleLongerThanTheirTenantsRetentionAreDeleted() throws SQLException {
    for (TenantId tenant : List.of(ACME, BETA, TenantId.DEFAULT)) {
      storage.metrics().saveMetrics(tenant, List.of(point(NOW.minus(1, ChronoUnit.HOURS))));
    }

    clock.now = NOW.plus(2, ChronoUnit.DAYS); // every series idle for 2 days
    storage.maintainPartitions();

    assertThat(rows("metric_series", ACME)).isZero();
    assertThat(rows("metric_series", BETA)).isEqualTo(1);
    assertThat(rows("metric_series", TenantId.DEFAULT)).isEqualTo(1);

    clock.now = NOW.plus(4, ChronoUnit.DAYS); // past the global 3 days (+ grace), not beta's 10
    storage.maintainPartitions();

    assertThat(rows("metric_series", BETA)).isEqualTo(1);
    assertThat(rows("metric_series", TenantId.DEFAULT)).isZero();
  }

  @Test
  void partitionsGoOnceOlderThanTheLongestRetention() throws SQLException {
    saveDaysAgo(BETA, 5);

    clock.now = NOW.plus(6, ChronoUnit.DAYS); // 11 days after the rows
    storage.maintainPartitions();

    assertThat(rows("spans", BETA)).isZero();
    assertThat(rows("operation_rollups", BETA)).as("the rollups go with the spans").isZero();
    assertThat(storage.figures().partitionsDropped()).isPositive();
  }

  @Test
  void aTenantsDeleteByTimeWalksTheTenantLeadingIndex() throws SQLException {
    saveDaysAgo(ACME, 2);
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("SET enable_seqscan = off"); // a tiny table: ask whether an index serves
      try (ResultSet plan =
          statement.executeQuery(
              "EXPLAIN SELECT ctid FROM spans_p20260613_0000 WHERE tenant_id = 2"
                  + " AND start_time < now() LIMIT 10000")) {
        StringBuilder text = new StringBuilder();
        while (plan.next()) {
          text.append(plan.getString(1)).append('\n');
        }
        assertThat(text.toString())
            .contains("spans_p20260613_0000_tenant_id_start_time_idx")
            .contains("Index Cond: ((tenant_id = 2) AND (start_time < now()))");
      }
    }
  }

  private void saveDaysAgo(TenantId tenant, int days) {
    Instant time = NOW.minus(days, ChronoUnit.DAYS);
    long nanos = ChronoUnit.NANOS.between(Instant.EPOCH, time);
    storage
        .spans()
        .saveSpans(
            tenant,
            List.of(
                SampleTelemetry.withTimes(
                    SampleTelemetry.span(SampleTelemetry.TRACE_ID, new SpanId(days), null, "op"),
                    nanos,
                    nanos + 1000)));
    storage
        .logs()
        .saveLogs(
            tenant,
            List.of(
                SampleTelemetry.withTimes(SampleTelemetry.log(AnyValue.of("hi")), nanos, nanos)));
    storage.metrics().saveMetrics(tenant, List.of(point(time)));
  }

  private static MetricPoint point(Instant time) {
    return SampleTelemetry.metricPoint(GAUGE, ChronoUnit.NANOS.between(Instant.EPOCH, time));
  }

  /** Rows of a tenant, counted as the superuser the tests connect as (no row-level security). */
  private long rows(String table, TenantId tenant) throws SQLException {
    return db.queryLong(
        "SELECT count(*) FROM "
            + table
            + " WHERE tenant_id = (SELECT tenant_id FROM tenants WHERE name = '"
            + tenant.name()
            + "')");
  }

  private double meter(String signal) {
    return storage.meters().stream()
        .filter(
            meter ->
                meter.name().equals("glust.storage.retention.deleted")
                    && meter.tags().equals(Map.of("signal", signal)))
        .findFirst()
        .orElseThrow()
        .value()
        .getAsDouble();
  }
}
