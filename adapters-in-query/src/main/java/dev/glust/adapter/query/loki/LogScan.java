package dev.glust.adapter.query.loki;

import dev.glust.adapter.query.loki.LogQl.LineFilter;
import dev.glust.adapter.query.loki.LogQl.LogExpr;
import dev.glust.adapter.query.loki.LogQl.MatchOp;
import dev.glust.adapter.query.loki.LogQl.Matcher;
import dev.glust.adapter.query.loki.LogQl.ParserStage;
import dev.glust.adapter.query.loki.LogQl.Stage;
import dev.glust.application.port.in.query.log.SearchLogsQuery;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.PageCursor;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.SeverityLevel;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.json.JsonMapper;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the log records a log query can match, newest first, through the log search port. What the
 * storage can narrow by (service, lowest severity, a line substring, trace and span id) goes into
 * the search; every matcher and stage is then checked here exactly, so a pushed filter only ever
 * narrows. At most {@code maxRecords} records are read: the result says whether it stopped there.
 */
final class LogScan {
  private static final int PAGE = PageRequest.MAX_LIMIT;
  private static final String JSON_PUNCTUATION = "{}[]:,\"\\";

  private final SearchLogsQuery logs;
  private final JsonMapper json;
  private final int maxRecords;

  LogScan(SearchLogsQuery logs, JsonMapper json, int maxRecords) {
    this.logs = logs;
    this.json = json;
    this.maxRecords = maxRecords;
  }

  /** Receives each entry that passed the pipeline, newest first; false stops the scan. */
  interface Visitor {
    boolean accept(LogPipeline.Passed passed);
  }

  /** What a scan read: the records and their bytes, and whether it stopped at the cap. */
  record Figures(long records, long bytes, boolean truncated) {}

  Figures scan(TenantId tenant, LogExpr query, TimeRange range, Visitor visitor) {
    LogPipeline pipeline = new LogPipeline(query, json);
    LogSearch first = pushedDown(query, range, PageRequest.first(PAGE));
    if (first == null) {
      return new Figures(0, 0, false); // a pushed equality that nothing can satisfy
    }
    Optional<PageCursor> after = Optional.empty();
    long records = 0;
    long bytes = 0;
    do {
      LogSearch search =
          new LogSearch(
              first.service(),
              first.minSeverity(),
              first.text(),
              first.traceId(),
              first.spanId(),
              first.attributes(),
              range,
              new PageRequest(PAGE, after));
      Page<LogRecord> page = logs.searchLogs(tenant, search);
      for (LogRecord record : page.items()) {
        if (records >= maxRecords) {
          return new Figures(records, bytes, true);
        }
        records++;
        LokiEntry entry = LokiEntries.of(record);
        bytes += entry.bytes();
        LogPipeline.Passed passed = pipeline.apply(entry);
        if (passed != null && !visitor.accept(passed)) {
          return new Figures(records, bytes, false);
        }
      }
      after = page.next();
    } while (after.isPresent());
    return new Figures(records, bytes, false);
  }

  /** The search the storage runs; null when a pushed equality can match nothing. */
  static LogSearch pushedDown(LogExpr query, TimeRange range, PageRequest page) {
    Optional<String> service = Optional.empty();
    int minSeverity = 0;
    Optional<TraceId> traceId = Optional.empty();
    Optional<SpanId> spanId = Optional.empty();
    for (Matcher m : query.selector()) {
      if (m.op() != MatchOp.EQUAL) {
        continue;
      }
      switch (m.name()) {
        case LokiEntries.SERVICE_NAME -> service = Optional.of(m.value());
        case LokiEntries.LEVEL -> {
          SeverityLevel level = LokiEntries.levelNamed(m.value());
          if (level == null) {
            return null;
          }
          minSeverity = Math.max(minSeverity, level.lowestNumber());
        }
        case LokiEntries.TRACE_ID -> {
          try {
            traceId = Optional.of(TraceId.fromHex(m.value()));
          } catch (RuntimeException e) { // not a hex id: nothing matches it
            return null;
          }
        }
        case LokiEntries.SPAN_ID -> {
          try {
            spanId = Optional.of(SpanId.fromHex(m.value()));
          } catch (RuntimeException e) { // not a hex id: nothing matches it
            return null;
          }
        }
        default -> {
          // other labels are checked in the pipeline only
        }
      }
    }
    return new LogSearch(
        service, minSeverity, lineSubstring(query), traceId, spanId, Map.of(), range, page);
  }

  /**
   * The first {@code |= "text"} before any parser: the storage's search is case-insensitive, the
   * pipeline then checks the case. Text with JSON punctuation stays in the pipeline: the storage
   * renders structured bodies with other spacing than the line does.
   */
  private static Optional<String> lineSubstring(LogExpr query) {
    for (Stage stage : query.stages()) {
      if (stage instanceof ParserStage) {
        return Optional.empty();
      }
      if (stage instanceof LineFilter f
          && !f.negated()
          && !f.regex()
          && !f.value().isEmpty()
          && f.value().chars().noneMatch(c -> JSON_PUNCTUATION.indexOf(c) >= 0)) {
        return Optional.of(f.value());
      }
    }
    return Optional.empty();
  }
}
