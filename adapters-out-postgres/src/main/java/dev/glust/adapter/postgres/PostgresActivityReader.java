package dev.glust.adapter.postgres;

import dev.glust.application.port.in.query.LogVolumeSearch;
import dev.glust.application.port.in.query.ServiceActivity;
import dev.glust.application.port.in.query.SeverityLevel;
import dev.glust.application.port.out.CountLogVolumePort;
import dev.glust.application.port.out.LoadServiceActivityPort;
import dev.glust.domain.common.TimeRange;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Aggregates for overviews: log volume per time slice and severity level, spans and logs with their
 * errors per service. Every statement is bounded by a time range (so partitions outside it are
 * never read).
 */
final class PostgresActivityReader implements CountLogVolumePort, LoadServiceActivityPort {
  /** The first severity number of the record's level (see {@link SeverityLevel}). */
  private static final String LEVEL =
      "CASE WHEN severity_number BETWEEN 1 AND 24 THEN (severity_number - 1) / 4 * 4 + 1 ELSE 0 END";

  private final SqlReads reads;

  PostgresActivityReader(SqlReads reads) {
    this.reads = reads;
  }

  /**
   * The slice is computed from the exact microsecond time in nanoseconds (numeric epoch, no
   * floating point), so slice boundaries match the ones the application reports.
   */
  @Override
  public List<Count> countLogVolume(LogVolumeSearch search) {
    SqlFilter filter = PostgresLogReader.matching(search.filter());
    long start = search.filter().range().startUnixNano();
    long width = search.bucketNanos();
    int last = search.bucketCount() - 1;
    return reads.list(
        "counting log volume",
        "SELECT least(greatest((nanos - origin) / width, 0), last)::int AS bucket, level,"
            + " count(*) FROM (SELECT (extract(epoch FROM timestamp) * 1000000000)::bigint AS nanos, "
            + LEVEL
            + " AS level FROM logs WHERE "
            + filter.sql()
            + ") matching CROSS JOIN (SELECT ?::bigint AS origin, ?::bigint AS width, ?::int AS last)"
            + " slicing GROUP BY 1, 2 ORDER BY 1, 2",
        s -> {
          int next = filter.bind(s);
          s.setLong(next, start);
          s.setLong(next + 1, width);
          s.setInt(next + 2, last);
        },
        rs -> new Count(rs.getInt(1), SeverityLevel.of(rs.getInt(2)), rs.getLong(3)));
  }

  @Override
  public List<ServiceActivity> loadServiceActivity(TimeRange range) {
    OffsetDateTime from = SqlFilter.timestamp(range.startUnixNano());
    OffsetDateTime to = SqlFilter.timestamp(range.endUnixNano());
    return reads.list(
        "counting service activity",
        "SELECT service_name, sum(spans)::bigint, sum(error_spans)::bigint, sum(logs)::bigint,"
            + " sum(error_logs)::bigint FROM ("
            + " SELECT service_name, count(*) AS spans,"
            + " count(*) FILTER (WHERE status_code = 2) AS error_spans, 0 AS logs, 0 AS error_logs"
            + " FROM spans WHERE start_time BETWEEN ? AND ? GROUP BY service_name"
            + " UNION ALL"
            + " SELECT service_name, 0, 0, count(*), count(*) FILTER (WHERE severity_number >= ?)"
            + " FROM logs WHERE timestamp BETWEEN ? AND ? GROUP BY service_name"
            + ") counts GROUP BY service_name ORDER BY service_name",
        s -> {
          s.setObject(1, from);
          s.setObject(2, to);
          s.setInt(3, SeverityLevel.ERROR.lowestNumber());
          s.setObject(4, from);
          s.setObject(5, to);
        },
        rs ->
            new ServiceActivity(
                rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
  }
}
