package dev.glust.adapter.postgres;

import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.OperationRollups;
import dev.glust.domain.performance.SpanDurations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Folds the span batches' appended rollups ({@code operation_rollup_batches}, migration V12) into
 * {@code operation_rollups}, as the owner, across tenants: in one transaction it deletes appended
 * rows, adds them up per tenant, minute and operation, and adds those to the stored rows (slot 0).
 * Each operation's stored histogram is thus rewritten once per fold rather than once per batch.
 * Readers see the rows before or after, never both (one transaction); a rolled back fold leaves the
 * appended rows for the next. One instance folds at a time (an advisory lock), so folds never wait
 * for each other's rows.
 */
final class OperationRollupFolder {
  /** How often the service folds: the appended rows readers add up stay a few seconds' worth. */
  static final Duration EVERY = Duration.ofSeconds(5);

  /** Appended rows one fold transaction takes at most; a fold repeats until fewer are left. */
  static final int ROWS_PER_FOLD = 2_000;

  /** The folder's advisory lock ("gfold" in ASCII), apart from the sealer's and partitions'. */
  private static final long LOCK_KEY = 0x67666f6c64L;

  private static final String TAKE =
      "DELETE FROM operation_rollup_batches WHERE ctid = ANY(ARRAY("
          + "SELECT ctid FROM operation_rollup_batches LIMIT ?)) RETURNING tenant_id, "
          + RollupBatchRow.COLUMNS;

  /** Adds the folded rows to the stored ones of their key (slot 0). */
  private static final String ADD =
      "INSERT INTO operation_rollups AS r (tenant_id, minute, slot, service, operation,"
          + " span_kind, status_code, calls, errors, zero_count, sum_millis, bucket_offset,"
          + " bucket_counts)"
          + " SELECT u.tenant_id, to_timestamp(u.minute_second), 0, u.service, u.operation,"
          + " u.span_kind, u.status_code, u.calls, u.errors, u.zero_count, u.sum_millis,"
          + " u.bucket_offset, u.bucket_counts::bigint[]"
          + " FROM unnest(?::int2[], ?::bigint[], ?::text[], ?::text[], ?::int4[], ?::int4[],"
          + " ?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::int4[], ?::text[])"
          + " AS u(tenant_id, minute_second, service, operation, span_kind, status_code, calls,"
          + " errors, zero_count, sum_millis, bucket_offset, bucket_counts)"
          + " ON CONFLICT (tenant_id, minute, service, operation, span_kind, status_code, slot)"
          + " DO UPDATE SET calls = r.calls + EXCLUDED.calls, errors = r.errors + EXCLUDED.errors,"
          + " zero_count = r.zero_count + EXCLUDED.zero_count,"
          + " sum_millis = r.sum_millis + EXCLUDED.sum_millis,"
          + " bucket_offset = glust_buckets_offset(r.bucket_offset, r.bucket_counts,"
          + " EXCLUDED.bucket_offset, EXCLUDED.bucket_counts),"
          + " bucket_counts = glust_bucket_counts_plus(r.bucket_offset, r.bucket_counts,"
          + " EXCLUDED.bucket_offset, EXCLUDED.bucket_counts)";

  private final DataSource owner;

  OperationRollupFolder(DataSource owner) {
    this.owner = owner;
  }

  /**
   * Folds every row appended before now; does nothing while another instance folds.
   *
   * @return the appended rows folded
   */
  int fold() {
    int folded = 0;
    while (true) {
      int taken = foldSome();
      if (taken < 0) {
        return folded;
      }
      folded += taken;
      if (taken < ROWS_PER_FOLD) {
        return folded;
      }
    }
  }

  /** One transaction: up to {@link #ROWS_PER_FOLD} appended rows folded; -1 when locked out. */
  private int foldSome() {
    try (Connection c = owner.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (!lock(c)) {
          c.rollback();
          return -1;
        }
        Map<Short, OperationRollups> byTenant = new TreeMap<>();
        int taken = take(c, byTenant);
        if (!byTenant.isEmpty()) {
          add(c, byTenant);
        }
        c.commit();
        return taken;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate("folding operation rollups", e);
    }
  }

  private static boolean lock(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_try_advisory_xact_lock(" + LOCK_KEY + ")")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** Deletes appended rows and adds their rollups up per tenant; returns how many rows. */
  private static int take(Connection c, Map<Short, OperationRollups> byTenant) throws SQLException {
    int rows = 0;
    try (PreparedStatement take = c.prepareStatement(TAKE)) {
      take.setInt(1, ROWS_PER_FOLD);
      try (ResultSet row = take.executeQuery()) {
        while (row.next()) {
          rows++;
          OperationRollups sums =
              byTenant.computeIfAbsent(row.getShort(1), t -> new OperationRollups());
          RollupBatchRow.read(row, 2).forEach(sums::add);
        }
      }
    }
    return rows;
  }

  /** Adds the sums to the stored rows, by tenant and then in key order. */
  private static void add(Connection c, Map<Short, OperationRollups> byTenant) throws SQLException {
    List<Short> tenantOf = new ArrayList<>();
    List<OperationRollup> rollups = new ArrayList<>();
    byTenant.forEach(
        (tenant, sums) -> {
          List<OperationRollup> ofTenant = new ArrayList<>(sums.rollups());
          ofTenant.sort(OperationRollup.BY_MINUTE_AND_KEY);
          rollups.addAll(ofTenant);
          ofTenant.forEach(r -> tenantOf.add(tenant));
        });
    int n = rollups.size();
    Short[] tenants = tenantOf.toArray(Short[]::new);
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
      SpanDurations durations = rollup.durations();
      minutes[i] = rollup.minuteUnixNano() / 1_000_000_000L;
      services[i] = rollup.key().service();
      operations[i] = rollup.key().operation();
      kinds[i] = rollup.key().kind().code();
      statuses[i] = rollup.key().status().code();
      calls[i] = rollup.calls();
      errors[i] = rollup.errors();
      zeros[i] = durations.zeroCount();
      sums[i] = durations.sumMillis();
      offsets[i] = durations.offset();
      counts[i] = arrayLiteral(durations.counts());
    }
    try (PreparedStatement add = c.prepareStatement(ADD)) {
      add.setArray(1, c.createArrayOf("int2", tenants));
      add.setArray(2, c.createArrayOf("bigint", minutes));
      add.setArray(3, c.createArrayOf("text", services));
      add.setArray(4, c.createArrayOf("text", operations));
      add.setArray(5, c.createArrayOf("int4", kinds));
      add.setArray(6, c.createArrayOf("int4", statuses));
      add.setArray(7, c.createArrayOf("bigint", calls));
      add.setArray(8, c.createArrayOf("bigint", errors));
      add.setArray(9, c.createArrayOf("bigint", zeros));
      add.setArray(10, c.createArrayOf("float8", sums));
      add.setArray(11, c.createArrayOf("int4", offsets));
      add.setArray(12, c.createArrayOf("text", counts));
      add.executeUpdate();
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
