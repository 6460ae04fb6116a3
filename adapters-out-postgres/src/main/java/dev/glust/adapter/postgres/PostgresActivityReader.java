package dev.glust.adapter.postgres;

import dev.glust.application.port.model.LogVolumeSearch;
import dev.glust.application.port.model.NewestRecords;
import dev.glust.application.port.model.ServiceActivity;
import dev.glust.application.port.model.SeverityLevel;
import dev.glust.application.port.out.CountLogVolumePort;
import dev.glust.application.port.out.FindNewestRecordsPort;
import dev.glust.application.port.out.LoadServiceActivityPort;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.OptionalLong;

/**
 * Aggregates for overviews: log volume per time slice and severity level, spans and logs with their
 * errors per service, the newest span and log record. Every statement is bounded by a time range
 * (so partitions outside it are never read) or, for the newest records, reads one row per table
 * down a time index.
 */
final class PostgresActivityReader
    implements CountLogVolumePort, LoadServiceActivityPort, FindNewestRecordsPort {
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
  public List<Count> countLogVolume(TenantId tenant, LogVolumeSearch search) {
    SqlFilter filter =
        PostgresLogReader.matching(
            search.filter(), SqlFilter.resourcesIn(reads, TenantScope.of(tenant)));
    long start = search.filter().range().startUnixNano();
    long width = search.bucketNanos();
    int last = search.bucketCount() - 1;
    return reads.list(
        TenantScope.of(tenant),
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
  public List<ServiceActivity> loadServiceActivity(TenantId tenant, TimeRange range) {
    OffsetDateTime from = SqlFilter.timestamp(range.startUnixNano());
    OffsetDateTime to = SqlFilter.timestamp(range.endUnixNano());
    return reads.list(
        TenantScope.of(tenant),
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

  /**
   * One row from each table: the planner walks the partitions newest first down their time index
   * ({@code spans_start_idx}, {@code logs_time_idx}) and stops at the first row, so the cost does
   * not grow with what is stored. A log's time is its effective {@code timestamp} (the observed
   * time when the source sent none), in microseconds like the column.
   */
  @Override
  public NewestRecords findNewestRecords(TenantId tenant, long atOrBeforeUnixNano) {
    OffsetDateTime end = SqlFilter.timestamp(atOrBeforeUnixNano);
    return reads
        .list(
            TenantScope.of(tenant),
            "finding the newest records",
            "SELECT (SELECT "
                + PostgresMapper.SPAN_START_UNIX_NANO
                + " FROM spans WHERE start_time <= ? ORDER BY start_time DESC LIMIT 1), (SELECT "
                + PostgresMapper.LOG_TIME_UNIX_NANO
                + " FROM logs WHERE timestamp <= ? ORDER BY timestamp DESC LIMIT 1)",
            s -> {
              s.setObject(1, end);
              s.setObject(2, end);
            },
            rs -> new NewestRecords(optionalLong(rs, 1), optionalLong(rs, 2)))
        .get(0);
  }

  private static OptionalLong optionalLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
