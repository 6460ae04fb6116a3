package dev.glust.adapter.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the indexes that serve only reads on the partitions that no longer receive writes. A
 * partition is <em>sealed</em> once its range has ended plus {@link PartitionSettings#sealAfter()}
 * (the grace period for late records); until then it carries only the indexes ingest and the cheap
 * queries need, so writes pay no GIN upkeep. Queries need no change: the planner uses each
 * partition's own indexes.
 *
 * <p>Each index is built with {@code CREATE INDEX CONCURRENTLY} on the partition itself (never on
 * the parent, which would clone it onto every new, hot partition), one at a time, on an autocommit
 * connection: writes and queries go on meanwhile. An invalid index left by an interrupted build is
 * dropped and built again. One session-level advisory lock keeps instances sharing a database from
 * building the same index twice.
 */
final class PartitionSealer {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionSealer.class);

  /** The sealer's advisory lock ("gseal" in ASCII), apart from partition changes'. */
  static final long LOCK_KEY = 0x677365616cL;

  /** How often a sealing call that waits for another instance's tries the lock again. */
  private static final long LOCK_RETRY_MILLIS = 200;

  /** An index that serves only reads, built on each sealed partition of {@code table}. */
  record ReadIndex(String table, String suffix, String method) {
    String nameOn(String partition) {
      return partition + "_" + suffix;
    }
  }

  static final List<ReadIndex> READ_INDEXES =
      List.of(
          new ReadIndex("spans", "attributes_gin", "USING gin (attributes jsonb_path_ops)"),
          new ReadIndex("logs", "attributes_gin", "USING gin (log_attributes jsonb_path_ops)"),
          new ReadIndex("logs", "body_trgm", "USING gin ((body #>> '{}') gin_trgm_ops)"));

  /** The partitions of one table whose upper bound lies at or before a time. */
  private static final String PARTITIONS_ENDED_BY =
      "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
          + " WHERE i.inhparent = ?::regclass"
          + " AND substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \\(''([^'']+)''\\)')"
          + "::timestamptz <= ? ORDER BY c.relname";

  /** Whether an index is valid; no row when it does not exist. */
  private static final String VALIDITY =
      "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(?)";

  private final DataSource dataSource;
  private final Duration sealAfter;
  private final Clock clock;
  private final AtomicLong sealed = new AtomicLong();
  private final AtomicLong awaiting = new AtomicLong();

  PartitionSealer(DataSource dataSource, Duration sealAfter, Clock clock) {
    this.dataSource = dataSource;
    this.sealAfter = sealAfter;
    this.clock = clock;
  }

  /**
   * Builds the missing or invalid read indexes of every partition due to be sealed, one at a time.
   *
   * @param waitForOthers wait for another instance's sealing to end (then find what is left);
   *     otherwise return at once when one is sealing
   * @return the partitions sealed by this call
   */
  int sealDue(boolean waitForOthers) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true); // CREATE INDEX CONCURRENTLY cannot run in a transaction
      if (!lock(connection, waitForOthers)) {
        return 0;
      }
      try {
        return sealAll(connection);
      } finally {
        try (Statement statement = connection.createStatement()) {
          statement.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
        }
      }
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate("sealing partitions", e);
    }
  }

  private int sealAll(Connection connection) throws SQLException {
    List<Unsealed> due = unsealed(connection);
    awaiting.set(due.size());
    int done = 0;
    for (Unsealed partition : due) {
      try {
        seal(connection, partition);
        sealed.incrementAndGet();
        done++;
      } catch (SQLException e) {
        // e.g. dropped by retention meanwhile; the next run looks again
        LOG.warn("could not seal partition {}: {}", partition.name(), e.getMessage());
      }
      awaiting.decrementAndGet();
    }
    return done;
  }

  /**
   * Takes the sealer's lock, trying again while another session holds it when {@code wait}. Never
   * by waiting inside {@code pg_advisory_lock}: the waiting statement holds a snapshot, which the
   * holder's {@code CREATE INDEX CONCURRENTLY} waits for in turn, a deadlock.
   */
  private static boolean lock(Connection connection, boolean wait) throws SQLException {
    while (!tryLock(connection)) {
      if (!wait) {
        return false;
      }
      try {
        Thread.sleep(LOCK_RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static boolean tryLock(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  /** A partition due to be sealed and the read indexes it lacks, or has only invalid. */
  private record Unsealed(String name, List<ReadIndex> missing, List<ReadIndex> invalid) {}

  private List<Unsealed> unsealed(Connection connection) throws SQLException {
    OffsetDateTime endedBy = OffsetDateTime.now(clock).minus(sealAfter);
    List<Unsealed> due = new ArrayList<>();
    for (String table : List.of("spans", "logs")) {
      for (String partition : partitionsEndedBy(connection, table, endedBy)) {
        List<ReadIndex> missing = new ArrayList<>();
        List<ReadIndex> invalid = new ArrayList<>();
        for (ReadIndex index : READ_INDEXES) {
          if (!index.table().equals(table)) {
            continue;
          }
          Boolean valid = validity(connection, index.nameOn(partition));
          if (valid == null) {
            missing.add(index);
          } else if (!valid) {
            invalid.add(index);
          }
        }
        if (!missing.isEmpty() || !invalid.isEmpty()) {
          due.add(new Unsealed(partition, missing, invalid));
        }
      }
    }
    return due;
  }

  private void seal(Connection connection, Unsealed partition) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (ReadIndex index : partition.invalid()) {
        LOG.info(
            "dropping invalid index {} (an interrupted build)", index.nameOn(partition.name()));
        statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index.nameOn(partition.name()));
      }
      List<ReadIndex> build = new ArrayList<>(partition.invalid());
      build.addAll(partition.missing());
      for (ReadIndex index : build) {
        statement.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS "
                + index.nameOn(partition.name())
                + " ON "
                + partition.name()
                + " "
                + index.method());
      }
    }
    LOG.info("sealed partition {}: built its read indexes", partition.name());
  }

  private static List<String> partitionsEndedBy(
      Connection connection, String table, OffsetDateTime endedBy) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(PARTITIONS_ENDED_BY)) {
      query.setString(1, table);
      query.setObject(2, endedBy.withOffsetSameInstant(ZoneOffset.UTC));
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  private static Boolean validity(Connection connection, String index) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(VALIDITY)) {
      query.setString(1, index);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? rs.getBoolean(1) : null;
      }
    }
  }

  /** Partitions this instance sealed. */
  long partitionsSealed() {
    return sealed.get();
  }

  /**
   * Partitions due to be sealed that the last run found without their read indexes, less those it
   * has sealed since.
   */
  long partitionsAwaitingSeal() {
    return awaiting.get();
  }
}
