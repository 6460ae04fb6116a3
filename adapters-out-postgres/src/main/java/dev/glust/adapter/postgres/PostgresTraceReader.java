package dev.glust.adapter.postgres;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.PageCursor;
import dev.glust.application.port.model.TraceSearch;
import dev.glust.application.port.model.TraceSummary;
import dev.glust.application.port.out.LoadTracePort;
import dev.glust.application.port.out.SearchTracesPort;
import dev.glust.application.port.out.TraceRecords;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.tenant.TenantId;
import java.sql.Array;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Traces from the {@code spans} and {@code logs} tables. A search finds the traces with a span that
 * matches, ordered by the start of their newest matching span, in keyset pages on (that time, trace
 * id); then it summarises those traces from all their spans.
 */
final class PostgresTraceReader implements LoadTracePort, SearchTracesPort {
  private final SqlReads reads;
  private final PostgresMapper mapper;
  private final ResourcesAndScopes resourcesAndScopes;

  PostgresTraceReader(
      SqlReads reads, PostgresMapper mapper, ResourcesAndScopes resourcesAndScopes) {
    this.reads = reads;
    this.mapper = mapper;
    this.resourcesAndScopes = resourcesAndScopes;
  }

  @Override
  public TraceRecords loadTrace(TenantId tenant, TraceId traceId) {
    byte[] id = traceId.toBytes();
    return new TraceRecords(
        resourcesAndScopes.attach(
            reads,
            TenantScope.of(tenant),
            reads.list(
                TenantScope.of(tenant),
                "loading trace " + traceId,
                "SELECT "
                    + PostgresMapper.SPAN_SELECT
                    + " FROM spans WHERE trace_id = ?"
                    + " ORDER BY start_time_unix_nano",
                s -> s.setBytes(1, id),
                mapper::readSpan)),
        resourcesAndScopes.attach(
            reads,
            TenantScope.of(tenant),
            reads.list(
                TenantScope.of(tenant),
                "loading logs of trace " + traceId,
                "SELECT "
                    + PostgresMapper.LOG_SELECT
                    + " FROM logs WHERE trace_id = ?"
                    + " ORDER BY timestamp, log_id",
                s -> s.setBytes(1, id),
                mapper::readLog)));
  }

  private record Match(byte[] traceId, long matchedAt) {}

  @Override
  public Page<TraceSummary> searchTraces(TenantId tenant, TraceSearch search) {
    SqlFilter filter =
        new SqlFilter()
            .where("start_time >= ?", SqlFilter.timestamp(search.range().startUnixNano()))
            .where("start_time <= ?", SqlFilter.timestamp(search.range().endUnixNano()))
            .where(
                PostgresMapper.SPAN_START_UNIX_NANO + " BETWEEN ? AND ?",
                search.range().startUnixNano(),
                search.range().endUnixNano());
    search.service().ifPresent(s -> filter.where("service_name = ?", s));
    search.operation().ifPresent(o -> filter.where("span_name = ?", o));
    search.minDurationNanos().ifPresent(d -> filter.where("duration_nanos >= ?", d));
    search.maxDurationNanos().ifPresent(d -> filter.where("duration_nanos <= ?", d));
    if (search.errorsOnly()) {
      filter.where("status_code = 2");
    }
    filter.attributes(
        search.attributes(), "attributes", SqlFilter.resourcesIn(reads, TenantScope.of(tenant)));
    Optional<PageCursor> after = search.page().after();
    int limit = search.page().limit();
    String sql =
        "SELECT trace_id, max("
            + PostgresMapper.SPAN_START_UNIX_NANO
            + ") AS matched_at FROM spans WHERE "
            + filter.sql()
            + " GROUP BY trace_id"
            + (after.isPresent()
                ? " HAVING (max(" + PostgresMapper.SPAN_START_UNIX_NANO + "), trace_id) < (?, ?)"
                : "")
            + " ORDER BY matched_at DESC, trace_id DESC LIMIT ?";
    List<Match> matches =
        reads.list(
            TenantScope.of(tenant),
            "searching traces",
            sql,
            s -> {
              int i = filter.bind(s);
              if (after.isPresent()) {
                s.setLong(i++, after.get().timeUnixNano());
                s.setBytes(i++, cursorTraceId(after.get()));
              }
              s.setInt(i, limit + 1); // one more tells whether a next page exists
            },
            rs -> new Match(rs.getBytes(1), rs.getLong(2)));
    List<Match> page = matches.subList(0, Math.min(limit, matches.size()));
    Map<TraceId, TraceSummary> summaries = summarise(tenant, page);
    List<TraceSummary> items =
        page.stream()
            .map(m -> summaries.get(TraceId.fromBytes(m.traceId())))
            .filter(Objects::nonNull)
            .toList();
    Optional<PageCursor> next =
        matches.size() > limit
            ? Optional.of(
                new PageCursor(
                    page.get(page.size() - 1).matchedAt(),
                    HexFormat.of().formatHex(page.get(page.size() - 1).traceId())))
            : Optional.empty();
    return new Page<>(items, next);
  }

  private static byte[] cursorTraceId(PageCursor cursor) {
    try {
      return TraceId.fromHex(cursor.key()).toBytes();
    } catch (IllegalArgumentException e) {
      throw new InvalidQueryException("cursor", "not a trace search cursor");
    }
  }

  /** Root = the span without parent (else the earliest); counts and bounds over all spans. */
  private Map<TraceId, TraceSummary> summarise(TenantId tenant, List<Match> page) {
    if (page.isEmpty()) {
      return Map.of();
    }
    String sql =
        "SELECT trace_id, count(*), count(*) FILTER (WHERE status_code = 2),"
            + " min(start_unix_nano), max(start_unix_nano + duration_nanos),"
            + " (array_agg(service_name ORDER BY parent_span_id IS NOT NULL,"
            + " start_unix_nano))[1],"
            + " (array_agg(span_name ORDER BY parent_span_id IS NOT NULL,"
            + " start_unix_nano))[1]"
            + " FROM (SELECT trace_id, status_code, duration_nanos, service_name, span_name,"
            + " parent_span_id, "
            + PostgresMapper.SPAN_START_UNIX_NANO
            + " AS start_unix_nano FROM spans WHERE trace_id = ANY (?)) page GROUP BY trace_id";
    return reads
        .list(
            TenantScope.of(tenant),
            "summarising traces",
            sql,
            s -> {
              Array ids =
                  s.getConnection()
                      .createArrayOf(
                          "bytea", page.stream().map(Match::traceId).toArray(byte[][]::new));
              s.setArray(1, ids);
            },
            rs ->
                new TraceSummary(
                    TraceId.fromBytes(rs.getBytes(1)),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getLong(4),
                    rs.getLong(5) - rs.getLong(4),
                    rs.getInt(2),
                    rs.getInt(3)))
        .stream()
        .collect(Collectors.toMap(TraceSummary::traceId, Function.identity()));
  }
}
