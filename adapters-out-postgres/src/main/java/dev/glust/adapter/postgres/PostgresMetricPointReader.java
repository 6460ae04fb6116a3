package dev.glust.adapter.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.glust.application.port.in.query.MetricExemplar;
import dev.glust.application.port.out.LoadMetricPointsPort;
import dev.glust.domain.common.InvalidTelemetryException;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
  private static final JsonFactory JSON = new JsonFactory();
  private static final HexFormat HEX = HexFormat.of();
  private static final long MICROSECOND = 1_000L;

  private final SqlReads reads;

  PostgresMetricPointReader(SqlReads reads) {
    this.reads = reads;
  }

  private <T> List<T> points(
      String what,
      String columns,
      String table,
      List<String> seriesIds,
      TimeRange range,
      int limit,
      SqlReads.RowReader<T> reader) {
    return reads.list(
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
  public List<NumberPoint> loadNumberPoints(List<String> seriesIds, TimeRange range, int limit) {
    return points(
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
              exemplars(rs.getString("exemplars")));
        });
  }

  @Override
  public List<HistogramPoint> loadHistogramPoints(
      List<String> seriesIds, TimeRange range, int limit) {
    return points(
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
                exemplars(rs.getString("exemplars"))));
  }

  @Override
  public List<ExponentialHistogramPoint> loadExponentialHistogramPoints(
      List<String> seriesIds, TimeRange range, int limit) {
    return points(
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
                exemplars(rs.getString("exemplars"))));
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

  /**
   * The exemplars JSONB array (shape in V4__metrics.sql); filtered attributes are not needed by the
   * query API and are skipped. An id that is absent or not a valid id reads as none.
   */
  static List<MetricExemplar> exemplars(String json) {
    if (json == null || json.equals("[]")) {
      return List.of();
    }
    try (JsonParser p = JSON.createParser(json)) {
      List<MetricExemplar> out = new ArrayList<>();
      p.nextToken(); // START_ARRAY
      while (p.nextToken() == JsonToken.START_OBJECT) {
        long time = 0;
        double value = Double.NaN;
        String traceId = null;
        String spanId = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken token = p.nextToken();
          switch (field) {
            case "timeUnixNano" -> time = p.getLongValue();
            case "value" -> value = exemplarValue(p, token);
            case "traceId" -> traceId = p.getText();
            case "spanId" -> spanId = p.getText();
            default -> p.skipChildren();
          }
        }
        out.add(new MetricExemplar(time, value, traceId(traceId), spanId(spanId)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("stored exemplars are not JSON: " + json, e);
    }
  }

  /**
   * A number, or {@code {"doubleValue": "NaN" | "Infinity" | "-Infinity"}} as JsonbCodec writes.
   */
  private static double exemplarValue(JsonParser p, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    double value = Double.NaN;
    if (token == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        p.nextToken();
        if (p.currentToken() == JsonToken.VALUE_STRING) {
          try {
            value = Double.parseDouble(p.getText());
          } catch (NumberFormatException notADouble) {
            value = Double.NaN;
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return value;
  }

  private static TraceId traceId(String hex) {
    try {
      return hex == null ? null : TraceId.fromHex(hex);
    } catch (InvalidTelemetryException invalid) {
      return null;
    }
  }

  private static SpanId spanId(String hex) {
    try {
      return hex == null ? null : SpanId.fromHex(hex);
    } catch (InvalidTelemetryException invalid) {
      return null;
    }
  }
}
