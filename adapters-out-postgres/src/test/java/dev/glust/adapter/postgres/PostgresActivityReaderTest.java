package dev.glust.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.adapter.postgres.testing.TestPostgres;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.LogVolumeSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.ServiceActivity;
import dev.glust.application.port.model.SeverityLevel;
import dev.glust.application.port.out.CountLogVolumePort.Count;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Log volume and service activity aggregates against a real PostgreSQL. */
class PostgresActivityReaderTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private static PostgresStorage storage;

  @BeforeAll
  static void load() {
    TestPostgres.Database db = TestPostgres.server().createDatabase();
    storage = PostgresStorage.open(db.settings());
    storage
        .logs()
        .saveLogs(
            List.of(
                log("checkout", T0, 9, "started", Attributes.EMPTY),
                log("checkout", T0 + 999_999_000, 17, "card declined", Attributes.EMPTY),
                log("checkout", T0 + SECOND, 18, "card declined again", Attributes.EMPTY),
                log("checkout", T0 + 2 * SECOND + 5, 13, "slow", Attributes.EMPTY),
                log("checkout", T0 + 3 * SECOND, 0, "no level", Attributes.EMPTY),
                log("cart", T0 + SECOND, 21, "boom", Attributes.of(Attribute.of("k", "v"))),
                // outside the ranges below
                log("checkout", T0 - 1, 17, "too early", Attributes.EMPTY),
                log("checkout", T0 + 10 * SECOND, 17, "too late", Attributes.EMPTY)));
    storage
        .spans()
        .saveSpans(
            List.of(
                span("checkout", 1, T0, SpanStatus.Code.ERROR),
                span("checkout", 2, T0 + SECOND, SpanStatus.Code.OK),
                span("checkout", 3, T0 + 2 * SECOND, SpanStatus.Code.UNSET),
                span("search", 4, T0 + SECOND, SpanStatus.Code.UNSET),
                span("search", 5, T0 + 20 * SECOND, SpanStatus.Code.ERROR)));
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  private static LogRecord log(
      String service, long time, int severity, String body, Attributes attributes) {
    LogRecord sample = SampleTelemetry.log(AnyValue.of(body));
    return new LogRecord(
        time,
        time,
        severity,
        "",
        AnyValue.of(body),
        attributes,
        0,
        null,
        null,
        "",
        SampleTelemetry.resource(service),
        sample.scope());
  }

  private static Span span(String service, int id, long start, SpanStatus.Code status) {
    Span sample = SampleTelemetry.span();
    return new Span(
        new TraceId(7, id),
        new SpanId(id),
        "",
        null,
        1,
        "op",
        SpanKind.SERVER,
        start,
        start + 1000,
        Attributes.EMPTY,
        List.of(),
        0,
        List.of(),
        0,
        new SpanStatus(status, ""),
        SampleTelemetry.resource(service),
        sample.scope());
  }

  /** Four one-second slices from T0. */
  private static LogVolumeSearch volume(
      Optional<String> service, int minSeverity, Optional<String> text, Map<String, String> attrs) {
    return new LogVolumeSearch(
        new LogSearch(
            service,
            minSeverity,
            text,
            Optional.empty(),
            Optional.empty(),
            attrs,
            new TimeRange(T0, T0 + 4 * SECOND - 1),
            PageRequest.first(1)),
        4);
  }

  @Test
  void logVolumeCountsEachSliceAndLevelWithinTheRange() {
    assertThat(
            storage
                .logVolume()
                .countLogVolume(volume(Optional.empty(), 0, Optional.empty(), Map.of())))
        .containsExactly(
            new Count(0, SeverityLevel.INFO, 1),
            new Count(0, SeverityLevel.ERROR, 1),
            new Count(1, SeverityLevel.ERROR, 1),
            new Count(1, SeverityLevel.FATAL, 1),
            new Count(2, SeverityLevel.WARN, 1),
            new Count(3, SeverityLevel.UNSPECIFIED, 1));
  }

  @Test
  void logVolumeAppliesTheSearchFilters() {
    assertThat(
            storage
                .logVolume()
                .countLogVolume(
                    volume(Optional.of("checkout"), 17, Optional.of("DECLINED"), Map.of())))
        .containsExactly(
            new Count(0, SeverityLevel.ERROR, 1), new Count(1, SeverityLevel.ERROR, 1));
    assertThat(
            storage
                .logVolume()
                .countLogVolume(volume(Optional.empty(), 0, Optional.empty(), Map.of("k", "v"))))
        .containsExactly(new Count(1, SeverityLevel.FATAL, 1));
    assertThat(
            storage
                .logVolume()
                .countLogVolume(volume(Optional.of("nobody"), 0, Optional.empty(), Map.of())))
        .isEmpty();
  }

  @Test
  void serviceActivityCountsSpansLogsAndTheirErrorsInTheRange() {
    assertThat(storage.serviceActivity().loadServiceActivity(new TimeRange(T0, T0 + 5 * SECOND)))
        .containsExactly(
            new ServiceActivity("cart", 0, 0, 1, 1),
            new ServiceActivity("checkout", 3, 1, 5, 2),
            new ServiceActivity("search", 1, 0, 0, 0));
    assertThat(
            storage
                .serviceActivity()
                .loadServiceActivity(new TimeRange(T0 + 30 * SECOND, T0 + 40 * SECOND)))
        .isEmpty();
  }
}
