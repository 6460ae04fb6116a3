package dev.glust.adapter.postgres;

import dev.glust.domain.performance.OperationKey;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.SpanDurations;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * A span batch's rollups as one row of {@code operation_rollup_batches} (migration V12): parallel
 * arrays with one element per minute and operation, and each rollup's non-empty duration buckets
 * one after the other ({@code bucket_ends} cumulative, so rollup {@code j}'s buckets are elements
 * {@code ends[j-1]} to {@code ends[j] - 1} of {@code bucket_indexes} and {@code bucket_counts}).
 */
final class RollupBatchRow {
  /** The columns {@link #bind} binds and {@link #read} reads, in their order. */
  static final String COLUMNS =
      "minutes, services, operations, span_kinds, status_codes, calls, errors, zero_counts,"
          + " sums_millis, bucket_ends, bucket_indexes, bucket_counts";

  static final int COLUMN_COUNT = 12;

  private RollupBatchRow() {}

  /** Binds {@code rollups} to {@link #COLUMNS}' parameters, the first at {@code first}. */
  static void bind(PreparedStatement statement, int first, List<OperationRollup> rollups)
      throws SQLException {
    int n = rollups.size();
    long[] minutes = new long[n];
    String[] services = new String[n];
    String[] operations = new String[n];
    short[] kinds = new short[n];
    short[] statuses = new short[n];
    int[] calls = new int[n];
    int[] errors = new int[n];
    int[] zeros = new int[n];
    double[] sums = new double[n];
    int[] ends = new int[n];
    IntList indexes = new IntList();
    IntList counts = new IntList();
    for (int i = 0; i < n; i++) {
      OperationRollup rollup = rollups.get(i);
      OperationKey key = rollup.key();
      SpanDurations durations = rollup.durations();
      minutes[i] = rollup.minuteUnixNano() / 1_000_000_000L;
      services[i] = key.service();
      operations[i] = key.operation();
      kinds[i] = (short) key.kind().code();
      statuses[i] = (short) key.status().code();
      calls[i] = Math.toIntExact(rollup.calls());
      errors[i] = Math.toIntExact(rollup.errors());
      zeros[i] = Math.toIntExact(durations.zeroCount());
      sums[i] = durations.sumMillis();
      long[] bucketCounts = durations.counts();
      for (int b = 0; b < bucketCounts.length; b++) {
        if (bucketCounts[b] != 0) {
          indexes.add(durations.offset() + b);
          counts.add(Math.toIntExact(bucketCounts[b]));
        }
      }
      ends[i] = indexes.size();
    }
    // pgjdbc's own createArrayOf takes primitive arrays, unboxed
    PGConnection c = statement.getConnection().unwrap(PGConnection.class);
    statement.setArray(first, c.createArrayOf("int8", minutes));
    statement.setArray(first + 1, c.createArrayOf("text", services));
    statement.setArray(first + 2, c.createArrayOf("text", operations));
    statement.setArray(first + 3, c.createArrayOf("int2", kinds));
    statement.setArray(first + 4, c.createArrayOf("int2", statuses));
    statement.setArray(first + 5, c.createArrayOf("int4", calls));
    statement.setArray(first + 6, c.createArrayOf("int4", errors));
    statement.setArray(first + 7, c.createArrayOf("int4", zeros));
    statement.setArray(first + 8, c.createArrayOf("float8", sums));
    statement.setArray(first + 9, c.createArrayOf("int4", ends));
    statement.setArray(first + 10, c.createArrayOf("int4", indexes.toArray()));
    statement.setArray(first + 11, c.createArrayOf("int4", counts.toArray()));
  }

  /** The rollups of a row whose {@link #COLUMNS} start at column {@code first}. */
  static List<OperationRollup> read(ResultSet row, int first) throws SQLException {
    Object[] minutes = elements(row, first);
    Object[] services = elements(row, first + 1);
    Object[] operations = elements(row, first + 2);
    Object[] kinds = elements(row, first + 3);
    Object[] statuses = elements(row, first + 4);
    Object[] calls = elements(row, first + 5);
    Object[] errors = elements(row, first + 6);
    Object[] zeros = elements(row, first + 7);
    Object[] sums = elements(row, first + 8);
    Object[] ends = elements(row, first + 9);
    Object[] indexes = elements(row, first + 10);
    Object[] counts = elements(row, first + 11);
    List<OperationRollup> rollups = new ArrayList<>(minutes.length);
    int start = 0;
    for (int i = 0; i < minutes.length; i++) {
      int end = number(ends[i]).intValue();
      rollups.add(
          new OperationRollup(
              number(minutes[i]).longValue() * 1_000_000_000L,
              new OperationKey(
                  (String) services[i],
                  (String) operations[i],
                  SpanKind.fromCode(number(kinds[i]).intValue()),
                  SpanStatus.Code.fromCode(number(statuses[i]).intValue())),
              number(calls[i]).longValue(),
              number(errors[i]).longValue(),
              durations(
                  number(zeros[i]).longValue(),
                  number(sums[i]).doubleValue(),
                  indexes,
                  counts,
                  start,
                  end)));
      start = end;
    }
    return rollups;
  }

  /** The histogram of buckets {@code [start, end)} of the sparse arrays, as dense counts. */
  private static SpanDurations durations(
      long zeros, double sumMillis, Object[] indexes, Object[] counts, int start, int end) {
    if (start == end) {
      return new SpanDurations(zeros, 0, new long[0], sumMillis);
    }
    int offset = number(indexes[start]).intValue();
    long[] dense = new long[number(indexes[end - 1]).intValue() - offset + 1];
    for (int i = start; i < end; i++) {
      dense[number(indexes[i]).intValue() - offset] += number(counts[i]).longValue();
    }
    return new SpanDurations(zeros, offset, dense, sumMillis);
  }

  private static Object[] elements(ResultSet row, int column) throws SQLException {
    Array array = row.getArray(column);
    return (Object[]) array.getArray();
  }

  private static Number number(Object element) {
    return (Number) element;
  }

  /** A growing array of ints (no boxing: a batch has up to one bucket per span). */
  private static final class IntList {
    private int[] values = new int[64];
    private int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
