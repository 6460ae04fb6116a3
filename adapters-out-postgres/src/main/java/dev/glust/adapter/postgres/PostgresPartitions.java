package dev.glust.adapter.postgres;

import dev.glust.application.port.out.StorageRejectedException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time partitions of {@code spans}, {@code logs} and the metric point tables. Partitions cover
 * {@link PartitionSettings#interval()}-long ranges aligned on the unix epoch (UTC days by default);
 * they are created ahead of time, on demand for late or early records (within bounds: see {@link
 * #coverBatch}), and dropped whole when older than the retention: expiry never deletes row by row.
 *
 * <p>Every change happens under one transaction-scoped advisory lock and after re-reading the
 * catalog, so several Glust instances on one database (or several writers in one) never race to
 * create or drop the same partition.
 */
final class PostgresPartitions {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresPartitions.class);
  static final String METRIC_POINTS_PREFIX = "metric_points_";

  /** The point tables, one per metric kind (migration V4). */
  static final List<String> METRIC_POINT_TABLES =
      List.of(
          "metric_points_number",
          "metric_points_histogram",
          "metric_points_exp_histogram",
          "metric_points_summary");

  static final List<String> TABLES =
      List.of(
          "spans",
          "logs",
          METRIC_POINT_TABLES.get(0),
          METRIC_POINT_TABLES.get(1),
          METRIC_POINT_TABLES.get(2),
          METRIC_POINT_TABLES.get(3));

  /**
   * How long a series outlives the retention of its points: its {@code last_seen} lags its last
   * write by up to an hour (see PostgresMetricWriter), and a point may lie an hour (the default
   * clock skew allowance) after its arrival. A series with points still kept is never deleted.
   */
  static final Duration SERIES_GRACE = Duration.ofHours(2);

  /** The advisory lock every partition change takes ("glust" in ASCII). */
  private static final long LOCK_KEY = 0x676c757374L;

  private static final Pattern BOUNDS =
      Pattern.compile("FOR VALUES FROM \\('([^']+)'\\) TO \\('([^']+)'\\)");
  private static final DateTimeFormatter CATALOG_TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.MICRO_OF_SECOND, 1, 6, true)
          .optionalEnd()
          .appendPattern("X")
          .toFormatter();
  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmm").withZone(ZoneOffset.UTC);

  private final DataSource dataSource;
  private final PartitionSettings settings;
  private final Clock clock;
  private final long intervalMicros;

  /** Partition ranges known to exist, per table: lower bound → upper bound (unix micros). */
  private final Map<String, NavigableMap<Long, Long>> known = new ConcurrentHashMap<>();

  private final AtomicLong created = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong seriesDeleted = new AtomicLong();

  PostgresPartitions(DataSource dataSource, PartitionSettings settings, Clock clock) {
    this.dataSource = dataSource;
    this.settings = settings;
    this.clock = clock;
    this.intervalMicros = settings.interval().toNanos() / 1000;
  }

  /** Creates the partitions that should exist by now, then drops the expired ones. */
  void maintain() {
    long now = nowMicros();
    for (String table : TABLES) {
      long[] ahead = new long[settings.ahead() + 1];
      for (int i = 0; i < ahead.length; i++) {
        ahead[i] = now + i * intervalMicros;
      }
      cover(table, ahead, false);
      if (!settings.retentionOf(table).isZero()) {
        dropOlderThan(table, now - settings.retentionOf(table).toNanos() / 1000);
      }
    }
    if (!settings.metricsRetention().isZero()) {
      deleteSeriesUnseenSince(instant(now).minus(settings.metricsRetention()).minus(SERIES_GRACE));
    }
  }

  /** Deletes the metric series not written to since {@code cutoff} (row by row: few rows). */
  void deleteSeriesUnseenSince(Instant cutoff) {
    inLockedTransaction(
        connection -> {
          try (java.sql.PreparedStatement delete =
              connection.prepareStatement("DELETE FROM metric_series WHERE last_seen < ?")) {
            delete.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            int deleted = delete.executeUpdate();
            seriesDeleted.addAndGet(deleted);
            if (deleted > 0) {
              LOG.info("retention: deleted {} metric series unseen since {}", deleted, cutoff);
            }
          }
        });
  }

  long seriesDeleted() {
    return seriesDeleted.get();
  }

  /**
   * Makes sure that a partition of {@code table} holds each of these times (unix micros) of one
   * batch. Creating partitions locks the whole table, so a batch may have at most {@link
   * PartitionSettings#maxNewPerBatch()} made, none beyond those kept ahead of now plus the clock
   * skew; otherwise it is refused whole and nothing is created.
   *
   * @throws StorageRejectedException when the batch would need more or later partitions
   */
  void coverBatch(String table, long[] timesMicros) {
    cover(table, timesMicros, true);
  }

  private void cover(String table, long[] timesMicros, boolean asBatch) {
    NavigableMap<Long, Long> ranges = known.get(table);
    if (ranges != null && allCovered(ranges, timesMicros)) {
      return; // the hot path of every batch: no database work
    }
    inLockedTransaction(
        connection -> {
          NavigableMap<Long, Long> current = readRanges(connection, table);
          NavigableMap<Long, Long> missing = missing(current, timesMicros);
          if (asBatch) {
            requireAllowedForOneBatch(table, missing);
          }
          try (Statement statement = connection.createStatement()) {
            for (Map.Entry<Long, Long> range : missing.entrySet()) {
              create(statement, table, range.getKey(), range.getValue());
              current.put(range.getKey(), range.getValue());
            }
          }
          known.put(table, current);
        });
  }

  /**
   * The ranges to create so that every time is covered: each the aligned interval around a time,
   * cut where an existing neighbour (e.g. of an older interval) begins or ends.
   */
  private NavigableMap<Long, Long> missing(NavigableMap<Long, Long> existing, long[] timesMicros) {
    NavigableMap<Long, Long> planned = new TreeMap<>(existing);
    NavigableMap<Long, Long> missing = new TreeMap<>();
    for (long time : timesMicros) {
      if (covered(planned, time)) {
        continue;
      }
      long lower = Math.floorDiv(time, intervalMicros) * intervalMicros;
      long upper = lower + intervalMicros;
      Map.Entry<Long, Long> before = planned.floorEntry(time);
      if (before != null) {
        lower = Math.max(lower, before.getValue());
      }
      Long after = planned.higherKey(time);
      if (after != null) {
        upper = Math.min(upper, after);
      }
      planned.put(lower, upper);
      missing.put(lower, upper);
    }
    return missing;
  }

  private void requireAllowedForOneBatch(String table, NavigableMap<Long, Long> missing) {
    if (missing.size() > settings.maxNewPerBatch()) {
      throw new StorageRejectedException(
          "the batch's records lie in "
              + missing.size()
              + " new partitions of "
              + table
              + " (from "
              + instant(missing.firstKey())
              + " to "
              + instant(missing.lastEntry().getValue())
              + "); at most "
              + settings.maxNewPerBatch()
              + " may be created for one batch",
          null);
    }
    long horizon = horizonMicros();
    if (!missing.isEmpty() && missing.lastEntry().getValue() > horizon) {
      throw new StorageRejectedException(
          "a record of the batch at or after "
              + instant(Math.max(horizon, missing.lastKey()))
              + " lies beyond the partitions kept ahead of now (until "
              + instant(horizon)
              + ")",
          null);
    }
  }

  /**
   * The end of the last partition a record may need: the one holding now plus the clock skew, and
   * as many after it as are kept ahead.
   */
  private long horizonMicros() {
    long latest = nowMicros() + settings.maxClockSkew().toNanos() / 1000;
    return (Math.floorDiv(latest, intervalMicros) + settings.ahead() + 1) * intervalMicros;
  }

  /**
   * The earliest time (unix micros) retention keeps now: older records would land in a partition
   * that retention drops, so they are not stored at all rather than stored and dropped moments
   * later. {@link Long#MIN_VALUE} when {@code table} is kept forever.
   */
  long keptFrom(String table) {
    Duration retention = settings.retentionOf(table);
    if (retention.isZero()) {
      return Long.MIN_VALUE;
    }
    // a partition is dropped once its end is at or before the cutoff: keep from the cutoff's start
    long cutoff = nowMicros() - retention.toNanos() / 1000;
    return Math.floorDiv(cutoff, intervalMicros) * intervalMicros;
  }

  /** Forgets what is known of {@code table}'s partitions, e.g. after one was dropped under us. */
  void forget(String table) {
    known.remove(table);
  }

  /** Drops the partitions of {@code table} that end at or before {@code cutoffMicros}. */
  void dropOlderThan(String table, long cutoffMicros) {
    inLockedTransaction(
        connection -> {
          NavigableMap<Long, Long> current = readRanges(connection, table);
          try (Statement statement = connection.createStatement()) {
            for (Map.Entry<Long, Long> range : List.copyOf(current.entrySet())) {
              if (range.getValue() <= cutoffMicros) {
                String name = partitionName(table, range.getKey());
                statement.execute("DROP TABLE " + name);
                current.remove(range.getKey());
                dropped.incrementAndGet();
                LOG.info(
                    "retention: dropped partition {} ({} to {})",
                    name,
                    instant(range.getKey()),
                    instant(range.getValue()));
              }
            }
          }
          known.put(table, current);
        });
  }

  long partitionsCreated() {
    return created.get();
  }

  long partitionsDropped() {
    return dropped.get();
  }

  /** The partitions of {@code table} as the catalog has them: lower bound → upper bound. */
  NavigableMap<Long, Long> ranges(String table) {
    NavigableMap<Long, Long> ranges = new TreeMap<>();
    inLockedTransaction(connection -> ranges.putAll(readRanges(connection, table)));
    return ranges;
  }

  private void create(Statement statement, String table, long lower, long upper)
      throws SQLException {
    String name = partitionName(table, lower);
    statement.execute(
        "CREATE TABLE "
            + name
            + " PARTITION OF "
            + table
            + " FOR VALUES FROM ('"
            + instant(lower)
            + "') TO ('"
            + instant(upper)
            + "')");
    created.incrementAndGet();
    LOG.info("created partition {} ({} to {})", name, instant(lower), instant(upper));
  }

  private static NavigableMap<Long, Long> readRanges(Connection connection, String table)
      throws SQLException {
    NavigableMap<Long, Long> ranges = new TreeMap<>();
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET LOCAL TIME ZONE 'UTC'"); // bounds are printed in the session's zone
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
                  + " JOIN pg_class c ON c.oid = i.inhrelid"
                  + " WHERE i.inhparent = '"
                  + table
                  + "'::regclass")) {
        while (rs.next()) {
          Matcher bounds = BOUNDS.matcher(rs.getString(1));
          if (bounds.find()) {
            ranges.put(micros(bounds.group(1)), micros(bounds.group(2)));
          }
        }
      }
    }
    return ranges;
  }

  private interface Work {
    void run(Connection connection) throws SQLException;
  }

  private void inLockedTransaction(Work work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
        // DDL on a partitioned table waits for its readers; never hold up the writers for long.
        statement.execute("SET LOCAL lock_timeout = '5s'");
        work.run(connection);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackKeeping(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate("maintaining partitions", e);
    }
  }

  /**
   * Rolls back; when that fails too (the connection broke), the first error is the one that tells
   * why (e.g. an I/O error: the database is away), so the rollback's joins it as suppressed.
   */
  private static void rollbackKeeping(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollback) {
      cause.addSuppressed(rollback);
    }
  }

  private static boolean allCovered(NavigableMap<Long, Long> ranges, long[] timesMicros) {
    for (long time : timesMicros) {
      if (!covered(ranges, time)) {
        return false;
      }
    }
    return true;
  }

  private static boolean covered(NavigableMap<Long, Long> ranges, long time) {
    Map.Entry<Long, Long> range = ranges.floorEntry(time);
    return range != null && time < range.getValue();
  }

  static String partitionName(String table, long lowerMicros) {
    return table + "_p" + NAME_TIME.format(instant(lowerMicros));
  }

  private long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /**
   * The partition key's time (unix micros, as the tables' timestamps hold it) of a unix-nano time.
   */
  static long timeMicros(long unixNano) {
    return Math.floorDiv(unixNano, 1000L);
  }

  private static long micros(String catalogTime) {
    return ChronoUnit.MICROS.between(
        Instant.EPOCH, OffsetDateTime.parse(catalogTime, CATALOG_TIME).toInstant());
  }
}
