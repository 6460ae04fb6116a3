package dev.glust.adapter.postgres;

import dev.glust.application.port.out.RetentionOverrides;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.domain.tenant.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
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
 * #coverBatch}), and dropped whole when older than the longest retention of any tenant (see {@link
 * RetentionOverrides#longest}). A tenant kept for less than that loses its older rows by DELETE, in
 * batches of {@link #DELETE_BATCH} rows, each its own short transaction.
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

  /**
   * Rows one retention DELETE removes at most: each batch is its own transaction under the advisory
   * lock, so neither a huge transaction nor a long hold-up of writers needing a new partition.
   */
  static final int DELETE_BATCH = 10_000;

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

  /** The role the writers connect as when it is not the owner: it may insert into partitions. */
  private final Optional<String> writerRole;

  /** Partition ranges known to exist, per table: lower bound → upper bound (unix micros). */
  private final Map<String, NavigableMap<Long, Long>> known = new ConcurrentHashMap<>();

  private final AtomicLong created = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong seriesDeleted = new AtomicLong();
  private final Map<String, AtomicLong> rowsDeleted =
      Map.of("traces", new AtomicLong(), "logs", new AtomicLong(), "metrics", new AtomicLong());
  private volatile RetentionOverrides overrides = RetentionOverrides.NONE;

  /**
   * @param dataSource the owner's connections (partition DDL)
   * @param writerRole the role the writers connect as, when not the owner: granted INSERT on every
   *     partition made
   */
  PostgresPartitions(
      DataSource dataSource, PartitionSettings settings, Clock clock, Optional<String> writerRole) {
    this.dataSource = dataSource;
    this.settings = settings;
    this.clock = clock;
    this.writerRole = writerRole;
    this.intervalMicros = settings.interval().toNanos() / 1000;
  }

  /**
   * Keeps these tenants' records for a time of their own from the next maintenance on (and stores
   * records as old as the longest of them meanwhile).
   */
  void applyRetention(RetentionOverrides newOverrides) {
    overrides = Objects.requireNonNull(newOverrides, "retention overrides");
  }

  /**
   * Creates the partitions that should exist by now, drops the expired ones, then deletes the rows
   * of each tenant kept for less than the partitions are, and the metric series unseen too long.
   */
  void maintain() {
    createAhead();
    long now = nowMicros();
    for (String table : TABLES) {
      if (!keptOf(table).isZero()) {
        dropOlderThan(table, now - micros(keptOf(table)));
      }
    }
    Map<Short, TenantId> tenants = tenants();
    for (String table : TABLES) {
      deleteRowsPastTheirTenantsRetention(table, tenants, now);
    }
    deleteExpiredRollups(tenants, now);
    deleteExpiredSeries(tenants, instant(now));
  }

  /**
   * Deletes, tenant by tenant, the operation rollups (migration V10) of the minutes whose spans are
   * gone: those ending at or before the tenant's own cutoff when rows of its spans are deleted, or
   * before the first span partition kept when partitions are dropped. One short statement per
   * tenant down the primary key (tenant, minute): the table has a row per operation and minute.
   */
  private void deleteExpiredRollups(Map<Short, TenantId> tenants, long now) {
    Duration kept = keptOf("spans");
    Duration global = settings.retentionOf("spans");
    Map<TenantId, Duration> own = overridesOf("spans");
    for (Map.Entry<Short, TenantId> tenant : tenants.entrySet()) {
      Duration retention = own.getOrDefault(tenant.getValue(), global);
      long cutoff;
      if (!retention.isZero() && (kept.isZero() || retention.compareTo(kept) < 0)) {
        cutoff = now - micros(retention); // its spans are deleted row by row
      } else if (!kept.isZero()) {
        cutoff = keptFrom("spans"); // its spans go with their partitions
      } else {
        continue; // kept for ever
      }
      long lastGoneMinute = cutoff - micros(Duration.ofMinutes(1));
      inLockedTransaction(
          connection -> {
            try (PreparedStatement delete =
                connection.prepareStatement(
                    "DELETE FROM operation_rollups WHERE tenant_id = ? AND minute <= ?")) {
              delete.setShort(1, tenant.getKey());
              delete.setObject(2, timestamp(instant(lastGoneMinute)));
              int deleted = delete.executeUpdate();
              if (deleted > 0) {
                LOG.info(
                    "retention: deleted {} operation rollups of tenant {} before {}",
                    deleted,
                    tenant.getValue(),
                    instant(cutoff));
              }
            }
          });
    }
  }

  /** Creates the partitions that should exist by now and those kept ahead. */
  void createAhead() {
    long now = nowMicros();
    for (String table : TABLES) {
      long[] ahead = new long[settings.ahead() + 1];
      for (int i = 0; i < ahead.length; i++) {
        ahead[i] = now + i * intervalMicros;
      }
      cover(table, ahead, false);
    }
  }

  /** The tenants whose retention of {@code table}'s signal is their own. */
  private Map<TenantId, Duration> overridesOf(String table) {
    RetentionOverrides current = overrides;
    return switch (signalOf(table)) {
      case "traces" -> current.traces();
      case "logs" -> current.logs();
      default -> current.metrics();
    };
  }

  private static String signalOf(String table) {
    if (table.startsWith(METRIC_POINTS_PREFIX)) {
      return "metrics";
    }
    return table.equals("spans") ? "traces" : "logs";
  }

  private static String timeColumnOf(String table) {
    return table.equals("spans") ? "start_time" : "timestamp";
  }

  /** How long {@code table}'s partitions are kept: zero for ever. */
  private Duration keptOf(String table) {
    return RetentionOverrides.longest(settings.retentionOf(table), overridesOf(table));
  }

  /**
   * Deletes, tenant by tenant, the rows of {@code table} older than the tenant's retention where
   * that is shorter than the partitions are kept: an override, or the global retention for the
   * tenants without one. Each tenant's DELETE walks the tenant-leading time index of the partitions
   * that begin before its cutoff.
   */
  private void deleteRowsPastTheirTenantsRetention(
      String table, Map<Short, TenantId> tenants, long now) {
    Duration kept = keptOf(table);
    Duration global = settings.retentionOf(table);
    Map<TenantId, Duration> own = overridesOf(table);
    for (Map.Entry<Short, TenantId> tenant : tenants.entrySet()) {
      Duration retention = own.getOrDefault(tenant.getValue(), global);
      if (retention.isZero() || (!kept.isZero() && retention.compareTo(kept) >= 0)) {
        continue; // kept for ever, or until its partition is dropped
      }
      long deleted = deleteRowsOlderThan(table, tenant.getKey(), now - micros(retention));
      if (deleted > 0) {
        rowsDeleted.get(signalOf(table)).addAndGet(deleted);
        LOG.info(
            "retention: deleted {} rows of tenant {} from {} older than {}",
            deleted,
            tenant.getValue(),
            table,
            retention);
      }
    }
  }

  /**
   * Deletes one tenant's rows of {@code table} older than {@code cutoffMicros}, partition by
   * partition (a partition carries no row-level security: the tenant is named in the condition) and
   * batch by batch. A partition dropped meanwhile by another instance is passed over.
   */
  private long deleteRowsOlderThan(String table, short tenantId, long cutoffMicros) {
    long deleted = 0;
    for (long lower : ranges(table).headMap(cutoffMicros, false).keySet()) {
      String partition = partitionName(table, lower);
      String delete =
          "DELETE FROM "
              + partition
              + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM "
              + partition
              + " WHERE tenant_id = ? AND "
              + timeColumnOf(table)
              + " < ? LIMIT "
              + DELETE_BATCH
              + "))";
      long batch;
      do {
        long[] count = new long[1];
        inLockedTransaction(
            connection -> {
              if (exists(connection, partition)) {
                try (PreparedStatement statement = connection.prepareStatement(delete)) {
                  statement.setShort(1, tenantId);
                  statement.setObject(2, timestamp(instant(cutoffMicros)));
                  count[0] = statement.executeUpdate();
                }
              }
            });
        batch = count[0];
        deleted += batch;
      } while (batch == DELETE_BATCH);
    }
    return deleted;
  }

  private static boolean exists(Connection connection, String relation) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      statement.setString(1, relation);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /**
   * Per tenant (by id), the time before which retention has taken its records of {@code table} now:
   * the cutoff of its own retention when that deletes its rows, else the start of the oldest
   * partition kept; a tenant kept for ever is left out. For what is kept as long as a tenant's
   * records (e.g. what was counted from them).
   */
  Map<Short, Instant> tenantsKeptFrom(String table) {
    Duration kept = keptOf(table);
    Duration global = settings.retentionOf(table);
    Map<TenantId, Duration> own = overridesOf(table);
    long now = nowMicros();
    Map<Short, Instant> keptFrom = new LinkedHashMap<>();
    tenants()
        .forEach(
            (id, tenant) -> {
              Duration retention = own.getOrDefault(tenant, global);
              if (!retention.isZero() && (kept.isZero() || retention.compareTo(kept) < 0)) {
                keptFrom.put(id, instant(now - micros(retention))); // rows deleted
              } else if (!kept.isZero()) {
                keptFrom.put(id, instant(keptFrom(table))); // partitions dropped
              }
            });
    return keptFrom;
  }

  /** Every tenant that has written: id → name (the owner reads {@code tenants} unrestricted). */
  private Map<Short, TenantId> tenants() {
    Map<Short, TenantId> tenants = new LinkedHashMap<>();
    inLockedTransaction(
        connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet rs =
                  statement.executeQuery(
                      "SELECT tenant_id, name FROM tenants ORDER BY tenant_id")) {
            while (rs.next()) {
              tenants.put(rs.getShort(1), new TenantId(rs.getString(2)));
            }
          }
        });
    return tenants;
  }

  /**
   * Deletes the metric series unseen for longer than their tenant's metrics retention (plus {@link
   * #SERIES_GRACE}): one statement for the tenants on the global retention, one per tenant with an
   * override.
   */
  private void deleteExpiredSeries(Map<Short, TenantId> tenants, Instant now) {
    Map<TenantId, Duration> own = overrides.metrics();
    List<Short> overridden =
        tenants.entrySet().stream()
            .filter(tenant -> own.containsKey(tenant.getValue()))
            .map(Map.Entry::getKey)
            .toList();
    if (!settings.metricsRetention().isZero()) {
      Instant cutoff = now.minus(settings.metricsRetention()).minus(SERIES_GRACE);
      deleteSeries(
          "last_seen < ? AND tenant_id <> ALL(?)",
          (connection, delete) -> {
            delete.setObject(1, timestamp(cutoff));
            delete.setArray(2, connection.createArrayOf("smallint", overridden.toArray()));
          });
    }
    for (Short tenantId : overridden) {
      Instant cutoff = now.minus(own.get(tenants.get(tenantId))).minus(SERIES_GRACE);
      deleteSeries(
          "tenant_id = ? AND last_seen < ?",
          (connection, delete) -> {
            delete.setShort(1, tenantId);
            delete.setObject(2, timestamp(cutoff));
          });
    }
  }

  private interface Parameters {
    void bind(Connection connection, PreparedStatement statement) throws SQLException;
  }

  /** Deletes the metric series matching {@code condition} (row by row: few rows). */
  private void deleteSeries(String condition, Parameters parameters) {
    inLockedTransaction(
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM metric_series WHERE " + condition)) {
            parameters.bind(connection, delete);
            int deleted = delete.executeUpdate();
            seriesDeleted.addAndGet(deleted);
            if (deleted > 0) {
              LOG.info("retention: deleted {} metric series ({})", deleted, condition);
            }
          }
        });
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** Rows this instance deleted by a tenant's retention, of one signal (traces, logs, metrics). */
  long rowsDeleted(String signal) {
    return rowsDeleted.get(signal).get();
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
   * The earliest time (unix micros) retention keeps now, for the tenant kept longest: older records
   * would land in a partition that retention drops, so they are not stored at all rather than
   * stored and dropped moments later. {@link Long#MIN_VALUE} when {@code table} is kept forever.
   */
  long keptFrom(String table) {
    Duration retention = keptOf(table);
    if (retention.isZero()) {
      return Long.MIN_VALUE;
    }
    // a partition is dropped once its end is at or before the cutoff: keep from the cutoff's start
    long cutoff = nowMicros() - retention.toNanos() / 1000;
    return Math.floorDiv(cutoff, intervalMicros) * intervalMicros;
  }

  /**
   * The range (lower → upper bound, unix micros) of the partition of {@code table} known to hold
   * {@code timeMicros}, or null when none is known (the batch's {@link #coverBatch} makes sure one
   * is).
   */
  Map.Entry<Long, Long> knownPartitionHolding(String table, long timeMicros) {
    NavigableMap<Long, Long> ranges = known.get(table);
    if (ranges == null || !covered(ranges, timeMicros)) {
      return null;
    }
    return ranges.floorEntry(timeMicros);
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
    if (writerRole.isPresent()) {
      statement.execute(ServiceRole.grantInsert(name, writerRole.get()));
    }
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

  private static long micros(Duration duration) {
    return duration.toNanos() / 1000;
  }

  private static long micros(String catalogTime) {
    return ChronoUnit.MICROS.between(
        Instant.EPOCH, OffsetDateTime.parse(catalogTime, CATALOG_TIME).toInstant());
  }
}
