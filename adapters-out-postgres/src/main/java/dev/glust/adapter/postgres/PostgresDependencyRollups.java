package dev.glust.adapter.postgres;

import dev.glust.application.port.out.LoadDependencyRollupsPort;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.performance.DependencyRollup;
import dev.glust.domain.tenant.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads {@code dependency_rollups} (migration V11), one row per minute and edge (the writers' slots
 * summed), and expires them with their tenant's spans.
 */
final class PostgresDependencyRollups implements LoadDependencyRollupsPort {
  private final SqlReads reads;

  PostgresDependencyRollups(SqlReads reads) {
    this.reads = reads;
  }

  @Override
  public List<DependencyRollup> loadDependencyRollups(TenantId tenant, TimeRange range) {
    return reads.list(
        TenantScope.of(tenant),
        "loading service dependencies",
        "SELECT extract(epoch FROM minute)::bigint, parent_service, child_service,"
            + " sum(calls)::bigint, sum(errors)::bigint FROM dependency_rollups"
            + " WHERE tenant_id = glust_tenant() AND minute BETWEEN ? AND ?"
            + " GROUP BY minute, parent_service, child_service"
            + " ORDER BY minute, parent_service, child_service",
        s -> {
          // Minutes start on whole microseconds, and the driver rounds nanoseconds to the nearest
          // one: the range's start rounded up and its end down keep exactly the minutes within.
          s.setObject(1, SqlFilter.timestamp(-Math.floorDiv(-range.startUnixNano(), 1000) * 1000));
          s.setObject(2, SqlFilter.timestamp(Math.floorDiv(range.endUnixNano(), 1000) * 1000));
        },
        rs ->
            new DependencyRollup(
                rs.getLong(1) * 1_000_000_000L,
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5)));
  }

  /**
   * Deletes each tenant's rollups of minutes before {@code keptFrom} (tenant id → the time before
   * which its spans are gone), one short transaction per tenant.
   *
   * @param owner the owner's connections (row-level security holds them to each tenant in turn)
   */
  static void deleteBefore(DataSource owner, Map<Short, Instant> keptFrom) {
    try (Connection connection = owner.getConnection()) {
      for (Map.Entry<Short, Instant> tenant : keptFrom.entrySet()) {
        connection.setAutoCommit(false);
        try (PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM dependency_rollups WHERE tenant_id = glust_tenant()"
                    + " AND minute < ?")) {
          TenantScope.enterById(connection, tenant.getKey());
          delete.setObject(1, OffsetDateTime.ofInstant(tenant.getValue(), ZoneOffset.UTC));
          delete.executeUpdate();
          connection.commit();
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw e;
        }
      }
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate("expiring service dependencies", e);
    }
  }
}
