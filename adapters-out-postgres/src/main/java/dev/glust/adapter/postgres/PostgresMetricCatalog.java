package dev.glust.adapter.postgres;

import dev.glust.application.port.model.MetricSeries;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.MetricSummary;
import dev.glust.application.port.out.LoadMetricCatalogPort;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.tenant.TenantId;
import java.sql.Array;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The metric catalog from {@code metric_series} alone (no point table is read): metrics with their
 * label keys, and the series of one metric. A series counts as present in a range when its {@code
 * [first_seen, last_seen]} (which spans its points' times and arrivals, see PostgresMetricWriter)
 * overlaps it, widened by the hour that {@code last_seen} may lag behind.
 */
final class PostgresMetricCatalog implements LoadMetricCatalogPort {
  /** The writer refreshes last_seen at most hourly (see V4__metrics.sql). */
  private static final long LAST_SEEN_LAG_NANOS = 3_600_000_000_000L;

  private static final HexFormat HEX = HexFormat.of();

  private final SqlReads reads;

  PostgresMetricCatalog(SqlReads reads) {
    this.reads = reads;
  }

  private static SqlFilter seenIn(TimeRange range) {
    return new SqlFilter()
        .where("last_seen >= ?", SqlFilter.timestamp(range.startUnixNano() - LAST_SEEN_LAG_NANOS))
        .where("first_seen <= ?", SqlFilter.timestamp(range.endUnixNano()));
  }

  /** One row per (name, kind); label keys from a lateral expansion of each series' labels. */
  @Override
  public List<MetricSummary> loadMetrics(
      TenantId tenant, Optional<String> service, TimeRange range, int limit) {
    SqlFilter filter = seenIn(range);
    service.ifPresent(s -> filter.where("service_name = ?", s));
    return reads.list(
        TenantScope.of(tenant),
        "listing metrics",
        "SELECT metric_name, metric_kind, max(unit), max(description), max(temporality),"
            + " bool_or(monotonic), count(DISTINCT series_id),"
            + " array_remove(array_agg(DISTINCT label_key ORDER BY label_key), NULL)"
            + " FROM metric_series LEFT JOIN LATERAL jsonb_object_keys(attributes) AS keys(label_key)"
            + " ON TRUE WHERE "
            + filter.sql()
            + " GROUP BY metric_name, metric_kind ORDER BY metric_name, metric_kind LIMIT ?",
        s -> s.setInt(filter.bind(s), limit),
        rs ->
            new MetricSummary(
                rs.getString(1),
                MetricKind.fromCode(rs.getInt(2)),
                rs.getString(3),
                rs.getString(4),
                AggregationTemporality.fromCode(rs.getInt(5)),
                rs.getBoolean(6),
                strings(rs.getArray(8)),
                rs.getLong(7)));
  }

  private static List<String> strings(Array array) throws java.sql.SQLException {
    return Arrays.asList((String[]) array.getArray());
  }

  @Override
  public List<MetricKind> loadMetricKinds(TenantId tenant, String metricName) {
    return reads.list(
        TenantScope.of(tenant),
        "reading metric kinds",
        "SELECT DISTINCT metric_kind FROM metric_series WHERE metric_name = ? ORDER BY 1",
        s -> s.setString(1, metricName),
        rs -> MetricKind.fromCode(rs.getInt(1)));
  }

  /** Labels filter by containment (GIN index on attributes), as trace and log attributes do. */
  @Override
  public List<MetricSeries> loadMetricSeries(TenantId tenant, MetricSeriesSearch search) {
    SqlFilter filter = seenIn(search.range()).where("metric_name = ?", search.metricName());
    search.kind().ifPresent(k -> filter.where("metric_kind = ?", (short) k.code()));
    search.service().ifPresent(s -> filter.where("service_name = ?", s));
    filter.attributes(
        search.labels(), "attributes", SqlFilter.resourcesIn(reads, TenantScope.of(tenant)));
    // a page of series, then their resources and scopes (stored once, migration V6)
    return reads.list(
        TenantScope.of(tenant),
        "listing metric series",
        "SELECT m.series_id, m.metric_name, m.metric_kind, m.temporality, m.monotonic, m.unit,"
            + " m.service_name, m.attributes, r.attributes AS resource_attributes,"
            + " r.dropped_attributes_count AS resource_dropped_attributes_count,"
            + " s.name AS scope_name, s.version AS scope_version"
            + " FROM (SELECT * FROM metric_series WHERE "
            + filter.sql()
            + " ORDER BY series_id LIMIT ?) m JOIN resources r USING (resource_id)"
            + " JOIN scopes s USING (scope_id) ORDER BY m.series_id",
        s -> s.setInt(filter.bind(s), search.limit()),
        rs ->
            new MetricSeries(
                HEX.formatHex(rs.getBytes("series_id")),
                rs.getString("metric_name"),
                MetricKind.fromCode(rs.getInt("metric_kind")),
                AggregationTemporality.fromCode(rs.getInt("temporality")),
                rs.getBoolean("monotonic"),
                rs.getString("unit"),
                rs.getString("service_name"),
                JsonbCodec.readAttributes(rs.getString("attributes"), 0),
                JsonbCodec.readAttributes(
                    rs.getString("resource_attributes"),
                    rs.getInt("resource_dropped_attributes_count")),
                rs.getString("scope_name"),
                rs.getString("scope_version")));
  }
}
