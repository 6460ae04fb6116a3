package dev.glust.adapter.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Finds the parents of the children a span batch left pending ({@link DependencyRecorder}), through
 * the database, so that a parent stored by another request, batch, writer or instance is found: a
 * child is probed once {@link #FIRST_PROBE_AFTER} after it arrived (time for its parent, which ends
 * after it and is exported after it, to come), and once more {@link #LAST_PROBE_AFTER} after it
 * arrived if its parent was not there yet. A parent of another service makes a call from the
 * parent's service to the child's, added to {@code dependency_rollups} in the child's minute; a
 * child matched, or probed twice, is deleted. So a pending child costs at most two index probes of
 * {@code spans}, however many never find their parent (counted as {@link #parentsMissing()}).
 *
 * <p>One pass takes each tenant in turn (row-level security: the tenant's transaction sees only its
 * spans, so a parent of another tenant never matches), {@link #BATCH} due children per transaction,
 * locked with {@code SKIP LOCKED} so that instances sharing the database never probe one child
 * twice. It runs as the service role, on the ingest pool.
 */
final class DependencyMatcher {
  /** How long after a child arrived its parent is first looked for. */
  static final Duration FIRST_PROBE_AFTER = Duration.ofSeconds(30);

  /** How long after a child arrived its parent is looked for the second and last time. */
  static final Duration LAST_PROBE_AFTER = Duration.ofMinutes(5);

  /** How often a pass runs (on the storage's schedule). */
  static final Duration EVERY = Duration.ofSeconds(10);

  /**
   * Where a parent's start may lie around its child's: long before (a long request; a message
   * consumed hours after it was produced), or a little after (the two hosts' clocks differ). The
   * bounds let PostgreSQL probe the identity index of the few partitions in between only.
   */
  static final Duration PARENT_STARTED_BEFORE = Duration.ofDays(1);

  static final Duration PARENT_STARTED_AFTER = Duration.ofHours(1);

  /** Children one transaction probes at most. */
  static final int BATCH = 10_000;

  /**
   * The service of the parent of the pending child {@code due}, by the identity index of the
   * partitions its start may lie in (the window's two bounds are parameters).
   */
  static final String PARENT_SERVICE =
      "SELECT s.service_name FROM spans s"
          + " WHERE s.tenant_id = glust_tenant() AND s.trace_id = due.trace_id"
          + " AND s.span_id = due.parent_span_id"
          + " AND s.start_time BETWEEN due.child_start - ?::interval"
          + " AND due.child_start + ?::interval LIMIT 1";

  /**
   * One batch of a tenant's due children, probed, counted, then deleted or left for their second
   * probe; returns how many it probed, gave up and deleted. The CTE {@code probed} is read several
   * times, so it is materialized: each parent is looked up once. (The data-modifying CTEs run to
   * completion whether read or not.)
   */
  private static final String MATCH =
      "WITH due AS (SELECT ctid AS row_id, trace_id, parent_span_id, child_service, child_start,"
          + " error, probes FROM pending_children"
          + " WHERE tenant_id = glust_tenant() AND probe_at <= ?"
          + " ORDER BY probe_at LIMIT ? FOR UPDATE SKIP LOCKED),"
          + " probed AS (SELECT due.*, ("
          + PARENT_SERVICE
          + ") AS parent_service FROM due),"
          + " counted AS (INSERT INTO dependency_rollups AS d"
          + " (minute, slot, parent_service, child_service, calls, errors)"
          + " SELECT date_bin('1 minute', child_start, TIMESTAMPTZ 'epoch') AS minute,"
          + " pg_backend_pid(), parent_service, child_service, count(*), count(*) FILTER (WHERE"
          + " error) FROM probed WHERE parent_service <> child_service"
          + " GROUP BY 1, 3, 4 ORDER BY 1, 3, 4"
          + " ON CONFLICT (tenant_id, minute, parent_service, child_service, slot) DO UPDATE"
          + " SET calls = d.calls + EXCLUDED.calls, errors = d.errors + EXCLUDED.errors),"
          + " done AS (DELETE FROM pending_children WHERE ctid = ANY(ARRAY(SELECT row_id"
          + " FROM probed WHERE parent_service IS NOT NULL OR probes > 0)) RETURNING 1),"
          + " waiting AS (UPDATE pending_children SET probes = probes + 1, probe_at = probe_at + ?"
          + "::interval WHERE ctid = ANY(ARRAY(SELECT row_id FROM probed"
          + " WHERE parent_service IS NULL AND probes = 0)))"
          + " SELECT (SELECT count(*) FROM probed),"
          + " (SELECT count(*) FROM probed WHERE parent_service IS NULL AND probes > 0),"
          + " (SELECT count(*) FROM done)";

  private final DataSource dataSource;
  private final AtomicLong parentsMissing = new AtomicLong();
  private final AtomicLong childrenMatched = new AtomicLong();

  /**
   * @param dataSource the service role's connections (the ingest pool)
   */
  DependencyMatcher(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Probes every tenant's children due at {@code now}: those that arrived {@link
   * #FIRST_PROBE_AFTER} before it (or {@link #LAST_PROBE_AFTER}, for their second probe).
   */
  void matchDue(Instant now) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      for (short tenant : tenants(connection)) {
        while (matchBatch(connection, tenant, now) == BATCH) {
          // a full batch: more may be due
        }
      }
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate("matching pending children with their parents", e);
    }
  }

  /** The ids of every tenant that has written. */
  private static List<Short> tenants(Connection connection) throws SQLException {
    List<Short> tenants = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT tenant_id FROM tenants ORDER BY tenant_id")) {
      while (rs.next()) {
        tenants.add(rs.getShort(1));
      }
    }
    connection.commit();
    return tenants;
  }

  /** One transaction of one tenant; returns how many children it probed. */
  private int matchBatch(Connection connection, short tenant, Instant now) throws SQLException {
    try {
      TenantScope.enterById(connection, tenant);
      int probed;
      try (PreparedStatement match = connection.prepareStatement(MATCH)) {
        match.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        match.setInt(2, BATCH);
        match.setString(3, PARENT_STARTED_BEFORE.toString());
        match.setString(4, PARENT_STARTED_AFTER.toString());
        match.setString(5, LAST_PROBE_AFTER.minus(FIRST_PROBE_AFTER).toString());
        try (ResultSet rs = match.executeQuery()) {
          rs.next();
          probed = rs.getInt(1);
          connection.commit();
          parentsMissing.addAndGet(rs.getLong(2));
          childrenMatched.addAndGet(rs.getLong(3) - rs.getLong(2));
        }
      }
      return probed;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
  }

  /** Pending children this instance deleted after their second probe found no parent. */
  long parentsMissing() {
    return parentsMissing.get();
  }

  /** Pending children this instance found the parent of (of any service). */
  long childrenMatched() {
    return childrenMatched.get();
  }
}
