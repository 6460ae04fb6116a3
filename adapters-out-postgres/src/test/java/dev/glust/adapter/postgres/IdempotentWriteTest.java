package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A retried export (the same records again, alone or coalesced with others) is stored once. */
class IdempotentWriteTest {
  private TestPostgres.Database db;
  private PostgresStorage storage;

  @BeforeEach
  void open() {
    db = TestPostgres.server().createDatabase();
    storage = PostgresStorage.open(PostgresSettings.of(db.jdbcUrl(), db.user(), db.password()));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void aSpanSentAgainIsStoredOnce() throws SQLException {
    Span first = span(1);
    Span second = span(2);
    storage.spans().saveSpans(List.of(first));
    storage.spans().saveSpans(List.of(first, second)); // the retry, coalesced with a new span
    storage.spans().saveSpans(List.of(second, second)); // twice in one batch

    assertThat(count("SELECT count(*) FROM spans")).isEqualTo(2);
    assertThat(storage.figures().duplicatesSkipped()).isEqualTo(3);
  }

  @Test
  void aLogRecordSentAgainIsStoredOnceEvenIfObservedAgain() throws SQLException {
    LogRecord log = SampleTelemetry.log(AnyValue.of("card declined"));
    storage.logs().saveLogs(List.of(log));
    storage.logs().saveLogs(List.of(observedLater(log), log));

    assertThat(count("SELECT count(*) FROM logs")).isEqualTo(1);
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
    storage.logs().saveLogs(List.of(log, otherBody, otherSeverity));

    assertThat(count("SELECT count(*) FROM logs")).isEqualTo(3);
    assertThat(count("SELECT count(DISTINCT log_key) FROM logs")).isEqualTo(3);
    assertThat(count("SELECT min(length(log_key)) FROM logs"))
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

  private long count(String sql) throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
