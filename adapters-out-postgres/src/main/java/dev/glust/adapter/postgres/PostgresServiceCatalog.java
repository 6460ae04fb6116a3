package dev.glust.adapter.postgres;

import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.application.port.out.LoadServicesPort;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.SpanKind;
import java.time.OffsetDateTime;
import java.util.List;

/** Which services sent what, counted from {@code spans} and {@code logs} in a time range. */
final class PostgresServiceCatalog implements LoadServicesPort {
  private final SqlReads reads;

  PostgresServiceCatalog(SqlReads reads) {
    this.reads = reads;
  }

  @Override
  public List<ServiceSummary> loadServices(TenantId tenant, TimeRange range) {
    OffsetDateTime from = SqlFilter.timestamp(range.startUnixNano());
    OffsetDateTime to = SqlFilter.timestamp(range.endUnixNano());
    return reads.list(
        TenantScope.of(tenant),
        "listing services",
        "SELECT service_name, sum(spans)::bigint, sum(logs)::bigint FROM ("
            + " SELECT service_name, count(*) AS spans, 0 AS logs FROM spans"
            + " WHERE start_time BETWEEN ? AND ? GROUP BY service_name"
            + " UNION ALL"
            + " SELECT service_name, 0, count(*) FROM logs"
            + " WHERE timestamp BETWEEN ? AND ? GROUP BY service_name"
            + ") counts GROUP BY service_name ORDER BY service_name",
        s -> {
          s.setObject(1, from);
          s.setObject(2, to);
          s.setObject(3, from);
          s.setObject(4, to);
        },
        rs -> new ServiceSummary(rs.getString(1), rs.getLong(2), rs.getLong(3)));
  }

  /**
   * A loose index scan: one index probe per distinct service on (service_name, start_time), so the
   * cost grows with the number of services, not of spans.
   */
  @Override
  public List<String> loadServiceNames(TenantId tenant) {
    return reads.list(
        TenantScope.of(tenant),
        "listing service names",
        "WITH RECURSIVE names AS ("
            + " (SELECT service_name FROM spans ORDER BY service_name LIMIT 1)"
            + " UNION ALL"
            + " SELECT (SELECT s.service_name FROM spans s WHERE s.service_name > names.service_name"
            + " ORDER BY s.service_name LIMIT 1) FROM names WHERE names.service_name IS NOT NULL)"
            + " SELECT service_name FROM names WHERE service_name IS NOT NULL",
        s -> {},
        rs -> rs.getString(1));
  }

  @Override
  public List<Operation> loadOperations(TenantId tenant, String service, TimeRange range) {
    return reads.list(
        TenantScope.of(tenant),
        "listing operations of " + service,
        "SELECT DISTINCT span_name, span_kind FROM spans"
            + " WHERE service_name = ? AND start_time BETWEEN ? AND ? ORDER BY span_name, span_kind",
        s -> {
          s.setString(1, service);
          s.setObject(2, SqlFilter.timestamp(range.startUnixNano()));
          s.setObject(3, SqlFilter.timestamp(range.endUnixNano()));
        },
        rs -> new Operation(rs.getString(1), SpanKind.fromCode(rs.getInt(2))));
  }
}
