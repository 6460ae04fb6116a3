package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.out.QueryTimedOutException;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresStorageTest {
  private TestPostgres.Database db;
  private PostgresStorage storage;

  @BeforeEach
  void open() {
    db = TestPostgres.server().createDatabase();
    storage = PostgresStorage.open(db.settings());
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void storesEverySpanFieldExactly() throws SQLException {
    Span span = SampleTelemetry.span();
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(span));

    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM span_records")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBytes("trace_id")).isEqualTo(span.traceId().toBytes());
      assertThat(rs.getBytes("span_id")).isEqualTo(span.spanId().toBytes());
      assertThat(rs.getBytes("parent_span_id")).isEqualTo(span.parentSpanId().toBytes());
      assertThat(rs.getString("trace_state")).isEqualTo("vendor=value");
      assertThat(rs.getInt("flags")).isEqualTo(0x101);
      assertThat(rs.getString("service_name")).isEqualTo("checkout");
      assertThat(rs.getString("span_name")).isEqualTo("GET /checkout");
      assertThat(rs.getInt("span_kind")).isEqualTo(2);
      assertThat(rs.getLong("start_time_unix_nano")).isEqualTo(SampleTelemetry.START_NANOS);
      assertThat(rs.getLong("end_time_unix_nano")).isEqualTo(span.endTimeUnixNano());
      assertThat(rs.getTimestamp("start_time").toInstant())
          .isEqualTo(Instant.ofEpochSecond(0, SampleTelemetry.START_NANOS / 1000 * 1000));
      assertThat(rs.getInt("status_code")).isEqualTo(2);
      assertThat(rs.getString("status_message")).isEqualTo("boom");
      assertThat(rs.getInt("dropped_attributes_count")).isEqualTo(3);
      assertThat(rs.getInt("dropped_events_count")).isEqualTo(2);
      assertThat(rs.getInt("dropped_links_count")).isEqualTo(1);
      assertThat(rs.getString("resource_schema_url"))
          .isEqualTo("https://opentelemetry.io/schemas/1.26.0");
      assertThat(rs.getInt("resource_dropped_attributes_count")).isEqualTo(1);
      assertThat(rs.getString("scope_name")).isEqualTo("io.glust.test");
      assertThat(rs.getString("scope_version")).isEqualTo("1.2.3");
      assertThat(rs.getString("scope_attributes")).isEqualTo("{\"scope.attr\": \"s\"}");
      assertThat(rs.getString("events"))
          .isEqualTo(
              "[{\"name\": \"exception\", \"attributes\": {\"exception.type\": \"E\"},"
                  + " \"timeUnixNano\": "
                  + (SampleTelemetry.START_NANOS + 7)
                  + ", \"droppedAttributesCount\": 0}]");
      assertThat(rs.getString("links"))
          .isEqualTo(
              "[{\"flags\": 1, \"spanId\": \"0102030405060708\", \"traceId\":"
                  + " \"0102030405060708090a0b0c0d0e0f10\", \"attributes\": {\"link.attr\": 5},"
                  + " \"traceState\": \"k=v\", \"droppedAttributesCount\": 0}]");
      assertThat(rs.next()).isFalse();
    }
    assertEveryTypeKept("spans", "attributes");
  }

  /** Attribute values keep their OTLP type: checked with PostgreSQL's own JSON functions. */
  private void assertEveryTypeKept(String table, String column) throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT key, jsonb_typeof(value), value::text FROM "
                    + table
                    + ", jsonb_each("
                    + column
                    + ") ORDER BY key")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
      assertThat(rows)
          .containsExactly(
              "array array [\"a\", 2]",
              "bool boolean true",
              "bytes object {\"bytesValue\": \"AAEC/w==\"}",
              "double number 1.0",
              "empty null null",
              "int number 9007199254740993",
              "kvlist object {\"deep\": \"x\", \"inner\": 1}",
              "nan object {\"doubleValue\": \"NaN\"}",
              "str string \"value\"");
    }
  }

  @Test
  void storesEveryLogFieldExactly() throws SQLException {
    LogRecord log = SampleTelemetry.log(AnyValue.of("something failed"));
    storage.logs().saveLogs(TenantId.DEFAULT, List.of(log));

    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT *, body::text AS body_text FROM log_records")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong("time_unix_nano")).isEqualTo(SampleTelemetry.START_NANOS);
      assertThat(rs.getLong("observed_time_unix_nano"))
          .isEqualTo(SampleTelemetry.START_NANOS + 999);
      assertThat(rs.getTimestamp("timestamp").toInstant())
          .isEqualTo(Instant.ofEpochSecond(0, SampleTelemetry.START_NANOS / 1000 * 1000));
      assertThat(rs.getBytes("trace_id")).isEqualTo(SampleTelemetry.TRACE_ID.toBytes());
      assertThat(rs.getBytes("span_id")).isEqualTo(SampleTelemetry.SPAN_ID.toBytes());
      assertThat(rs.getInt("flags")).isEqualTo(1);
      assertThat(rs.getString("service_name")).isEqualTo("checkout");
      assertThat(rs.getString("severity_text")).isEqualTo("ERROR");
      assertThat(rs.getInt("severity_number")).isEqualTo(17);
      assertThat(rs.getString("body_text")).isEqualTo("\"something failed\"");
      assertThat(rs.getString("scope_name")).isEqualTo("io.glust.test");
      assertThat(rs.getInt("dropped_attributes_count")).isEqualTo(3);
      assertThat(rs.getString("resource_attributes"))
          .isEqualTo("{\"host.name\": \"h1\", \"service.name\": \"checkout\"}");
    }
    assertEveryTypeKept("logs", "log_attributes");
  }

  @Test
  void structuredEmptyAndUncorrelatedLogsAreStored() throws SQLException {
    LogRecord sample = SampleTelemetry.log(AnyValue.EMPTY);
    LogRecord uncorrelated =
        new LogRecord(
            0,
            5,
            0,
            "",
            sample.body(),
            Attributes.EMPTY,
            0,
            null,
            null,
            "ev",
            sample.resource(),
            sample.scope());
    LogRecord structured =
        SampleTelemetry.log(
            new AnyValue.KeyValueListValue(
                List.of(Attribute.of("msg", "hi"), Attribute.of("n", 2))));
    storage.logs().saveLogs(TenantId.DEFAULT, List.of(uncorrelated, structured));

    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT body::text, trace_id, span_id, event_name, timestamp FROM log_records"
                    + " ORDER BY time_unix_nano")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isNull();
      assertThat(rs.getBytes(2)).isNull();
      assertThat(rs.getBytes(3)).isNull();
      assertThat(rs.getString(4)).isEqualTo("ev");
      assertThat(rs.getTimestamp(5).toInstant()).isEqualTo(Instant.EPOCH); // observed time: 5 ns
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("{\"n\": 2, \"msg\": \"hi\"}");
    }
  }

  @Test
  void textThatPostgresCannotHoldIsStoredSanitised() throws SQLException {
    Span sample = SampleTelemetry.span();
    Span nul =
        SampleTelemetry.span(sample.traceId(), sample.spanId(), null, "nul\u0000inside\uD800");
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(nul));
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT span_name, parent_span_id FROM spans")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("nul\uFFFDinside\uFFFD");
      assertThat(rs.getBytes(2)).isNull();
    }
  }

  @Test
  void aLargeBatchIsOneTransaction() throws SQLException {
    List<Span> spans =
        IntStream.rangeClosed(1, 5_000)
            .mapToObj(
                i ->
                    SampleTelemetry.span(
                        SampleTelemetry.TRACE_ID, new SpanId(i), SampleTelemetry.PARENT_ID, "op"))
            .toList();
    storage.spans().saveSpans(TenantId.DEFAULT, spans);
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT xmin::text) FROM spans")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(5_000);
      assertThat(rs.getLong(2)).isEqualTo(1); // every row written by the same transaction
    }
  }

  @Test
  void aHealthyDatabaseHasNoProblem() {
    assertThat(storage.probe().problem()).isEmpty();
  }

  @Test
  void poolFiguresTellTheOpenConnectionsAndNothingOnceClosed() {
    PostgresStorage.PoolFigures open = storage.poolFigures();
    assertThat(open.total()).isPositive().isEqualTo(open.active() + open.idle());
    assertThat(open.pendingThreads()).isZero();

    storage.close(); // closing again in close() is harmless

    assertThat(storage.poolFigures()).isEqualTo(new PostgresStorage.PoolFigures(0, 0, 0, 0));
  }

  @Test
  void aLostDatabaseIsRetryableAndUnhealthy() throws SQLException {
    String name = db.jdbcUrl().replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
    TestPostgres.Database admin = TestPostgres.server().createDatabase();
    try (Connection c = admin.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE " + name + " WITH (FORCE)"); // kills the pool's connections too
    }

    assertThatThrownBy(
            () -> storage.spans().saveSpans(TenantId.DEFAULT, List.of(SampleTelemetry.span())))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(storage.probe().problem()).get().asString().contains("unreachable");
  }

  @Test
  void resourcesAndScopesAreStoredOnceByContent() throws SQLException {
    Span payments =
        new Span(
            SampleTelemetry.TRACE_ID,
            new SpanId(9),
            "",
            null,
            0,
            "charge",
            SpanKind.CLIENT,
            SampleTelemetry.START_NANOS,
            SampleTelemetry.START_NANOS + 1,
            Attributes.EMPTY,
            List.of(),
            0,
            List.of(),
            0,
            new SpanStatus(SpanStatus.Code.UNSET, ""),
            SampleTelemetry.resource("payments"),
            SampleTelemetry.scope());
    // equal resources and scopes in other objects, in one batch and in the next ones
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(1), span(2), payments));
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(3)));
    storage.logs().saveLogs(TenantId.DEFAULT, List.of(SampleTelemetry.log(AnyValue.of("x"))));

    assertThat(db.queryLong("SELECT count(*) FROM resources")).isEqualTo(2);
    assertThat(db.queryLong("SELECT count(*) FROM scopes")).isEqualTo(1);
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM resources"
                    + " WHERE resource_id = glust_resource_id(attributes, dropped_attributes_count,"
                    + " schema_url) AND length(resource_id) = 16"))
        .isEqualTo(2);
    assertThat(db.queryLong("SELECT count(DISTINCT resource_id) FROM spans")).isEqualTo(2);
    assertThat(db.queryLong("SELECT count(*) FROM span_records")).isEqualTo(4);
    assertThat(db.queryLong("SELECT count(*) FROM log_records")).isEqualTo(1);
  }

  /** A batch that fails after storing its new resource leaves nothing remembered of it. */
  @Test
  void aResourceOfABatchRolledBackIsStoredWithTheNextBatch() throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE FUNCTION refuse_failing_spans() RETURNS trigger LANGUAGE plpgsql AS $$"
              + " BEGIN IF NEW.span_name = 'fail' THEN RAISE EXCEPTION 'refused'; END IF;"
              + " RETURN NEW; END $$");
      s.execute(
          "CREATE TRIGGER refuse BEFORE INSERT ON spans FOR EACH ROW"
              + " EXECUTE FUNCTION refuse_failing_spans()");
    }
    assertThatThrownBy(
            () ->
                storage
                    .spans()
                    .saveSpans(
                        TenantId.DEFAULT,
                        List.of(
                            SampleTelemetry.span(
                                SampleTelemetry.TRACE_ID, new SpanId(1), null, "fail"))))
        .isInstanceOf(RuntimeException.class);
    assertThat(db.queryLong("SELECT count(*) FROM resources")).isZero();

    storage.spans().saveSpans(TenantId.DEFAULT, List.of(span(2)));

    assertThat(db.queryLong("SELECT count(*) FROM span_records")).isEqualTo(1);
  }

  @Test
  void timesReadBackToTheNanosecond() {
    long t = -1_000_000_000_001L; // before 1970, one nanosecond off a microsecond
    Span early = SampleTelemetry.withTimes(span(1), t, t + 1);
    LogRecord untimed = SampleTelemetry.withTimes(SampleTelemetry.log(AnyValue.of("x")), 0, t);
    LogRecord timed =
        SampleTelemetry.withTimes(SampleTelemetry.log(AnyValue.of("y")), t + 999, t - 7);
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(early));
    storage.logs().saveLogs(TenantId.DEFAULT, List.of(untimed, timed));

    var read = storage.traceLoader().loadTrace(TenantId.DEFAULT, SampleTelemetry.TRACE_ID);
    assertThat(read.spans())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.startTimeUnixNano()).isEqualTo(t);
              assertThat(s.endTimeUnixNano()).isEqualTo(t + 1);
            });
    assertThat(read.logs())
        .extracting(LogRecord::timeUnixNano, LogRecord::observedTimeUnixNano)
        .containsExactly(tuple(0L, t), tuple(t + 999, t - 7));
  }

  // ---- idempotent writes: a retried export (alone or coalesced) is stored once ----

  @Test
  void aSpanSentAgainIsStoredOnce() throws SQLException {
    Span first = span(1);
    Span second = span(2);
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(first));
    storage
        .spans()
        .saveSpans(
            TenantId.DEFAULT, List.of(first, second)); // the retry, coalesced with a new span
    storage.spans().saveSpans(TenantId.DEFAULT, List.of(second, second)); // twice in one batch

    assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(2);
    assertThat(storage.figures().duplicatesSkipped()).isEqualTo(3);
  }

  @Test
  void aLogRecordSentAgainIsStoredOnceEvenIfObservedAgain() throws SQLException {
    LogRecord log = SampleTelemetry.log(AnyValue.of("card declined"));
    storage.logs().saveLogs(TenantId.DEFAULT, List.of(log));
    storage.logs().saveLogs(TenantId.DEFAULT, List.of(observedLater(log), log));

    assertThat(db.queryLong("SELECT count(*) FROM logs")).isEqualTo(1);
  }

  /**
   * A record without a time of its own is known only by its observed time: the same export sent
   * again is stored once, but observed again it cannot be told from the same line logged twice
   * (e.g. a file re-read, or "retrying…" written every minute), so both are kept.
   */
  @Test
  void aLogRecordWithoutItsOwnTimeIsIdentifiedByItsObservedTime() throws SQLException {
    LogRecord untimed =
        SampleTelemetry.withTimes(
            SampleTelemetry.log(AnyValue.of("connection reset")), 0, 1_700_000_000_000_000_000L);
    storage.logs().saveLogs(TenantId.DEFAULT, List.of(untimed));
    storage.logs().saveLogs(TenantId.DEFAULT, List.of(untimed)); // a retried export: stored once
    assertThat(db.queryLong("SELECT count(*) FROM logs")).isEqualTo(1);

    storage.logs().saveLogs(TenantId.DEFAULT, List.of(observedLater(untimed)));

    assertThat(db.queryLong("SELECT count(*) FROM logs")).isEqualTo(2);
  }

  @Test
  void logRecordsThatDifferInAnythingButObservedTimeAreKept() throws SQLException {
    LogRecord log = SampleTelemetry.log(AnyValue.of("card declined"));
    LogRecord otherBody = SampleTelemetry.log(AnyValue.of("card declined!"));
    LogRecord otherSeverity =
        new LogRecord(
            log.timeUnixNano(),
            log.observedTimeUnixNano(),
            13,
            log.severityText(),
            log.body(),
            log.attributes(),
            log.flags(),
            log.traceId(),
            log.spanId(),
            log.eventName(),
            log.resource(),
            log.scope());
    storage.logs().saveLogs(TenantId.DEFAULT, List.of(log, otherBody, otherSeverity));

    assertThat(db.queryLong("SELECT count(*) FROM logs")).isEqualTo(3);
    assertThat(db.queryLong("SELECT count(DISTINCT log_key) FROM logs")).isEqualTo(3);
    assertThat(db.queryLong("SELECT min(length(log_key)) FROM logs"))
        .isEqualTo(BinaryCopyRow.IDENTITY_BYTES);
  }

  private static Span span(int id) {
    return SampleTelemetry.span(
        SampleTelemetry.TRACE_ID, new SpanId(id), SampleTelemetry.PARENT_ID, "op");
  }

  private static LogRecord observedLater(LogRecord log) {
    return SampleTelemetry.withTimes(
        log, log.timeUnixNano(), log.observedTimeUnixNano() + 5_000_000_000L);
  }

  @Test
  void aQueryLongerThanTheQueryTimeoutIsCancelledWhileIngestIsNeverCutShort() throws Exception {
    TestPostgres.Database slow = TestPostgres.server().createDatabase();
    PostgresSettings oneMillisecondQueries =
        new PostgresSettings(
            slow.jdbcUrl(),
            slow.user(),
            slow.password(),
            2,
            1,
            java.time.Duration.ofSeconds(5),
            java.time.Duration.ofMillis(1),
            TestPostgres.SERVICE_USER,
            TestPostgres.SERVICE_PASSWORD);
    try (PostgresStorage timed = PostgresStorage.open(oneMillisecondQueries)) {
      slow.seedLogs(200_000);
      LogSearch wholeDay =
          new LogSearch(
              Optional.empty(),
              0,
              Optional.of("zq"),
              Optional.empty(),
              Optional.empty(),
              Map.of(),
              new TimeRange(0, Long.MAX_VALUE),
              PageRequest.first(10));

      assertThatThrownBy(() -> timed.logSearch().searchLogs(TenantId.DEFAULT, wholeDay))
          .isInstanceOf(QueryTimedOutException.class)
          .hasMessageContaining("statement timeout");
      // migrations and writes run on the ingest pool, which has no statement timeout
      timed
          .logs()
          .saveLogs(
              TenantId.DEFAULT,
              IntStream.range(0, 5000)
                  .mapToObj(i -> SampleTelemetry.log(AnyValue.of("kept " + i)))
                  .toList());
      assertThat(slow.queryLong("SELECT count(*) FROM logs WHERE service_name <> 'seed'"))
          .isEqualTo(5000);
    }
  }
}
