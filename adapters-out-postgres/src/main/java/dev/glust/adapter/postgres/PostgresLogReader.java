package dev.glust.adapter.postgres;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.PageCursor;
import dev.glust.application.port.out.SearchLogsPort;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import java.util.List;
import java.util.Optional;

/** Log search over {@code logs}, newest first, in keyset pages on (timestamp, log_id). */
final class PostgresLogReader implements SearchLogsPort {
  private final SqlReads reads;
  private final PostgresMapper mapper;
  private final ResourcesAndScopes resourcesAndScopes;

  PostgresLogReader(SqlReads reads, PostgresMapper mapper, ResourcesAndScopes resourcesAndScopes) {
    this.reads = reads;
    this.mapper = mapper;
    this.resourcesAndScopes = resourcesAndScopes;
  }

  private static long cursorLogId(PageCursor cursor) {
    try {
      return Long.parseLong(cursor.key());
    } catch (NumberFormatException e) {
      throw new InvalidQueryException("cursor", "not a log search cursor");
    }
  }

  private record Row(ResourcesAndScopes.Unattached<LogRecord> log, long timestampMicros, long id) {}

  /** The search's criteria without its page; the log volume histogram counts the same rows. */
  static SqlFilter matching(LogSearch search, SqlFilter.ResourceLookup resources) {
    SqlFilter filter =
        new SqlFilter()
            .where("timestamp >= ?", SqlFilter.timestamp(search.range().startUnixNano()))
            .where("timestamp <= ?", SqlFilter.timestamp(search.range().endUnixNano()));
    search.service().ifPresent(s -> filter.where("service_name = ?", s));
    if (search.minSeverity() > 0) {
      filter.where("severity_number >= ?", search.minSeverity());
    }
    search
        .text()
        .ifPresent(t -> filter.where("(body #>> '{}') ILIKE ?", SqlFilter.containsPattern(t)));
    search.traceId().ifPresent(t -> filter.where("trace_id = ?", (Object) t.toBytes()));
    search.spanId().ifPresent(s -> filter.where("span_id = ?", (Object) s.toBytes()));
    filter.attributes(search.attributes(), "log_attributes", resources);
    return filter;
  }

  @Override
  public Page<LogRecord> searchLogs(TenantId tenant, LogSearch search) {
    SqlFilter filter = matching(search, SqlFilter.resourcesIn(reads, TenantScope.of(tenant)));
    search
        .page()
        .after()
        .ifPresent(
            c ->
                filter.where(
                    "(timestamp, log_id) < (?, ?)",
                    SqlFilter.timestamp(c.timeUnixNano()),
                    cursorLogId(c)));
    int limit = search.page().limit();
    List<Row> rows =
        reads.list(
            TenantScope.of(tenant),
            "searching logs",
            "SELECT "
                + PostgresMapper.LOG_SELECT
                + ", log_id, (extract(epoch FROM timestamp) * 1000000)::bigint AS ts_micros"
                + " FROM logs WHERE "
                + filter.sql()
                + " ORDER BY timestamp DESC, log_id DESC LIMIT ?",
            s -> s.setInt(filter.bind(s), limit + 1),
            rs -> new Row(mapper.readLog(rs), rs.getLong("ts_micros"), rs.getLong("log_id")));
    List<Row> page = rows.subList(0, Math.min(limit, rows.size()));
    Optional<PageCursor> next =
        rows.size() > limit
            ? Optional.of(
                new PageCursor(
                    page.get(page.size() - 1).timestampMicros() * 1000,
                    Long.toString(page.get(page.size() - 1).id())))
            : Optional.empty();
    return new Page<>(
        resourcesAndScopes.attach(
            reads, TenantScope.of(tenant), page.stream().map(Row::log).toList()),
        next);
  }
}
