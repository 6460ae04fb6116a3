package dev.glust.adapter.postgres;

import dev.glust.application.port.model.TenantUsage;
import dev.glust.application.port.model.UsageSignal;
import dev.glust.application.port.out.LoadTenantUsagePort;
import dev.glust.domain.tenant.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tenant_usage} table (migration V8), which the {@link CopyBatchWriter} fills: read
 * across tenants for the admin scope, and kept as long as the longest retention.
 *
 * <p>Records and written bytes are the sums of what committed batches stored. The stored bytes are
 * an estimate: what the partitions of a signal's tables for a day take on disk (tables, indexes and
 * TOAST), shared among the tenants by their written bytes that day. A partition counts for the UTC
 * day it starts on; resources, scopes and metric series are not counted.
 */
final class PostgresTenantUsage implements LoadTenantUsagePort {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresTenantUsage.class);

  private static final String USAGE =
      "WITH usage AS ("
          + " SELECT day, tenant_id, signal, sum(records)::bigint AS records,"
          + " sum(written_bytes)::bigint AS written_bytes"
          + " FROM tenant_usage WHERE day BETWEEN ? AND ? GROUP BY day, tenant_id, signal),"
          + " partitions AS ("
          + " SELECT to_date(substring(c.relname FROM '_p([0-9]{8})_[0-9]{4}$'), 'YYYYMMDD') AS day,"
          + " CASE p.relname WHEN 'spans' THEN 'traces' WHEN 'logs' THEN 'logs'"
          + " ELSE 'metrics' END AS signal, c.oid"
          + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
          + " JOIN pg_class p ON p.oid = i.inhparent"
          + " WHERE p.relnamespace = current_schema()::regnamespace AND p.relname IN (%s)),"
          + " sizes AS ("
          + " SELECT day, signal, sum(pg_total_relation_size(oid)) AS bytes FROM partitions"
          + " WHERE day BETWEEN ? AND ? GROUP BY day, signal)"
          + " SELECT u.day, t.name, u.signal, u.records, u.written_bytes,"
          + " COALESCE(round(s.bytes * u.written_bytes"
          + " / NULLIF(sum(u.written_bytes) OVER (PARTITION BY u.day, u.signal), 0)), 0)::bigint"
          + " FROM usage u JOIN tenants t USING (tenant_id)"
          + " LEFT JOIN sizes s USING (day, signal)"
          + " ORDER BY u.day, t.name COLLATE \"C\", u.signal";

  private final SqlReads reads;
  private final String usage;

  PostgresTenantUsage(SqlReads reads) {
    this.reads = reads;
    this.usage =
        String.format(
            Locale.ROOT,
            USAGE,
            PostgresPartitions.TABLES.stream()
                .map(table -> "'" + table + "'")
                .collect(Collectors.joining(", ")));
  }

  @Override
  public List<TenantUsage> loadTenantUsage(LocalDate firstDay, LocalDate lastDay) {
    return reads.listAcrossTenants(
        "reading tenant usage",
        usage,
        statement -> {
          statement.setObject(1, firstDay);
          statement.setObject(2, lastDay);
          statement.setObject(3, firstDay);
          statement.setObject(4, lastDay);
        },
        row ->
            new TenantUsage(
                new TenantId(row.getString(2)),
                UsageSignal.valueOf(row.getString(3).toUpperCase(Locale.ROOT)),
                row.getObject(1, LocalDate.class),
                row.getLong(4),
                row.getLong(5),
                row.getLong(6)));
  }

  /**
   * Folds the slots of every day before {@code firstOpenDay} into one row, slot 0 (no backend's
   * pid), as the owner (partition maintenance): writers no longer add to those days (a transaction
   * counts on the day it began), so a past day keeps one row per tenant and signal.
   */
  static void compactBefore(DataSource owner, LocalDate firstOpenDay) {
    try (Connection c = owner.getConnection();
        PreparedStatement compact =
            c.prepareStatement(
                "WITH folded AS (DELETE FROM tenant_usage WHERE day < ? AND slot <> 0 RETURNING *)"
                    + " INSERT INTO tenant_usage AS u"
                    + " (day, tenant_id, signal, slot, records, written_bytes)"
                    + " SELECT day, tenant_id, signal, 0, sum(records), sum(written_bytes)"
                    + " FROM folded GROUP BY day, tenant_id, signal"
                    + " ON CONFLICT (day, tenant_id, signal, slot) DO UPDATE"
                    + " SET records = u.records + EXCLUDED.records,"
                    + " written_bytes = u.written_bytes + EXCLUDED.written_bytes")) {
      compact.setObject(1, firstOpenDay);
      compact.executeUpdate();
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate("compacting tenant usage", e);
    }
  }

  /**
   * Deletes the usage of the days before {@code firstKeptDay}, as the owner (partition
   * maintenance).
   */
  static void deleteBefore(DataSource owner, LocalDate firstKeptDay) {
    try (Connection c = owner.getConnection();
        PreparedStatement delete = c.prepareStatement("DELETE FROM tenant_usage WHERE day < ?")) {
      delete.setObject(1, firstKeptDay);
      int deleted = delete.executeUpdate();
      if (deleted > 0) {
        LOG.info("retention: deleted {} tenant usage rows before {}", deleted, firstKeptDay);
      }
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate("deleting old tenant usage", e);
    }
  }
}
