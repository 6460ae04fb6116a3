package dev.glust.application.service;

import dev.glust.application.port.in.query.log.SearchLogsQuery;
import dev.glust.application.port.in.query.service.ListServicesQuery;
import dev.glust.application.port.in.query.trace.LoadTraceQuery;
import dev.glust.application.port.in.query.trace.SearchTracesQuery;
import dev.glust.application.port.in.query.trace.TraceView;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.application.port.model.TraceSearch;
import dev.glust.application.port.model.TraceSummary;
import dev.glust.application.port.out.LoadServicesPort;
import dev.glust.application.port.out.LoadTracePort;
import dev.glust.application.port.out.SearchLogsPort;
import dev.glust.application.port.out.SearchTracesPort;
import dev.glust.application.port.out.TraceRecords;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The read side: answers queries from the read-model ports and shapes traces into trees. */
public final class TelemetryQueryService
    implements LoadTraceQuery, SearchTracesQuery, SearchLogsQuery, ListServicesQuery {
  private final LoadTracePort traces;
  private final SearchTracesPort traceSearch;
  private final SearchLogsPort logSearch;
  private final LoadServicesPort services;
  private final QueryRangeLimit rangeLimit;

  /** With the default maximum query range (31 days). */
  public TelemetryQueryService(
      LoadTracePort traces,
      SearchTracesPort traceSearch,
      SearchLogsPort logSearch,
      LoadServicesPort services) {
    this(traces, traceSearch, logSearch, services, QueryRangeLimit.DEFAULT_MAX);
  }

  /**
   * @param maxRange the longest time range one search may cover (longer: {@link
   *     dev.glust.application.port.model.InvalidQueryException})
   */
  public TelemetryQueryService(
      LoadTracePort traces,
      SearchTracesPort traceSearch,
      SearchLogsPort logSearch,
      LoadServicesPort services,
      Duration maxRange) {
    this.rangeLimit = new QueryRangeLimit(maxRange);
    this.traces = Objects.requireNonNull(traces);
    this.traceSearch = Objects.requireNonNull(traceSearch);
    this.logSearch = Objects.requireNonNull(logSearch);
    this.services = Objects.requireNonNull(services);
  }

  @Override
  public Optional<TraceView> loadTrace(TenantId tenant, TraceId traceId) {
    TraceRecords records = traces.loadTrace(tenant, traceId);
    if (records.spans().isEmpty() && records.logs().isEmpty()) {
      return Optional.empty();
    }
    List<LogRecord> logs =
        records.logs().stream()
            .sorted(Comparator.comparingLong(LogRecord::effectiveTimeUnixNano))
            .toList();
    return Optional.of(new TraceView(traceId, TraceTree.build(records.spans()), logs));
  }

  @Override
  public Page<TraceSummary> searchTraces(TenantId tenant, TraceSearch search) {
    rangeLimit.check(search.range());
    return traceSearch.searchTraces(tenant, search);
  }

  @Override
  public List<TraceView> loadTraces(TenantId tenant, TraceSearch search) {
    return searchTraces(tenant, search).items().stream()
        .map(summary -> loadTrace(tenant, summary.traceId()))
        .flatMap(Optional::stream)
        .toList();
  }

  @Override
  public Page<LogRecord> searchLogs(TenantId tenant, LogSearch search) {
    rangeLimit.check(search.range());
    return logSearch.searchLogs(tenant, search);
  }

  @Override
  public List<ServiceSummary> listServices(TenantId tenant, TimeRange range) {
    return services.loadServices(tenant, rangeLimit.check(range));
  }

  @Override
  public List<String> listServiceNames(TenantId tenant) {
    return services.loadServiceNames(tenant);
  }

  @Override
  public List<Operation> listOperations(TenantId tenant, String service, TimeRange range) {
    return services.loadOperations(tenant, service, rangeLimit.check(range));
  }
}
