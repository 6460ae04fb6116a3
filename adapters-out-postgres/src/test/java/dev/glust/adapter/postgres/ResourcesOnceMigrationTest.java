package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.MetricSeriesSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.out.TraceRecords;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration V6 moves rows the schema-version-5 writer stored into the new layout: they read back
 * through the read ports exactly as written, their resources get the ids the writer gives the same
 * resources now, and records retried after the migration are stored once.
 */
class ResourcesOnceMigrationTest {
  private static final long T = SampleTelemetry.START_NANOS;

  @Test
  void rowsOfSchemaVersion5ReadBackExactlyAndRetriesAreStoredOnce() throws Exception {
    TestPostgres.Database db = TestPostgres.server().createDatabase();
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations(PostgresStorage.MIGRATIONS)
        .target("5")
        .load()
        .migrate();

    Span checkout = withoutNan(SampleTelemetry.span());
    Span payments =
        new Span(
            checkout.traceId(),
            new SpanId(42),
            "",
            checkout.spanId(),
            0,
            "charge",
            checkout.kind(),
            T + 1,
            T + 1_000_000_998L, // a duration whose end has another sub-microsecond rest
            Attributes.EMPTY,
            List.of(),
            0,
            List.of(),
            0,
            checkout.status(),
            SampleTelemetry.resource("payments"),
            checkout.scope());
    LogRecord timed = withoutNan(SampleTelemetry.log(AnyValue.of("declined")));
    // no time of its own: the API tells it by timeUnixNano 0
    LogRecord untimed =
        SampleTelemetry.withTimes(
            SampleTelemetry.log(
                new AnyValue.KeyValueListValue(
                    List.of(
                        Attribute.of("msg", "x"),
                        new Attribute("raw", new AnyValue.BytesValue(new byte[] {9}))))),
            0,
            T + 2_000_000_123L);
    untimed = withoutNan(untimed);

    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      for (String table : List.of("spans", "logs")) {
        s.execute(
            "CREATE TABLE "
                + table
                + "_p20181213_0000 PARTITION OF "
                + table
                + " FOR VALUES FROM ('2018-12-13T00:00:00Z') TO ('2018-12-14T00:00:00Z')");
      }
      c.setAutoCommit(false);
      SchemaV5Rows.copySpans(c, List.of(checkout, payments));
      SchemaV5Rows.copyLogs(c, List.of(timed, untimed));
      // a metric series of the checkout service, its resource and scope as V5 stored them
      s.execute(
          "INSERT INTO metric_series SELECT '\\x01', 'm', 1, '', '', 0, false, service_name,"
              + " resource_attributes, resource_dropped_attributes_count, resource_schema_url,"
              + " scope_name, scope_version, scope_attributes, scope_dropped_attributes_count,"
              + " scope_schema_url, '{\"route\": \"/\"}', start_time, start_time FROM spans"
              + " WHERE span_id = int8send(42)"); // payments
      c.commit();
    }

    try (PostgresStorage storage = PostgresStorage.open(db.settings())) {
      TraceRecords read = storage.traceLoader().loadTrace(TenantId.DEFAULT, checkout.traceId());
      assertThat(read.spans())
          .usingRecursiveComparison()
          .ignoringCollectionOrder()
          .isEqualTo(List.of(checkout, payments));
      assertThat(read.logs())
          .usingRecursiveComparison()
          .ignoringCollectionOrder()
          .isEqualTo(List.of(timed, untimed));
      assertThat(
              storage
                  .logSearch()
                  .searchLogs(
                      TenantId.DEFAULT,
                      new LogSearch(
                          Optional.empty(),
                          0,
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty(),
                          Map.of("service.name", "checkout"),
                          new TimeRange(T - 1_000_000_000L, T + 5_000_000_000L),
                          PageRequest.first(10)))
                  .items())
          .usingRecursiveComparison()
          .ignoringCollectionOrder()
          .isEqualTo(List.of(untimed, timed)); // newest first
      assertThat(db.queryLong("SELECT count(*) FROM resources")).isEqualTo(2);
      assertThat(db.queryLong("SELECT count(*) FROM scopes")).isEqualTo(1);
      assertThat(
              storage
                  .metricCatalog()
                  .loadMetricSeries(
                      TenantId.DEFAULT,
                      new MetricSeriesSearch(
                          "m",
                          Optional.empty(),
                          Optional.empty(),
                          Map.of("host.name", "h1"),
                          new TimeRange(T - 1_000_000_000L, T + 5_000_000_000L),
                          10)))
          .singleElement()
          .satisfies(
              series -> {
                assertThat(series.serviceName()).isEqualTo("payments");
                assertThat(series.resource())
                    .usingRecursiveComparison()
                    .ignoringCollectionOrder()
                    .isEqualTo(payments.resource().attributes());
                assertThat(series.scopeName()).isEqualTo(payments.scope().name());
                assertThat(series.scopeVersion()).isEqualTo(payments.scope().version());
              });

      // the same records sent again after the migration (the log key is the same)
      storage.spans().saveSpans(TenantId.DEFAULT, List.of(checkout, payments));
      storage.logs().saveLogs(TenantId.DEFAULT, List.of(timed, untimed));
      assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(2);
      assertThat(db.queryLong("SELECT count(*) FROM logs")).isEqualTo(2);
      assertThat(storage.figures().duplicatesSkipped()).isEqualTo(4);

      // a new span of a migrated resource references the migrated row: same id, computed anew
      storage
          .spans()
          .saveSpans(
              TenantId.DEFAULT,
              List.of(
                  SampleTelemetry.span(
                      checkout.traceId(), new SpanId(43), checkout.spanId(), "after")));
      assertThat(db.queryLong("SELECT count(*) FROM spans")).isEqualTo(3);
      assertThat(db.queryLong("SELECT count(*) FROM resources")).isEqualTo(2);
      assertThat(db.queryLong("SELECT count(*) FROM scopes")).isEqualTo(1);
      assertThat(db.queryLong("SELECT count(DISTINCT resource_id) FROM spans")).isEqualTo(2);
    }
  }

  /** NaN is not equal to itself in AssertJ's comparison; JsonbCodecTest covers it. */
  private static Attributes withoutNan(Attributes attributes) {
    return new Attributes(
        attributes.entries().stream().filter(a -> !a.key().equals("nan")).toList(),
        attributes.droppedCount());
  }

  private static Span withoutNan(Span s) {
    return new Span(
        s.traceId(),
        s.spanId(),
        s.traceState(),
        s.parentSpanId(),
        s.flags(),
        s.name(),
        s.kind(),
        s.startTimeUnixNano(),
        s.endTimeUnixNano(),
        withoutNan(s.attributes()),
        s.events(),
        s.droppedEventsCount(),
        s.links(),
        s.droppedLinksCount(),
        s.status(),
        s.resource(),
        s.scope());
  }

  private static LogRecord withoutNan(LogRecord l) {
    return new LogRecord(
        l.timeUnixNano(),
        l.observedTimeUnixNano(),
        l.severityNumber(),
        l.severityText(),
        l.body(),
        withoutNan(l.attributes()),
        l.flags(),
        l.traceId(),
        l.spanId(),
        l.eventName(),
        l.resource(),
        l.scope());
  }
}
