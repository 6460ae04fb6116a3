package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.PageCursor;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.application.port.model.TraceSearch;
import dev.glust.application.port.model.TraceSummary;
import dev.glust.application.port.out.TraceRecords;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read models against a real PostgreSQL: every filter, keyset paging, exact round trips. */
class PostgresReadModelTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final TimeRange ALL = new TimeRange(T0 - 1000 * SECOND, T0 + 1000 * SECOND);

  private PostgresStorage storage;

  @BeforeEach
  void open() {
    TestPostgres.Database db = TestPostgres.server().createDatabase();
    storage = PostgresStorage.open(db.settings());
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private static TraceId trace(int n) {
    return new TraceId(0x1234, n);
  }

  /** A span with the given shape; everything else as in the sample. */
  private static Span span(
      TraceId trace,
      int id,
      Integer parent,
      String service,
      String name,
      long start,
      long nanos,
      SpanStatus.Code status,
      Attributes attributes) {
    Span s = SampleTelemetry.span();
    return new Span(
        trace,
        new SpanId(id),
        "",
        parent == null ? null : new SpanId(parent),
        1,
        name,
        SpanKind.SERVER,
        start,
        start + nanos,
        attributes,
        List.of(),
        0,
        List.of(),
        0,
        new SpanStatus(status, ""),
        SampleTelemetry.resource(service),
        s.scope());
  }

  private static LogRecord log(
      String service,
      long time,
      int severity,
      AnyValue body,
      TraceId trace,
      Attributes attributes) {
    LogRecord l = SampleTelemetry.log(body);
    return new LogRecord(
        time,
        time + 1,
        severity,
        "",
        body,
        attributes,
        0,
        trace,
        trace == null ? null : new SpanId(1),
        "",
        SampleTelemetry.resource(service),
        l.scope());
  }

  private TraceSearch traces(
      Map<String, String> attributes,
      Optional<String> service,
      Optional<String> operation,
      Optional<Long> min,
      Optional<Long> max,
      boolean errors) {
    return new TraceSearch(
        service, operation, min, max, errors, attributes, ALL, PageRequest.first(100));
  }

  private List<TraceId> ids(Page<TraceSummary> page) {
    return page.items().stream().map(TraceSummary::traceId).toList();
  }

  @Test
  void aTraceReadsBackExactlyWithItsCorrelatedLogs() {
    // NaN is not equal to itself in AssertJ's unordered comparison; JsonbCodecTest covers it.
    Span every = SampleTelemetry.span();
    Attributes withoutNan =
        new Attributes(
            every.attributes().entries().stream().filter(a -> !a.key().equals("nan")).toList(),
            every.attributes().droppedCount());
    Span sample =
        new Span(
            every.traceId(),
            every.spanId(),
            every.traceState(),
            every.parentSpanId(),
            every.flags(),
            every.name(),
            every.kind(),
            every.startTimeUnixNano(),
            every.endTimeUnixNano(),
            withoutNan,
            every.events(),
            every.droppedEventsCount(),
            every.links(),
            every.droppedLinksCount(),
            every.status(),
            every.resource(),
            every.scope());
    storage.spans().saveSpans(List.of(sample));
    LogRecord anyLog =
        SampleTelemetry.log(
            new AnyValue.KeyValueListValue(
                List.of(
                    Attribute.of("msg", "x"),
                    new Attribute("raw", new AnyValue.BytesValue(new byte[] {9})))));
    LogRecord correlated =
        new LogRecord(
            anyLog.timeUnixNano(),
            anyLog.observedTimeUnixNano(),
            anyLog.severityNumber(),
            anyLog.severityText(),
            anyLog.body(),
            withoutNan,
            anyLog.flags(),
            anyLog.traceId(),
            anyLog.spanId(),
            anyLog.eventName(),
            anyLog.resource(),
            anyLog.scope());
    storage
        .logs()
        .saveLogs(
            List.of(
                correlated, log("other", T0, 9, AnyValue.of("unrelated"), null, Attributes.EMPTY)));

    TraceRecords read = storage.traceLoader().loadTrace(sample.traceId());

    // JSONB keeps object keys in its own order, which OTLP does not give a meaning to.
    assertThat(read.spans())
        .singleElement()
        .usingRecursiveComparison()
        .ignoringCollectionOrder()
        .isEqualTo(sample);
    assertThat(read.logs())
        .singleElement()
        .usingRecursiveComparison()
        .ignoringCollectionOrder()
        .isEqualTo(correlated);
    assertThat(storage.traceLoader().loadTrace(trace(999)).spans()).isEmpty();
  }

  @Test
  void traceSearchAppliesEveryFilterAndSummarisesWholeTraces() {
    storage
        .spans()
        .saveSpans(
            List.of(
                span(
                    trace(1),
                    1,
                    null,
                    "checkout",
                    "GET /cart",
                    T0,
                    50_000_000,
                    SpanStatus.Code.UNSET,
                    Attributes.of(Attribute.of("http.status_code", 200L))),
                span(
                    trace(1),
                    2,
                    1,
                    "db",
                    "SELECT",
                    T0 + 1000,
                    10_000_000,
                    SpanStatus.Code.ERROR,
                    Attributes.of(Attribute.of("db.system", "postgresql"))),
                span(
                    trace(2),
                    1,
                    null,
                    "checkout",
                    "POST /pay",
                    T0 + SECOND,
                    900_000_000,
                    SpanStatus.Code.ERROR,
                    Attributes.of(
                        Attribute.of("http.status_code", 500L),
                        new Attribute("retry", AnyValue.of(true)))),
                span(
                    trace(3),
                    7,
                    6,
                    "search",
                    "GET /q",
                    T0 + 2 * SECOND,
                    1_000,
                    SpanStatus.Code.OK,
                    Attributes.of(Attribute.of("http.status_code", "500")))));

    Optional<String> none = Optional.empty();
    Optional<Long> noLong = Optional.empty();
    assertThat(
            ids(
                storage
                    .traceSearch()
                    .searchTraces(traces(Map.of(), none, none, noLong, noLong, false))))
        .containsExactly(trace(3), trace(2), trace(1));
    assertThat(
            ids(
                storage
                    .traceSearch()
                    .searchTraces(
                        traces(Map.of(), Optional.of("checkout"), none, noLong, noLong, false))))
        .containsExactly(trace(2), trace(1));
    assertThat(
            ids(
                storage
                    .traceSearch()
                    .searchTraces(
                        traces(Map.of(), none, Optional.of("SELECT"), noLong, noLong, false))))
        .containsExactly(trace(1));
    assertThat(
            ids(
                storage
                    .traceSearch()
                    .searchTraces(
                        traces(Map.of(), none, none, Optional.of(100_000_000L), noLong, false))))
        .containsExactly(trace(2));
    assertThat(
            ids(
                storage
                    .traceSearch()
                    .searchTraces(
                        traces(Map.of(), none, none, noLong, Optional.of(10_000_000L), false))))
        .containsExactly(trace(3), trace(1));
    assertThat(
            ids(
                storage
                    .traceSearch()
                    .searchTraces(traces(Map.of(), none, none, noLong, noLong, true))))
        .containsExactly(trace(2), trace(1));
    // "500" finds the int 500 and the string "500"; "true" the boolean; resource attributes count
    assertThat(
            ids(
                storage
                    .traceSearch()
                    .searchTraces(
                        traces(
                            Map.of("http.status_code", "500"), none, none, noLong, noLong, false))))
        .containsExactly(trace(3), trace(2));
    assertThat(
            ids(
                storage
                    .traceSearch()
                    .searchTraces(
                        traces(
                            Map.of("retry", "true", "host.name", "h1"),
                            none,
                            none,
                            noLong,
                            noLong,
                            false))))
        .containsExactly(trace(2));
    assertThat(
            ids(
                storage
                    .traceSearch()
                    .searchTraces(
                        traces(
                            Map.of("http.status_code", "50"), none, none, noLong, noLong, false))))
        .isEmpty();
    TraceSearch early =
        new TraceSearch(
            none,
            none,
            noLong,
            noLong,
            false,
            Map.of(),
            new TimeRange(T0 - SECOND, T0 + SECOND / 2),
            PageRequest.first(10));
    assertThat(ids(storage.traceSearch().searchTraces(early))).containsExactly(trace(1));

    TraceSummary first =
        storage
            .traceSearch()
            .searchTraces(traces(Map.of(), none, Optional.of("SELECT"), noLong, noLong, false))
            .items()
            .get(0);
    assertThat(first)
        .isEqualTo(new TraceSummary(trace(1), "checkout", "GET /cart", T0, 50_000_000, 2, 1));
    TraceSummary orphanOnly =
        storage
            .traceSearch()
            .searchTraces(traces(Map.of(), Optional.of("search"), none, noLong, noLong, false))
            .items()
            .get(0);
    assertThat(orphanOnly.rootSpanName()).isEqualTo("GET /q"); // no parentless span: the earliest
  }

  @Test
  void tracePagesNeitherSkipNorRepeatWhileNewDataArrives() {
    storage
        .spans()
        .saveSpans(
            IntStream.rangeClosed(1, 25)
                .mapToObj(
                    i ->
                        span(
                            trace(i),
                            1,
                            null,
                            "svc",
                            "op",
                            T0 + (i % 5) * SECOND,
                            10,
                            SpanStatus.Code.UNSET,
                            Attributes.EMPTY))
                .toList()); // five traces share each start time: the trace id breaks ties
    TimeRange pinned = new TimeRange(T0 - SECOND, T0 + 10 * SECOND);
    List<TraceId> seen = new ArrayList<>();
    Optional<PageCursor> after = Optional.empty();
    int pages = 0;
    do {
      Page<TraceSummary> page =
          storage
              .traceSearch()
              .searchTraces(
                  new TraceSearch(
                      Optional.of("svc"),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      false,
                      Map.of(),
                      pinned,
                      new PageRequest(10, after)));
      seen.addAll(ids(page));
      after = page.next();
      pages++;
      storage
          .spans()
          .saveSpans(
              List.of(
                  span(
                      trace(100 + pages),
                      1,
                      null,
                      "svc",
                      "op",
                      T0 + 20 * SECOND,
                      10,
                      SpanStatus.Code.UNSET,
                      Attributes.EMPTY)));
    } while (after.isPresent());
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(25).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen))
        .isEqualTo(
            Set.copyOf(
                IntStream.rangeClosed(1, 25).mapToObj(PostgresReadModelTest::trace).toList()));
  }

  private LogSearch logs(
      Optional<String> service,
      int minSeverity,
      Optional<String> text,
      Optional<TraceId> trace,
      Map<String, String> attributes,
      PageRequest page) {
    return new LogSearch(
        service, minSeverity, text, trace, Optional.empty(), attributes, ALL, page);
  }

  private List<String> bodies(Page<LogRecord> page) {
    return page.items().stream()
        .map(l -> String.valueOf(((AnyValue.StringValue) l.body()).value()))
        .toList();
  }

  @Test
  void logSearchAppliesEveryFilterNewestFirst() {
    storage
        .logs()
        .saveLogs(
            List.of(
                log(
                    "checkout",
                    T0,
                    9,
                    AnyValue.of("user logged in"),
                    null,
                    Attributes.of(Attribute.of("user.id", 42L))),
                log(
                    "checkout",
                    T0 + 1000,
                    17,
                    AnyValue.of("Payment FAILED: 100% sure"),
                    trace(1),
                    Attributes.EMPTY),
                log(
                    "search",
                    T0 + 2000,
                    13,
                    AnyValue.of("slow_query took 2s"),
                    trace(2),
                    Attributes.of(Attribute.of("user.id", "42")))));
    PageRequest page = PageRequest.first(100);
    Optional<String> none = Optional.empty();
    assertThat(
            bodies(
                storage
                    .logSearch()
                    .searchLogs(logs(none, 0, none, Optional.empty(), Map.of(), page))))
        .containsExactly("slow_query took 2s", "Payment FAILED: 100% sure", "user logged in");
    assertThat(
            bodies(
                storage
                    .logSearch()
                    .searchLogs(
                        logs(Optional.of("checkout"), 0, none, Optional.empty(), Map.of(), page))))
        .containsExactly("Payment FAILED: 100% sure", "user logged in");
    assertThat(
            bodies(
                storage
                    .logSearch()
                    .searchLogs(logs(none, 13, none, Optional.empty(), Map.of(), page))))
        .containsExactly("slow_query took 2s", "Payment FAILED: 100% sure");
    assertThat(
            bodies(
                storage
                    .logSearch()
                    .searchLogs(
                        logs(
                            none,
                            0,
                            Optional.of("payment failed"),
                            Optional.empty(),
                            Map.of(),
                            page))))
        .containsExactly("Payment FAILED: 100% sure");
    assertThat(
            bodies(
                storage
                    .logSearch()
                    .searchLogs(
                        logs(none, 0, Optional.of("100%"), Optional.empty(), Map.of(), page))))
        .containsExactly("Payment FAILED: 100% sure");
    assertThat(
            bodies(
                storage
                    .logSearch()
                    .searchLogs(
                        logs(none, 0, Optional.of("slow_q"), Optional.empty(), Map.of(), page))))
        .containsExactly("slow_query took 2s");
    assertThat(
            bodies(
                storage
                    .logSearch()
                    .searchLogs(
                        logs(none, 0, Optional.of("low%uery"), Optional.empty(), Map.of(), page))))
        .isEmpty(); // % is a literal, not a wildcard
    assertThat(
            bodies(
                storage
                    .logSearch()
                    .searchLogs(logs(none, 0, none, Optional.of(trace(2)), Map.of(), page))))
        .containsExactly("slow_query took 2s");
    assertThat(
            bodies(
                storage
                    .logSearch()
                    .searchLogs(
                        logs(none, 0, none, Optional.empty(), Map.of("user.id", "42"), page))))
        .containsExactly("slow_query took 2s", "user logged in");
  }

  @Test
  void logPagesBreakTiesOfTheSameTimestamp() {
    storage
        .logs()
        .saveLogs(
            IntStream.range(0, 23)
                .mapToObj(
                    i ->
                        log(
                            "svc",
                            T0 + (i / 10) * 1000,
                            9,
                            AnyValue.of("n" + i),
                            null,
                            Attributes.EMPTY))
                .toList());
    List<String> seen = new ArrayList<>();
    Optional<PageCursor> after = Optional.empty();
    do {
      Page<LogRecord> page =
          storage
              .logSearch()
              .searchLogs(
                  logs(
                      Optional.of("svc"),
                      0,
                      Optional.empty(),
                      Optional.empty(),
                      Map.of(),
                      new PageRequest(5, after)));
      seen.addAll(bodies(page));
      after = page.next();
      storage
          .logs()
          .saveLogs(List.of(log("svc", T0 + 5000, 9, AnyValue.of("late"), null, Attributes.EMPTY)));
    } while (after.isPresent() && seen.size() < 100);
    assertThat(seen.stream().filter(b -> !b.equals("late"))).hasSize(23).doesNotHaveDuplicates();
  }

  @Test
  void servicesAndOperationsAreListedWithCounts() {
    storage
        .spans()
        .saveSpans(
            List.of(
                span(
                    trace(1),
                    1,
                    null,
                    "checkout",
                    "GET /cart",
                    T0,
                    10,
                    SpanStatus.Code.UNSET,
                    Attributes.EMPTY),
                span(
                    trace(1),
                    2,
                    1,
                    "checkout",
                    "GET /cart",
                    T0,
                    10,
                    SpanStatus.Code.UNSET,
                    Attributes.EMPTY),
                span(
                    trace(2),
                    1,
                    null,
                    "checkout",
                    "POST /pay",
                    T0,
                    10,
                    SpanStatus.Code.UNSET,
                    Attributes.EMPTY)));
    storage
        .logs()
        .saveLogs(List.of(log("worker", T0, 9, AnyValue.of("x"), null, Attributes.EMPTY)));

    assertThat(storage.services().loadServices(ALL))
        .containsExactly(new ServiceSummary("checkout", 3, 0), new ServiceSummary("worker", 0, 1));
    assertThat(storage.services().loadServices(new TimeRange(T0 + SECOND, T0 + 2 * SECOND)))
        .isEmpty();
    assertThat(storage.services().loadServiceNames()).containsExactly("checkout");
    assertThat(storage.services().loadOperations("checkout", ALL))
        .containsExactly(
            new Operation("GET /cart", SpanKind.SERVER),
            new Operation("POST /pay", SpanKind.SERVER));
  }
}
