package dev.glust.adapter.postgres;

import dev.glust.application.port.model.OperationRollupSearch;
import dev.glust.application.port.out.LoadOperationRollupsPort;
import dev.glust.domain.performance.OperationKey;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.OperationRollups;
import dev.glust.domain.performance.SpanDurations;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the span rollups as the tenant: the stored rows of {@code operation_rollups} (migration
 * V10) and the rows span batches appended since the last fold ({@code operation_rollup_batches},
 * V12), in one snapshot, so that a fold committing meanwhile counts nothing twice or not at all;
 * added up per minute and operation ({@link OperationRollups}), the minutes in order. The stored
 * rows' primary key leads with the tenant and the minute, so a range reads only its own minutes;
 * the appended rows are a few seconds' worth, read whole.
 */
final class PostgresOperationRollupReader implements LoadOperationRollupsPort {
  private static final String STORED =
      "SELECT extract(epoch FROM minute)::bigint, service, operation, span_kind, status_code,"
          + " calls, errors, zero_count, sum_millis, bucket_offset, bucket_counts"
          + " FROM operation_rollups WHERE minute BETWEEN ? AND ?"
          + " AND (cardinality(?::text[]) = 0 OR service = ANY(?::text[]))"
          + " AND (cardinality(?::int4[]) = 0 OR span_kind = ANY(?::int4[]))";

  private static final String APPENDED =
      "SELECT "
          + RollupBatchRow.COLUMNS
          + " FROM operation_rollup_batches WHERE last_minute >= ? AND first_minute <= ?";

  private final SqlReads reads;

  PostgresOperationRollupReader(SqlReads reads) {
    this.reads = reads;
  }

  @Override
  public List<OperationRollup> loadOperationRollups(TenantId tenant, OperationRollupSearch search) {
    long minute = OperationRollup.MINUTE_NANOS;
    // the minutes that start in the range, exactly (nanoseconds, not the timestamps' microseconds)
    long first = -Math.floorDiv(-search.range().startUnixNano(), minute) * minute;
    long last = OperationRollup.minuteOf(search.range().endUnixNano());
    if (first > last) {
      return List.of();
    }
    OperationRollups sums = new OperationRollups();
    reads.inSnapshot(
        TenantScope.of(tenant),
        "loading operation rollups",
        c -> {
          for (OperationRollup row : stored(c, search, first, last)) {
            sums.add(row);
          }
          for (List<OperationRollup> batch : appended(c, first, last)) {
            for (OperationRollup row : batch) {
              if (row.minuteUnixNano() >= first
                  && row.minuteUnixNano() <= last
                  && (search.services().isEmpty()
                      || search.services().contains(row.key().service()))
                  && (search.kinds().isEmpty() || search.kinds().contains(row.key().kind()))) {
                sums.add(row);
              }
            }
          }
          return null;
        });
    List<OperationRollup> rollups = new ArrayList<>(sums.rollups());
    rollups.sort(OperationRollup.BY_MINUTE_AND_KEY);
    return rollups;
  }

  private static List<OperationRollup> stored(
      Connection c, OperationRollupSearch search, long first, long last) throws SQLException {
    Array services = c.createArrayOf("text", search.services().toArray(String[]::new));
    Array kinds =
        c.createArrayOf(
            "int4", search.kinds().stream().map(SpanKind::code).toArray(Integer[]::new));
    return SqlReads.read(
        c,
        STORED,
        s -> {
          s.setObject(1, SqlFilter.timestamp(first));
          s.setObject(2, SqlFilter.timestamp(last));
          s.setArray(3, services);
          s.setArray(4, services);
          s.setArray(5, kinds);
          s.setArray(6, kinds);
        },
        PostgresOperationRollupReader::rollup);
  }

  /** The appended batches that may hold minutes of the range, each a list of rollups. */
  private static List<List<OperationRollup>> appended(Connection c, long first, long last)
      throws SQLException {
    return SqlReads.read(
        c,
        APPENDED,
        s -> {
          s.setObject(1, SqlFilter.timestamp(first));
          s.setObject(2, SqlFilter.timestamp(last));
        },
        row -> RollupBatchRow.read(row, 1));
  }

  /** A stored row. */
  private static OperationRollup rollup(ResultSet row) throws SQLException {
    Object[] counts = (Object[]) row.getArray(11).getArray();
    long[] bucketCounts = new long[counts.length];
    for (int i = 0; i < counts.length; i++) {
      bucketCounts[i] = ((Number) counts[i]).longValue();
    }
    return new OperationRollup(
        row.getLong(1) * 1_000_000_000L,
        new OperationKey(
            row.getString(2),
            row.getString(3),
            SpanKind.fromCode(row.getInt(4)),
            SpanStatus.Code.fromCode(row.getInt(5))),
        row.getLong(6),
        row.getLong(7),
        new SpanDurations(row.getLong(8), row.getInt(10), bucketCounts, row.getDouble(9)));
  }
}
