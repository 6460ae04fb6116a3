package dev.glust.adapter.postgres;

import dev.glust.application.port.model.spanset.SpansetMatch;
import dev.glust.application.port.model.spanset.SpansetSearch;
import dev.glust.application.port.out.SearchSpansetsPort;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import java.sql.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Spanset searches (TraceQL): {@link SpansetSql} narrows the candidate traces with the span
 * indexes, newest candidate first; each page of candidates is loaded whole (by trace id) and judged
 * by {@link SpansetSearch#match}. Paging stops once the answer's last trace is newer than any
 * candidate left could be (a candidate's SQL time is never earlier than its matched spans').
 */
final class PostgresSpansetSearch implements SearchSpansetsPort {
  /**
   * A loose SQL test may let through many traces that do not match: at most this many looked at.
   */
  static final int MAX_CANDIDATES = 20_000;

  private static final int LOOSE_PAGE = 200;

  private final SqlReads reads;
  private final PostgresMapper mapper;
  private final ResourcesAndScopes resourcesAndScopes;

  PostgresSpansetSearch(
      SqlReads reads, PostgresMapper mapper, ResourcesAndScopes resourcesAndScopes) {
    this.reads = reads;
    this.mapper = mapper;
    this.resourcesAndScopes = resourcesAndScopes;
  }

  private record Candidate(byte[] traceId, long at) {
    boolean newerThan(long time, byte[] id) {
      return at != time ? at > time : Arrays.compareUnsigned(traceId, id) > 0;
    }
  }

  @Override
  public List<SpansetMatch> searchSpansets(TenantId tenant, SpansetSearch search) {
    SpansetSql.Sql candidates =
        new SpansetSql(SqlFilter.resourcesIn(reads, TenantScope.of(tenant)))
            .candidates(search.query(), search.range());
    int page = candidates.exact() ? search.limit() : Math.max(search.limit(), LOOSE_PAGE);
    List<SpansetMatch> found = new ArrayList<>();
    Optional<Candidate> after = Optional.empty();
    int examined = 0;
    while (examined < MAX_CANDIDATES) {
      List<Candidate> rows = page(tenant, candidates, after, page + 1);
      List<Candidate> judged = rows.subList(0, Math.min(page, rows.size()));
      found.addAll(judge(tenant, search, judged));
      found.sort(SpansetSearch.NEWEST_FIRST);
      if (found.size() > search.limit()) {
        found.subList(search.limit(), found.size()).clear();
      }
      examined += judged.size();
      if (rows.size() <= page) {
        break; // no candidate left
      }
      Candidate next = rows.get(page);
      if (found.size() == search.limit() && !next.newerThan(lastTime(found), lastId(found))) {
        break; // no candidate left can displace the answer's last trace
      }
      after = Optional.of(judged.get(judged.size() - 1));
    }
    return List.copyOf(found);
  }

  private static long lastTime(List<SpansetMatch> found) {
    return found.get(found.size() - 1).matchedAtUnixNano();
  }

  private static byte[] lastId(List<SpansetMatch> found) {
    return found.get(found.size() - 1).trace().traceId().toBytes();
  }

  private List<Candidate> page(
      TenantId tenant, SpansetSql.Sql candidates, Optional<Candidate> after, int limit) {
    String sql =
        "SELECT trace_id, at FROM ("
            + candidates.text()
            + ") c"
            + (after.isPresent() ? " WHERE (at, trace_id) < (?, ?)" : "")
            + " ORDER BY at DESC, trace_id DESC LIMIT ?";
    return reads.list(
        TenantScope.of(tenant),
        "narrowing a spanset search",
        sql,
        s -> {
          int i = 1;
          for (Object p : candidates.parameters()) {
            s.setObject(i++, p);
          }
          if (after.isPresent()) {
            s.setLong(i++, after.get().at());
            s.setBytes(i++, after.get().traceId());
          }
          s.setInt(i, limit);
        },
        rs -> new Candidate(rs.getBytes(1), rs.getLong(2)));
  }

  /** Loads the candidates' spans in one query and keeps the traces that match. */
  private List<SpansetMatch> judge(
      TenantId tenant, SpansetSearch search, List<Candidate> candidates) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    List<Span> spans =
        resourcesAndScopes.attach(
            reads,
            TenantScope.of(tenant),
            reads.list(
                TenantScope.of(tenant),
                "loading candidate traces",
                "SELECT "
                    + PostgresMapper.SPAN_SELECT
                    + " FROM spans WHERE trace_id = ANY (?) ORDER BY start_time",
                s -> {
                  Array ids =
                      s.getConnection()
                          .createArrayOf(
                              "bytea",
                              candidates.stream().map(Candidate::traceId).toArray(byte[][]::new));
                  s.setArray(1, ids);
                },
                mapper::readSpan));
    Map<String, List<Span>> byTrace = new LinkedHashMap<>();
    for (Span span : spans) {
      byTrace.computeIfAbsent(span.traceId().toString(), k -> new ArrayList<>()).add(span);
    }
    List<SpansetMatch> matches = new ArrayList<>();
    for (Candidate candidate : candidates) {
      List<Span> trace =
          byTrace.getOrDefault(TraceId.fromBytes(candidate.traceId()).toString(), List.of());
      search.match(trace).ifPresent(matches::add);
    }
    return matches;
  }
}
