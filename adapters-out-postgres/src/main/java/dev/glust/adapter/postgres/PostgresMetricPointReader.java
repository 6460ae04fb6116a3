package dev.glust.adapter.postgres;

import dev.glust.application.port.out.LoadMetricPointsPort;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.tenant.TenantId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Raw data points of given series in a time range, in no particular order (the service sorts them),
 * at most a limit. Aggregation happens in the application: rates across resets and quantiles across
 * bucket layouts need each series' points in order, and the limit bounds what one query reads. The
 * {@code (series_id, timestamp, …)} identity index serves each series' range, and the {@code
 * timestamp} bounds prune partitions.
 */
final class PostgresMetricPointReader implements LoadMetricPointsPort {
  private static final HexFormat HEX = HexFormat.of();
  private static final long MICROSECOND = 1_000L;

  private final SqlReads reads;

  PostgresMetricPointReader(SqlReads reads) {
    this.reads = reads;
  }

  private <T> List<T> points(
      TenantId tenant,
      String what,
      String columns,
      String table,
      List<String> seriesIds,
      TimeRange range,
      int limit,
      SqlReads.RowReader<T> reader) {
    return reads.list(
        TenantScope.of(tenant),
        what,
        "SELECT "
            + columns
            + " FROM "
            + table
            + " WHERE series_id = ANY(?) AND timestamp BETWEEN ? AND ?"
            + " AND time_unix_nano BETWEEN ? AND ? LIMIT ?",
        s -> {
          bindSeries(s, seriesIds);
          // timestamp holds the time in microseconds: one more on each side, the exact nanosecond
          // bounds follow on time_unix_nano (saturated: the widest range must not wrap around)
          s.setObject(2, SqlFilter.timestamp(saturatedSum(range.startUnixNano(), -MICROSECOND)));
          s.setObject(3, SqlFilter.timestamp(saturatedSum(range.endUnixNano(), MICROSECOND)));
          s.setLong(4, range.startUnixNano());
          s.setLong(5, range.endUnixNano());
          s.setInt(6, limit);
        },
        reader);
  }

  private static long saturatedSum(long a, long b) {
    long sum = a + b;
    // overflow iff both operands have the sign the sum lacks
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }

  private static void bindSeries(PreparedStatement s, List<String> seriesIds) throws SQLException {
    byte[][] ids = new byte[seriesIds.size()][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = HEX.parseHex(seriesIds.get(i));
    }
    s.setArray(1, s.getConnection().createArrayOf("bytea", ids));
  }

  @Override
  public List<NumberPoint> loadNumberPoints(
      TenantId tenant, List<String> seriesIds, TimeRange range, int limit) {
    return points(
        tenant,
        "reading metric points",
        "series_id, time_unix_nano, start_time_unix_nano, value_double, value_int, exemplars",
        "metric_points_number",
        seriesIds,
        range,
        limit,
        rs -> {
          double value = rs.getDouble("value_double");
          if (rs.wasNull()) {
            value = rs.getLong("value_int");
          }
          return new NumberPoint(
              HEX.formatHex(rs.getBytes("series_id")),
              rs.getLong("time_unix_nano"),
              rs.getLong("start_time_unix_nano"),
              value,
              JsonbCodec.readExemplars(rs.getString("exemplars")));
        });
  }

  @Override
  public List<HistogramPoint> loadHistogramPoints(
      TenantId tenant, List<String> seriesIds, TimeRange range, int limit) {
    return points(
        tenant,
        "reading histogram points",
        "series_id, time_unix_nano, start_time_unix_nano, count, sum, explicit_bounds,"
            + " bucket_counts, exemplars",
        "metric_points_histogram",
        seriesIds,
        range,
        limit,
        rs ->
            new HistogramPoint(
                HEX.formatHex(rs.getBytes("series_id")),
                rs.getLong("time_unix_nano"),
                rs.getLong("start_time_unix_nano"),
                new HistogramValue(
                    rs.getLong("count"),
                    nullableDouble(rs, "sum"),
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    longs(rs, "bucket_counts"),
                    doubles(rs, "explicit_bounds")),
                JsonbCodec.readExemplars(rs.getString("exemplars"))));
  }

  @Override
  public List<ExponentialHistogramPoint> loadExponentialHistogramPoints(
      TenantId tenant, List<String> seriesIds, TimeRange range, int limit) {
    return points(
        tenant,
        "reading exponential histogram points",
        "series_id, time_unix_nano, start_time_unix_nano, count, sum, scale, zero_count,"
            + " zero_threshold, positive_offset, positive_bucket_counts, negative_offset,"
            + " negative_bucket_counts, exemplars",
        "metric_points_exp_histogram",
        seriesIds,
        range,
        limit,
        rs ->
            new ExponentialHistogramPoint(
                HEX.formatHex(rs.getBytes("series_id")),
                rs.getLong("time_unix_nano"),
                rs.getLong("start_time_unix_nano"),
                new ExponentialHistogramValue(
                    rs.getLong("count"),
                    nullableDouble(rs, "sum"),
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    rs.getInt("scale"),
                    rs.getLong("zero_count"),
                    rs.getDouble("zero_threshold"),
                    new Buckets(rs.getInt("positive_offset"), longs(rs, "positive_bucket_counts")),
                    new Buckets(rs.getInt("negative_offset"), longs(rs, "negative_bucket_counts"))),
                JsonbCodec.readExemplars(rs.getString("exemplars"))));
  }

  private static OptionalDouble nullableDouble(ResultSet rs, String column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  private static List<Double> doubles(ResultSet rs, String column) throws SQLException {
    return Arrays.asList((Double[]) rs.getArray(column).getArray());
  }

  private static List<Long> longs(ResultSet rs, String column) throws SQLException {
    return Arrays.asList((Long[]) rs.getArray(column).getArray());
  }
}
