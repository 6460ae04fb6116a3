package dev.glust.adapter.postgres.testing;

import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.MetricKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Metric rows written with plain SQL in the V4 schema, for read-side tests: series, points of each
 * kind, and the daily partitions they need (named as {@code PostgresPartitions} names them; a day
 * some partition covers already is left alone).
 */
public final class MetricRows implements AutoCloseable {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final long DAY_NANOS = 86_400_000_000_000L;

  private final Connection connection;

  public MetricRows(TestPostgres.Database db) throws SQLException {
    this.connection = db.connect();
  }

  /** A series row; {@link #insert()} stores it and returns its id (hex). */
  public final class SeriesRow {
    private final String name;
    private final MetricKind kind;
    private AggregationTemporality temporality = AggregationTemporality.UNSPECIFIED;
    private boolean monotonic;
    private String unit = "";
    private String description = "";
    private String service = "checkout";
    private String labels = "{}";
    private long firstSeen;
    private long lastSeen = Long.MAX_VALUE / 2;

    private SeriesRow(String name, MetricKind kind) {
      this.name = name;
      this.kind = kind;
    }

    public SeriesRow temporality(AggregationTemporality value) {
      temporality = value;
      return this;
    }

    public SeriesRow monotonic(boolean value) {
      monotonic = value;
      return this;
    }

    public SeriesRow unit(String value) {
      unit = value;
      return this;
    }

    public SeriesRow description(String value) {
      description = value;
      return this;
    }

    public SeriesRow service(String value) {
      service = value;
      return this;
    }

    /** The data points' attributes as stored JSONB, e.g. {@code {"method": "GET", "code": 200}}. */
    public SeriesRow labels(String json) {
      labels = json;
      return this;
    }

    public SeriesRow seen(long firstUnixNano, long lastUnixNano) {
      firstSeen = firstUnixNano;
      lastSeen = lastUnixNano;
      return this;
    }

    public String insert() throws SQLException {
      byte[] id = sha256(name + '\0' + kind + '\0' + service + '\0' + labels);
      String resource = "{\"service.name\": \"" + service + "\"}";
      String scopeId = "glust_scope_id('test-scope', '1.0', '{}', 0, '')";
      try (PreparedStatement s =
          connection.prepareStatement(
              "WITH r AS (INSERT INTO resources VALUES (glust_resource_id(?::jsonb, 0, ''), 0, '',"
                  + " ?::jsonb) ON CONFLICT DO NOTHING), sc AS (INSERT INTO scopes VALUES ("
                  + scopeId
                  + ", 0, 'test-scope', '1.0', '', '{}') ON CONFLICT DO NOTHING)"
                  + " INSERT INTO metric_series (series_id, metric_name, metric_kind, unit,"
                  + " description, temporality, monotonic, service_name, resource_id, scope_id,"
                  + " attributes, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                  + " glust_resource_id(?::jsonb, 0, ''), "
                  + scopeId
                  + ", ?::jsonb, ?, ?)")) {
        s.setString(1, resource);
        s.setString(2, resource);
        s.setBytes(3, id);
        s.setString(4, name);
        s.setShort(5, (short) kind.code());
        s.setString(6, unit);
        s.setString(7, description);
        s.setShort(8, (short) temporality.code());
        s.setBoolean(9, monotonic);
        s.setString(10, service);
        s.setString(11, resource);
        s.setString(12, labels);
        s.setObject(13, timestamp(firstSeen));
        s.setObject(14, timestamp(Math.min(lastSeen, 9_000_000_000_000_000_000L)));
        s.executeUpdate();
      }
      return HexFormat.of().formatHex(id);
    }
  }

  public SeriesRow series(String name, MetricKind kind) {
    return new SeriesRow(name, kind);
  }

  /** A gauge or sum point with a double value; {@code exemplars} as stored JSONB. */
  public void number(String seriesId, long time, long start, double value, String exemplars)
      throws SQLException {
    insertPoint(
        "metric_points_number",
        "(series_id, timestamp, time_unix_nano, start_time_unix_nano, value_double, flags,"
            + " exemplars) VALUES (?, ?, ?, ?, ?, 0, ?::jsonb)",
        time,
        s -> {
          bindIdentity(s, seriesId, time, start);
          s.setDouble(5, value);
          s.setString(6, exemplars);
        });
  }

  /** A gauge or sum point with an int value. */
  public void numberInt(String seriesId, long time, long start, long value) throws SQLException {
    insertPoint(
        "metric_points_number",
        "(series_id, timestamp, time_unix_nano, start_time_unix_nano, value_int, flags,"
            + " exemplars) VALUES (?, ?, ?, ?, ?, 0, '[]'::jsonb)",
        time,
        s -> {
          bindIdentity(s, seriesId, time, start);
          s.setLong(5, value);
        });
  }

  public void histogram(
      String seriesId, long time, long start, double[] bounds, long[] counts, Double sum)
      throws SQLException {
    insertPoint(
        "metric_points_histogram",
        "(series_id, timestamp, time_unix_nano, start_time_unix_nano, count, sum, bucket_counts,"
            + " explicit_bounds, flags, exemplars) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, '[]'::jsonb)",
        time,
        s -> {
          bindIdentity(s, seriesId, time, start);
          s.setLong(5, Arrays.stream(counts).sum());
          s.setObject(6, sum);
          s.setArray(
              7, connection.createArrayOf("bigint", Arrays.stream(counts).boxed().toArray()));
          s.setArray(
              8, connection.createArrayOf("float8", Arrays.stream(bounds).boxed().toArray()));
        });
  }

  public void exponentialHistogram(
      String seriesId,
      long time,
      long start,
      int scale,
      long zeroCount,
      int positiveOffset,
      long[] positive,
      int negativeOffset,
      long[] negative)
      throws SQLException {
    insertPoint(
        "metric_points_exp_histogram",
        "(series_id, timestamp, time_unix_nano, start_time_unix_nano, count, sum, scale,"
            + " zero_count, zero_threshold, positive_offset, positive_bucket_counts,"
            + " negative_offset, negative_bucket_counts, flags, exemplars)"
            + " VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 0, ?, ?, ?, ?, 0, '[]'::jsonb)",
        time,
        s -> {
          bindIdentity(s, seriesId, time, start);
          s.setLong(5, zeroCount + Arrays.stream(positive).sum() + Arrays.stream(negative).sum());
          s.setInt(6, scale);
          s.setLong(7, zeroCount);
          s.setInt(8, positiveOffset);
          s.setArray(
              9, connection.createArrayOf("bigint", Arrays.stream(positive).boxed().toArray()));
          s.setInt(10, negativeOffset);
          s.setArray(
              11, connection.createArrayOf("bigint", Arrays.stream(negative).boxed().toArray()));
        });
  }

  private interface Binding {
    void bind(PreparedStatement s) throws SQLException;
  }

  private void insertPoint(String table, String valuesSql, long time, Binding binding)
      throws SQLException {
    ensureDay(table, time);
    try (PreparedStatement s = connection.prepareStatement("INSERT INTO " + table + valuesSql)) {
      binding.bind(s);
      s.executeUpdate();
    }
  }

  private void bindIdentity(PreparedStatement s, String seriesId, long time, long start)
      throws SQLException {
    s.setBytes(1, HexFormat.of().parseHex(seriesId));
    s.setObject(2, timestamp(time));
    s.setLong(3, time);
    s.setLong(4, start);
  }

  /** The UTC day of {@code time} as a partition, unless a partition covers it already. */
  private void ensureDay(String table, long time) throws SQLException {
    long day = Math.floorDiv(time, DAY_NANOS) * DAY_NANOS;
    try (Statement s = connection.createStatement()) {
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
              + Instant.ofEpochSecond(0, day + DAY_NANOS)
              + "')");
    } catch (SQLException overlapping) {
      if (!"42P17".equals(overlapping.getSQLState())) { // another partition covers the day
        throw overlapping;
      }
    }
  }

  private static OffsetDateTime timestamp(long unixNano) {
    return Instant.ofEpochSecond(0, unixNano)
        .truncatedTo(ChronoUnit.MICROS)
        .atOffset(ZoneOffset.UTC);
  }

  private static byte[] sha256(String text) {
    try {
      return Arrays.copyOf(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
