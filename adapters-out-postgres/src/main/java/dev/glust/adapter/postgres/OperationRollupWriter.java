package dev.glust.adapter.postgres;

import dev.glust.domain.performance.OperationKey;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.OperationRollups;
import dev.glust.domain.performance.SpanDurations;
import dev.glust.domain.trace.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

/**
 * Adds a span batch's {@link OperationRollups} to {@code operation_rollups} (migration V10), in the
 * batch's transaction, after its rows: one upsert statement of all its rollups (arrays, one element
 * per rollup), into the rows of this session's slot (its backend pid), so that concurrent writers
 * never wait for each other's rows. The rollups go in sorted by key, so that the rows are locked in
 * one order whatever the batch.
 */
final class OperationRollupWriter implements PostgresTelemetryWriter.Derived<Span> {
  /** Adds the new row (EXCLUDED) to the stored one (r) of its key and slot. */
  private static final String ADD_TO_STORED =
      " ON CONFLICT (tenant_id, minute, service, operation, span_kind, status_code, slot)"
          + " DO UPDATE SET calls = r.calls + EXCLUDED.calls, errors = r.errors + EXCLUDED.errors,"
          + " zero_count = r.zero_count + EXCLUDED.zero_count,"
          + " sum_millis = r.sum_millis + EXCLUDED.sum_millis,"
          + " bucket_offset = glust_buckets_offset(r.bucket_offset, r.bucket_counts,"
          + " EXCLUDED.bucket_offset, EXCLUDED.bucket_counts),"
          + " bucket_counts = glust_bucket_counts_plus(r.bucket_offset, r.bucket_counts,"
          + " EXCLUDED.bucket_offset, EXCLUDED.bucket_counts)";

  private static final String UPSERT =
      "INSERT INTO operation_rollups AS r (minute, slot, service, operation, span_kind,"
          + " status_code, calls, errors, zero_count, sum_millis, bucket_offset, bucket_counts)"
          + " SELECT to_timestamp(u.minute_second), pg_backend_pid(), u.service, u.operation,"
          + " u.span_kind, u.status_code, u.calls, u.errors, u.zero_count, u.sum_millis,"
          + " u.bucket_offset, u.bucket_counts::bigint[]"
          + " FROM unnest(?::bigint[], ?::text[], ?::text[], ?::int4[], ?::int4[], ?::bigint[],"
          + " ?::bigint[], ?::bigint[], ?::float8[], ?::int4[], ?::text[])"
          + " AS u(minute_second, service, operation, span_kind, status_code, calls, errors,"
          + " zero_count, sum_millis, bucket_offset, bucket_counts)"
          + ADD_TO_STORED;

  /**
   * Moves the rows of the slots (sessions) of minutes before a time into one row per minute and
   * key, slot 0 (no backend's pid), as the owner, across tenants: the slots added up as readers add
   * them, and added to slot 0's row if a late span's rollup was folded there before.
   */
  private static final String FOLD =
      "WITH folded AS (DELETE FROM operation_rollups WHERE minute < ? AND slot <> 0 RETURNING *),"
          + " summed AS (SELECT tenant_id, minute, service, operation, span_kind, status_code,"
          + " sum(calls) AS calls, sum(errors) AS errors, sum(zero_count) AS zero_count,"
          + " sum(sum_millis) AS sum_millis, glust_buckets_sum(bucket_offset, bucket_counts) AS b"
          + " FROM folded GROUP BY tenant_id, minute, service, operation, span_kind, status_code)"
          + " INSERT INTO operation_rollups AS r (tenant_id, minute, slot, service, operation,"
          + " span_kind, status_code, calls, errors, zero_count, sum_millis, bucket_offset,"
          + " bucket_counts) SELECT tenant_id, minute, 0, service, operation, span_kind,"
          + " status_code, calls, errors, zero_count, sum_millis, (b).bucket_offset,"
          + " (b).bucket_counts FROM summed"
          + ADD_TO_STORED;

  private static final Comparator<OperationRollup> KEY_ORDER =
      Comparator.comparingLong(OperationRollup::minuteUnixNano)
          .thenComparing(r -> r.key().service())
          .thenComparing(r -> r.key().operation())
          .thenComparingInt(r -> r.key().kind().code())
          .thenComparingInt(r -> r.key().status().code());

  @Override
  public CopyBatchWriter.Identity<Span> identity() {
    return PostgresMapper.SPAN_IDENTITY;
  }

  @Override
  public void write(Connection connection, List<Span> stored) throws SQLException {
    if (stored.isEmpty()) {
      return; // a retry of spans stored already: counted when they were
    }
    List<OperationRollup> rollups = new ArrayList<>(OperationRollups.of(stored));
    rollups.sort(KEY_ORDER);
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
      bind(upsert, rollups);
      upsert.executeUpdate();
    }
  }

  /** Binds the rollups to the upsert's parameters: an array per column, one element a rollup. */
  private static void bind(PreparedStatement upsert, List<OperationRollup> rollups)
      throws SQLException {
    int n = rollups.size();
    Long[] minutes = new Long[n];
    String[] services = new String[n];
    String[] operations = new String[n];
    Integer[] kinds = new Integer[n];
    Integer[] statuses = new Integer[n];
    Long[] calls = new Long[n];
    Long[] errors = new Long[n];
    Long[] zeros = new Long[n];
    Double[] sums = new Double[n];
    Integer[] offsets = new Integer[n];
    String[] counts = new String[n];
    for (int i = 0; i < n; i++) {
      OperationRollup rollup = rollups.get(i);
      OperationKey key = rollup.key();
      SpanDurations durations = rollup.durations();
      minutes[i] = rollup.minuteUnixNano() / 1_000_000_000L;
      services[i] = key.service();
      operations[i] = key.operation();
      kinds[i] = key.kind().code();
      statuses[i] = key.status().code();
      calls[i] = rollup.calls();
      errors[i] = rollup.errors();
      zeros[i] = durations.zeroCount();
      sums[i] = durations.sumMillis();
      offsets[i] = durations.offset();
      counts[i] = arrayLiteral(durations.counts());
    }
    Connection connection = upsert.getConnection();
    upsert.setArray(1, connection.createArrayOf("bigint", minutes));
    upsert.setArray(2, connection.createArrayOf("text", services));
    upsert.setArray(3, connection.createArrayOf("text", operations));
    upsert.setArray(4, connection.createArrayOf("int4", kinds));
    upsert.setArray(5, connection.createArrayOf("int4", statuses));
    upsert.setArray(6, connection.createArrayOf("bigint", calls));
    upsert.setArray(7, connection.createArrayOf("bigint", errors));
    upsert.setArray(8, connection.createArrayOf("bigint", zeros));
    upsert.setArray(9, connection.createArrayOf("float8", sums));
    upsert.setArray(10, connection.createArrayOf("int4", offsets));
    upsert.setArray(11, connection.createArrayOf("text", counts));
  }

  /**
   * Folds the slots of the minutes before {@code before} into one row per minute and operation
   * (partition maintenance, as the owner): writers add to the minutes of now, and a minute has a
   * row per ingest session that wrote it until then. A late span's writer adds a row of its slot
   * again, folded by the next maintenance.
   */
  static void foldSlotsBefore(DataSource owner, Instant before) {
    try (Connection c = owner.getConnection();
        PreparedStatement fold = c.prepareStatement(FOLD)) {
      fold.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
      fold.executeUpdate();
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate("folding operation rollups", e);
    }
  }

  /**
   * The bucket counts as an array literal: the counts of the rollups differ in length, and an SQL
   * array of arrays must be rectangular, so each travels as text and is cast back.
   */
  static String arrayLiteral(long[] counts) {
    StringBuilder literal = new StringBuilder(counts.length * 3 + 2).append('{');
    for (int i = 0; i < counts.length; i++) {
      if (i > 0) {
        literal.append(',');
      }
      literal.append(counts[i]);
    }
    return literal.append('}').toString();
  }
}
