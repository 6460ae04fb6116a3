package dev.glust.adapter.query.loki;

import dev.glust.application.port.in.query.log.LogVolume;
import dev.glust.application.port.in.query.log.ReadLogVolumeQuery;
import dev.glust.application.port.in.query.log.SearchLogsQuery;
import dev.glust.application.port.in.query.service.ListServicesQuery;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.PageCursor;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.application.port.model.SeverityLevel;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Five log records of two services and a search over them that keeps the port's promises: every
 * criterion, newest first, keyset pages; and counts the searches it answered.
 */
final class KnownLogs implements SearchLogsQuery {
  static final long T0 = 1_700_000_000L * LokiTimes.SECOND;
  static final String TRACE_A = "0af7651916cd43dd8448eb211c80319c";
  static final String SPAN_A = "b7ad6b7169203331";
  static final String TRACE_B = "5b8efff798038103d269b633813fc60c";

  final List<LogRecord> records = new ArrayList<>();
  int searches;
  int volumeReads;

  KnownLogs() {
    add(10, "checkout", 9, "INFO", "order placed id=1", TRACE_A, SPAN_A, "http.route", "/cart");
    add(20, "checkout", 17, "ERROR", "payment failed: card declined", TRACE_B, null, null, null);
    add(
        30,
        "checkout",
        17,
        "ERROR",
        "{\"msg\":\"timeout\",\"status\":504,\"user\":{\"id\":\"u1\"}}",
        null,
        null,
        null,
        null);
    add(
        40,
        "payments",
        13,
        "WARN",
        "level=warn msg=\"slow call\" duration_ms=1200",
        null,
        null,
        null,
        null);
    add(50, "payments", 9, "INFO", "Order placed id=2", null, null, null, null);
  }

  private void add(
      int seconds,
      String service,
      int severity,
      String severityText,
      String body,
      String traceId,
      String spanId,
      String attributeKey,
      String attributeValue) {
    Resource resource =
        new Resource(
            Attributes.of(
                Attribute.of("service.name", service),
                Attribute.of("deployment.environment", "prod")),
            "");
    records.add(
        new LogRecord(
            T0 + seconds * LokiTimes.SECOND,
            T0 + seconds * LokiTimes.SECOND,
            severity,
            severityText,
            AnyValue.of(body),
            attributeKey == null
                ? Attributes.EMPTY
                : Attributes.of(Attribute.of(attributeKey, attributeValue)),
            0,
            traceId == null ? null : TraceId.fromHex(traceId),
            spanId == null ? null : SpanId.fromHex(spanId),
            "",
            resource,
            InstrumentationScope.EMPTY));
  }

  /** The service catalog over the same records: services that logged in the range. */
  ListServicesQuery services() {
    return new ListServicesQuery() {
      @Override
      public List<ServiceSummary> listServices(TenantId tenant, TimeRange range) {
        Map<String, Long> counts = new TreeMap<>();
        records.stream()
            .filter(r -> r.effectiveTimeUnixNano() >= range.startUnixNano())
            .filter(r -> r.effectiveTimeUnixNano() <= range.endUnixNano())
            .forEach(r -> counts.merge(r.serviceName(), 1L, Long::sum));
        return counts.entrySet().stream()
            .map(e -> new ServiceSummary(e.getKey(), 0, e.getValue()))
            .toList();
      }

      @Override
      public List<String> listServiceNames(TenantId tenant) {
        throw new UnsupportedOperationException("lists services with spans only");
      }

      @Override
      public List<Operation> listOperations(TenantId tenant, String service, TimeRange range) {
        throw new UnsupportedOperationException("not a log question");
      }
    };
  }

  /** The storage's log volume over the same records, as the port promises it: every slice. */
  ReadLogVolumeQuery volumes() {
    return (tenant, search) -> {
      volumeReads++;
      long start = search.filter().range().startUnixNano();
      long width = search.bucketNanos();
      List<Map<SeverityLevel, Long>> counts = new ArrayList<>();
      for (int i = 0; i < search.bucketCount(); i++) {
        counts.add(new EnumMap<>(SeverityLevel.class));
      }
      for (LogRecord r : matching(search.filter())) {
        int bucket = (int) ((r.effectiveTimeUnixNano() - start) / width);
        counts.get(bucket).merge(SeverityLevel.of(r.severityNumber()), 1L, Long::sum);
      }
      List<LogVolume.Bucket> buckets = new ArrayList<>();
      for (int i = 0; i < counts.size(); i++) {
        buckets.add(new LogVolume.Bucket(start + i * width, counts.get(i)));
      }
      return new LogVolume(start, width, buckets);
    };
  }

  @Override
  public Page<LogRecord> searchLogs(TenantId tenant, LogSearch s) {
    searches++;
    List<LogRecord> matching =
        matching(s).stream()
            .filter(
                r ->
                    s.page()
                        .after()
                        .map(c -> r.effectiveTimeUnixNano() < c.timeUnixNano())
                        .orElse(true))
            .sorted(Comparator.comparingLong(LogRecord::effectiveTimeUnixNano).reversed())
            .toList();
    int limit = s.page().limit();
    List<LogRecord> page = matching.subList(0, Math.min(limit, matching.size()));
    Optional<PageCursor> next =
        matching.size() > limit
            ? Optional.of(new PageCursor(page.get(page.size() - 1).effectiveTimeUnixNano(), "k"))
            : Optional.empty();
    return new Page<>(page, next);
  }

  /** Every criterion of the search but its page. */
  private List<LogRecord> matching(LogSearch s) {
    return records.stream()
        .filter(r -> r.effectiveTimeUnixNano() >= s.range().startUnixNano())
        .filter(r -> r.effectiveTimeUnixNano() <= s.range().endUnixNano())
        .filter(r -> s.service().map(r.serviceName()::equals).orElse(true))
        .filter(r -> r.severityNumber() >= s.minSeverity())
        .filter(
            r ->
                s.text()
                    .map(
                        t ->
                            LokiText.of(r.body())
                                .toLowerCase(Locale.ROOT)
                                .contains(t.toLowerCase(Locale.ROOT)))
                    .orElse(true))
        .filter(r -> s.traceId().map(t -> t.equals(r.traceId())).orElse(true))
        .filter(r -> s.spanId().map(t -> t.equals(r.spanId())).orElse(true))
        .toList();
  }
}
