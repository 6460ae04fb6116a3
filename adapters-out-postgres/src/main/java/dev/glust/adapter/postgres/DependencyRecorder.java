package dev.glust.adapter.postgres;

import dev.glust.domain.performance.DependencyRollup;
import dev.glust.domain.performance.ServiceDependencies;
import dev.glust.domain.performance.ServiceDependencies.PendingChild;
import dev.glust.domain.trace.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The service dependencies a span batch shows (migration V11), written in the batch's own
 * transaction, after its rows, so that they count exactly the spans that committed: the calls whose
 * parent is in the batch added to this session's slot of {@code dependency_rollups}, and the other
 * children added to {@code pending_children} for the {@link DependencyMatcher}. One statement, one
 * round trip; none when the batch shows neither.
 */
final class DependencyRecorder {
  /**
   * Both in one statement. The rollups come sorted (minute, parent, child): two sessions never
   * upsert one row (the slot is the session's backend pid), and the order keeps it so should a slot
   * ever be shared.
   */
  private static final String RECORD =
      "WITH counted AS (INSERT INTO dependency_rollups AS d"
          + " (minute, slot, parent_service, child_service, calls, errors)"
          + " SELECT TIMESTAMPTZ 'epoch' + r.minute_seconds * INTERVAL '1 second', pg_backend_pid(),"
          + " r.parent, r.child, r.calls, r.errors"
          + " FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])"
          + " AS r(minute_seconds, parent, child, calls, errors)"
          + " ON CONFLICT (tenant_id, minute, parent_service, child_service, slot) DO UPDATE"
          + " SET calls = d.calls + EXCLUDED.calls, errors = d.errors + EXCLUDED.errors)"
          + " INSERT INTO pending_children"
          + " (probe_at, child_start, error, trace_id, parent_span_id, child_service)"
          + " SELECT ?, TIMESTAMPTZ 'epoch' + p.start_micros * INTERVAL '1 microsecond',"
          + " p.error, p.trace_id, p.parent_span_id, p.child_service"
          + " FROM unnest(?::bigint[], ?::boolean[], ?::bytea[], ?::bytea[], ?::text[])"
          + " AS p(start_micros, error, trace_id, parent_span_id, child_service)";

  private final Clock clock;

  DependencyRecorder(Clock clock) {
    this.clock = clock;
  }

  /**
   * Records what {@code stored}, the spans of a batch that {@code connection}'s open transaction
   * has just inserted (not those a retry found stored already), show.
   */
  void record(Connection connection, List<Span> stored) throws SQLException {
    ServiceDependencies.Found found = ServiceDependencies.in(stored);
    List<DependencyRollup> rollups = found.rollups();
    List<PendingChild> pending = found.pendingChildren();
    if (rollups.isEmpty() && pending.isEmpty()) {
      return; // the usual batch of one service: its parents are its own
    }
    int r = rollups.size();
    Long[] minutes = new Long[r];
    String[] parents = new String[r];
    String[] children = new String[r];
    Long[] calls = new Long[r];
    Long[] errors = new Long[r];
    for (int i = 0; i < r; i++) {
      DependencyRollup rollup = rollups.get(i);
      minutes[i] = rollup.minuteUnixNano() / 1_000_000_000L;
      parents[i] = rollup.parent();
      children[i] = rollup.child();
      calls[i] = rollup.calls();
      errors[i] = rollup.errors();
    }
    int p = pending.size();
    Long[] starts = new Long[p];
    Boolean[] failed = new Boolean[p];
    byte[][] traces = new byte[p][];
    byte[][] parentSpans = new byte[p][];
    String[] childServices = new String[p];
    for (int i = 0; i < p; i++) {
      PendingChild child = pending.get(i);
      starts[i] = PostgresPartitions.timeMicros(child.childStartUnixNano());
      failed[i] = child.error();
      traces[i] = child.traceId().toBytes();
      parentSpans[i] = child.parentSpanId().toBytes();
      childServices[i] = child.childService();
    }
    try (PreparedStatement statement = connection.prepareStatement(RECORD)) {
      statement.setArray(1, connection.createArrayOf("bigint", minutes));
      statement.setArray(2, connection.createArrayOf("text", parents));
      statement.setArray(3, connection.createArrayOf("text", children));
      statement.setArray(4, connection.createArrayOf("bigint", calls));
      statement.setArray(5, connection.createArrayOf("bigint", errors));
      statement.setObject(
          6,
          OffsetDateTime.ofInstant(
              clock.instant().plus(DependencyMatcher.FIRST_PROBE_AFTER), ZoneOffset.UTC));
      statement.setArray(7, connection.createArrayOf("bigint", starts));
      statement.setArray(8, connection.createArrayOf("boolean", failed));
      statement.setArray(9, connection.createArrayOf("bytea", traces));
      statement.setArray(10, connection.createArrayOf("bytea", parentSpans));
      statement.setArray(11, connection.createArrayOf("text", childServices));
      statement.executeUpdate();
    }
  }
}
