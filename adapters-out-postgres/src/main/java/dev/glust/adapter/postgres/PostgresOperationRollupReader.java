package dev.glust.adapter.postgres;

import dev.glust.application.port.model.OperationRollupSearch;
import dev.glust.application.port.out.LoadOperationRollupsPort;
import dev.glust.domain.performance.OperationKey;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.SpanDurations;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads {@code operation_rollups} (migration V10) as the tenant: the slots of each minute and
 * operation added up in SQL ({@code glust_buckets_sum} merges their histograms), one rollup per
 * minute and operation, the minutes in order. The primary key leads with the tenant and the minute,
 * so a range reads only its own minutes.
 */
final class PostgresOperationRollupReader implements LoadOperationRollupsPort {
  private static final String SELECT =
      "SELECT extract(epoch FROM minute)::bigint, service, operation, span_kind, status_code,"
          + " calls, errors, zero_count, sum_millis, (buckets).bucket_offset,"
          + " (buckets).bucket_counts FROM ("
          + " SELECT minute, service, operation, span_kind, status_code,"
          + " sum(calls)::bigint AS calls, sum(errors)::bigint AS errors,"
          + " sum(zero_count)::bigint AS zero_count, sum(sum_millis) AS sum_millis,"
          + " glust_buckets_sum(bucket_offset, bucket_counts) AS buckets"
          + " FROM operation_rollups WHERE minute BETWEEN ? AND ?"
          + " AND (cardinality(?::text[]) = 0 OR service = ANY(?::text[]))"
          + " AND (cardinality(?::int4[]) = 0 OR span_kind = ANY(?::int4[]))"
          + " GROUP BY minute, service, operation, span_kind, status_code) summed"
          + " ORDER BY minute, service, operation, span_kind, status_code";

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
    String[] services = search.services().toArray(String[]::new);
    Integer[] kinds = search.kinds().stream().map(SpanKind::code).toArray(Integer[]::new);
    return reads.list(
        TenantScope.of(tenant),
        "loading operation rollups",
        SELECT,
        s -> {
          Array serviceArray = s.getConnection().createArrayOf("text", services);
          Array kindArray = s.getConnection().createArrayOf("int4", kinds);
          s.setObject(1, SqlFilter.timestamp(first));
          s.setObject(2, SqlFilter.timestamp(last));
          s.setArray(3, serviceArray);
          s.setArray(4, serviceArray);
          s.setArray(5, kindArray);
          s.setArray(6, kindArray);
        },
        PostgresOperationRollupReader::rollup);
  }

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
