package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.storage.contract.MovingClock;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.metric.NumberValue;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Metric series and points on real PostgreSQL: every field, idempotent retries, retention. */
class PostgresMetricStorageTest {
  private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
  private static final long NOW_NANOS = ChronoUnit.NANOS.between(Instant.EPOCH, NOW);
  private static final PartitionSettings METRICS_KEPT_3_DAYS =
      new PartitionSettings(
          Duration.ofDays(1),
          1,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ofDays(3),
          Duration.ofHours(1));

  private TestPostgres.Database db;
  private PostgresStorage storage;
  private final MovingClock clock = new MovingClock(NOW);

  @BeforeEach
  void open() {
    db = TestPostgres.server().createDatabase();
    storage = PostgresStorage.open(db.settings(), METRICS_KEPT_3_DAYS, clock);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private static List<MetricPoint> everyKind(long timeUnixNano) {
    List<MetricPoint> points = new ArrayList<>();
    for (MetricKind kind : MetricKind.values()) {
      points.add(
          SampleTelemetry.metricPoint(
              SampleTelemetry.metric("m." + kind.label(), kind), timeUnixNano));
    }
    return points;
  }

  @Test
  void storesSeriesAndPointsOfEveryKindExactly() throws SQLException {
    storage.metrics().saveMetrics(TenantId.DEFAULT, everyKind(NOW_NANOS + 789));

    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT * FROM metric_series_records WHERE metric_name = 'm.sum'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes("series_id")).hasSize(16);
        assertThat(rs.getInt("metric_kind")).isEqualTo(2);
        assertThat(rs.getString("unit")).isEqualTo("ms");
        assertThat(rs.getString("description")).isEqualTo("what m.sum measures");
        assertThat(rs.getInt("temporality")).isEqualTo(2);
        assertThat(rs.getBoolean("monotonic")).isTrue();
        assertThat(rs.getString("service_name")).isEqualTo("checkout");
        assertThat(rs.getString("resource_attributes"))
            .isEqualTo("{\"host.name\": \"h1\", \"service.name\": \"checkout\"}");
        assertThat(rs.getInt("resource_dropped_attributes_count")).isEqualTo(1);
        assertThat(rs.getString("resource_schema_url"))
            .isEqualTo("https://opentelemetry.io/schemas/1.26.0");
        assertThat(rs.getString("scope_name")).isEqualTo("io.glust.test");
        assertThat(rs.getString("scope_version")).isEqualTo("1.2.3");
        assertThat(rs.getString("scope_attributes")).isEqualTo("{\"scope.attr\": \"s\"}");
        assertThat(rs.getString("attributes"))
            .isEqualTo("{\"code\": 200, \"route\": \"/checkout\"}");
        assertThat(rs.getTimestamp("first_seen").toInstant()).isEqualTo(NOW);
        assertThat(rs.getTimestamp("last_seen").toInstant()).isEqualTo(NOW);
        assertThat(rs.next()).isFalse();
      }
      assertThat(db.queryLong("SELECT count(*) FROM metric_series")).isEqualTo(5);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT p.*, m.metric_name FROM metric_points_number p"
                  + " JOIN metric_series m USING (series_id) ORDER BY m.metric_name")) {
        assertThat(rs.next()).isTrue(); // gauge: a double
        assertThat(rs.getString("metric_name")).isEqualTo("m.gauge");
        assertThat(rs.getDouble("value_double")).isEqualTo(0.25);
        assertThat(rs.getObject("value_int")).isNull();
        assertThat(rs.getLong("time_unix_nano")).isEqualTo(NOW_NANOS + 789);
        assertThat(rs.getLong("start_time_unix_nano")).isEqualTo(SampleTelemetry.START_NANOS);
        assertThat(rs.getTimestamp("timestamp").toInstant()).isEqualTo(NOW);
        assertThat(rs.getInt("flags")).isEqualTo(1);
        assertThat(rs.getString("exemplars"))
            .isEqualTo(
                "[{\"value\": 12.5, \"spanId\": \"eee19b7ec3c1b174\", \"traceId\":"
                    + " \"5b8efff798038103d269b633813fc60c\", \"timeUnixNano\": "
                    + (NOW_NANOS + 784)
                    + ", \"filteredAttributes\": {\"user.id\": \"u1\"},"
                    + " \"droppedAttributesCount\": 0}, {\"value\": 4, \"timeUnixNano\": "
                    + (NOW_NANOS + 786)
                    + ", \"filteredAttributes\": {}, \"droppedAttributesCount\": 0}]");
        assertThat(rs.next()).isTrue(); // sum: an int beyond a double's exact range
        assertThat(rs.getObject("value_double")).isNull();
        assertThat(rs.getLong("value_int")).isEqualTo(9_007_199_254_740_993L);
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM metric_points_histogram")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("count")).isEqualTo(6);
        assertThat(rs.getDouble("sum")).isEqualTo(31.5);
        assertThat(rs.getDouble("min")).isEqualTo(0.5);
        assertThat(rs.getObject("max")).isNull();
        assertThat(longs(rs.getArray("bucket_counts"))).containsExactly(1L, 2L, 3L);
        assertThat(doubles(rs.getArray("explicit_bounds"))).containsExactly(1.0, 10.0);
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM metric_points_exp_histogram")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("count")).isEqualTo(7);
        assertThat(rs.getDouble("sum")).isEqualTo(-2.5);
        assertThat(rs.getObject("min")).isNull();
        assertThat(rs.getDouble("max")).isEqualTo(9.75);
        assertThat(rs.getInt("scale")).isEqualTo(3);
        assertThat(rs.getLong("zero_count")).isEqualTo(1);
        assertThat(rs.getDouble("zero_threshold")).isEqualTo(0.001);
        assertThat(rs.getInt("positive_offset")).isEqualTo(-2);
        assertThat(longs(rs.getArray("positive_bucket_counts"))).containsExactly(1L, 0L, 3L);
        assertThat(rs.getInt("negative_offset")).isEqualTo(4);
        assertThat(longs(rs.getArray("negative_bucket_counts"))).containsExactly(2L);
        assertThat(rs.getString("exemplars")).contains("\"traceId\"");
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM metric_points_summary")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("count")).isEqualTo(4);
        assertThat(rs.getDouble("sum")).isEqualTo(10.5);
        assertThat(doubles(rs.getArray("quantiles"))).containsExactly(0.5, 0.99);
        assertThat(doubles(rs.getArray("quantile_values"))).containsExactly(2.0, 7.5);
      }
    }
  }

  @Test
  void emptyArraysAndSpecialDoublesAreStored() throws SQLException {
    Metric metric = SampleTelemetry.metric("h", MetricKind.HISTOGRAM);
    Metric gauge = SampleTelemetry.metric("g", MetricKind.GAUGE);
    storage
        .metrics()
        .saveMetrics(
            TenantId.DEFAULT,
            List.of(
                new MetricPoint(
                    metric,
                    new DataPoint(
                        Attributes.EMPTY,
                        0,
                        NOW_NANOS,
                        0,
                        new dev.glust.domain.metric.HistogramValue(
                            0,
                            java.util.OptionalDouble.of(Double.NaN),
                            java.util.OptionalDouble.empty(),
                            java.util.OptionalDouble.empty(),
                            List.of(),
                            List.of()),
                        List.of())),
                new MetricPoint(
                    gauge,
                    new DataPoint(
                        Attributes.EMPTY,
                        0,
                        NOW_NANOS,
                        0,
                        NumberValue.of(Double.NEGATIVE_INFINITY),
                        List.of()))));
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM metric_points_histogram WHERE sum = 'NaN'"
                    + " AND cardinality(bucket_counts) = 0 AND explicit_bounds = '{}'"))
        .isEqualTo(1);
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM metric_points_number WHERE value_double = '-Infinity'"))
        .isEqualTo(1);
  }

  @Test
  void aRetriedBatchIsStoredOnceAndASeriesIsOneRowWhateverTheAttributeOrder() throws SQLException {
    List<MetricPoint> batch = everyKind(NOW_NANOS);
    storage.metrics().saveMetrics(TenantId.DEFAULT, batch);
    storage.metrics().saveMetrics(TenantId.DEFAULT, batch); // a retry of the whole export
    List<MetricPoint> mixed = new ArrayList<>(everyKind(NOW_NANOS + 1));
    mixed.addAll(batch);
    storage
        .metrics()
        .saveMetrics(TenantId.DEFAULT, mixed); // new points with a retried request in one batch

    assertThat(db.queryLong("SELECT count(*) FROM metric_series")).isEqualTo(5);
    assertThat(db.queryLong("SELECT count(*) FROM metric_points_number")).isEqualTo(4);
    assertThat(db.queryLong("SELECT count(*) FROM metric_points_summary")).isEqualTo(2);
    assertThat(storage.figures().duplicatesSkipped()).isEqualTo(10);

    Metric sum = SampleTelemetry.metric("m.sum", MetricKind.SUM);
    MetricPoint reordered =
        new MetricPoint(
            sum,
            new DataPoint(
                new Attributes(
                    List.of(Attribute.of("code", 200L), Attribute.of("route", "/checkout")), 0),
                0,
                NOW_NANOS + 2,
                0,
                NumberValue.of(1L),
                List.of()));
    PostgresStorage other = // another instance: nothing cached, it must upsert
        PostgresStorage.open(db.settings(), METRICS_KEPT_3_DAYS, clock);
    try (other) {
      other.metrics().saveMetrics(TenantId.DEFAULT, List.of(reordered));
    }
    assertThat(db.queryLong("SELECT count(*) FROM metric_series")).isEqualTo(5);
    assertThat(
            db.queryLong(
                "SELECT count(DISTINCT series_id) FROM metric_points_number p"
                    + " JOIN metric_series USING (series_id) WHERE metric_name = 'm.sum'"))
        .isEqualTo(1);
  }

  @Test
  void aWriterThatBelievesInADroppedPointPartitionGetsItBack() throws SQLException {
    storage.metrics().saveMetrics(TenantId.DEFAULT, everyKind(NOW_NANOS));
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE metric_points_summary_p20260615_0000"); // e.g. another's retention
    }

    storage.metrics().saveMetrics(TenantId.DEFAULT, everyKind(NOW_NANOS + 1));

    assertThat(db.queryLong("SELECT count(*) FROM metric_points_summary")).isEqualTo(1);
    assertThat(db.queryLong("SELECT count(*) FROM metric_points_number")).isEqualTo(4);
    assertThat(storage.figures().duplicatesSkipped()).isZero();
  }

  @Test
  void knownSeriesSkipTheUpsertAndLastSeenIsRefreshedAtMostHalfHourly() throws SQLException {
    storage.metrics().saveMetrics(TenantId.DEFAULT, everyKind(NOW_NANOS));
    assertThat(storage.figures().metricSeriesUpserted()).isEqualTo(5);

    clock.now = NOW.plus(Duration.ofMinutes(20));
    storage.metrics().saveMetrics(TenantId.DEFAULT, everyKind(NOW_NANOS + 1));
    assertThat(storage.figures().metricSeriesUpserted()).isEqualTo(5); // cached: no series work

    clock.now = NOW.plus(Duration.ofMinutes(40));
    storage.metrics().saveMetrics(TenantId.DEFAULT, everyKind(NOW_NANOS + 2));
    assertThat(storage.figures().metricSeriesUpserted()).isEqualTo(10);
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM metric_series WHERE last_seen = '2026-06-15T10:40:00Z'"
                    + " AND first_seen = '2026-06-15T10:00:00Z'"))
        .isEqualTo(5);
  }

  @Test
  void retentionDropsPointPartitionsAndDeletesSeriesUnseenSince() throws SQLException {
    Metric old = SampleTelemetry.metric("old", MetricKind.GAUGE);
    storage
        .metrics()
        .saveMetrics(
            TenantId.DEFAULT,
            List.of(SampleTelemetry.metricPoint(old, NOW_NANOS - Duration.ofDays(2).toNanos())));
    clock.now = NOW.plus(Duration.ofDays(2));
    storage
        .metrics()
        .saveMetrics(TenantId.DEFAULT, everyKind(NOW_NANOS + Duration.ofDays(2).toNanos()));
    assertThat(db.queryLong("SELECT count(*) FROM metric_series")).isEqualTo(6);

    clock.now = NOW.plus(Duration.ofDays(3)).plus(Duration.ofHours(3));
    storage.maintainPartitions();

    // the old point's partition (June 13) ended before now - 3 days; its series was last seen
    // more than 3 days + the grace ago; the recent ones stay
    assertThat(db.queryLong("SELECT count(*) FROM metric_points_number")).isEqualTo(2);
    assertThat(db.queryLong("SELECT count(*) FROM metric_series WHERE metric_name = 'old'"))
        .isZero();
    assertThat(db.queryLong("SELECT count(*) FROM metric_series")).isEqualTo(5);
    assertThat(storage.figures().metricSeriesDeleted()).isEqualTo(1);
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM pg_class WHERE relname = 'metric_points_number_p20260613_0000'"))
        .isZero();

    long beforeTheKeptPartitions = NOW_NANOS - Duration.ofDays(1).toNanos(); // June 14
    storage
        .metrics()
        .saveMetrics(
            TenantId.DEFAULT, List.of(SampleTelemetry.metricPoint(old, beforeTheKeptPartitions)));
    assertThat(storage.figures().expiredOnArrival()).isEqualTo(1);
    assertThat(db.queryLong("SELECT count(*) FROM metric_series WHERE metric_name = 'old'"))
        .isZero(); // no series for points not stored
  }

  private static List<Long> longs(Array array) throws SQLException {
    return List.of((Long[]) array.getArray());
  }

  private static List<Double> doubles(Array array) throws SQLException {
    return List.of((Double[]) array.getArray());
  }
}
