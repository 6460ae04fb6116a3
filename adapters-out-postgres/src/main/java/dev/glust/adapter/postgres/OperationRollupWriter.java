package dev.glust.adapter.postgres;

import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.OperationRollups;
import dev.glust.domain.trace.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends a span batch's {@link OperationRollups} to {@code operation_rollup_batches} (migration
 * V12), in the batch's transaction, after its rows: one row of arrays for all of them, which reads
 * and rewrites nothing. {@link OperationRollupFolder} adds the appended rows into {@code
 * operation_rollups} a few seconds later.
 */
final class OperationRollupWriter implements PostgresTelemetryWriter.Derived<Span> {
  private static final String APPEND =
      "INSERT INTO operation_rollup_batches (first_minute, last_minute, "
          + RollupBatchRow.COLUMNS
          + ") VALUES (to_timestamp(?), to_timestamp(?)"
          + ", ?".repeat(RollupBatchRow.COLUMN_COUNT)
          + ")";

  @Override
  public CopyBatchWriter.Identity<Span> identity() {
    return PostgresMapper.SPAN_IDENTITY;
  }

  /** Appends the rollups of {@code stored}, the spans the open transaction inserted. */
  @Override
  public void write(Connection connection, List<Span> stored) throws SQLException {
    if (stored.isEmpty()) {
      return; // a retry of spans stored already: counted when they were
    }
    List<OperationRollup> rollups = OperationRollups.of(stored);
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (OperationRollup rollup : rollups) {
      first = Math.min(first, rollup.minuteUnixNano());
      last = Math.max(last, rollup.minuteUnixNano());
    }
    try (PreparedStatement append = connection.prepareStatement(APPEND)) {
      append.setLong(1, first / 1_000_000_000L);
      append.setLong(2, last / 1_000_000_000L);
      RollupBatchRow.bind(append, 3, rollups);
      append.executeUpdate();
    }
  }
}
