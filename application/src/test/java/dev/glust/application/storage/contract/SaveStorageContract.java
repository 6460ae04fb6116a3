package dev.glust.application.storage.contract;

import static dev.glust.domain.testing.SampleTelemetry.log;
import static dev.glust.domain.testing.SampleTelemetry.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.NewestRecords;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.application.port.out.FindNewestRecordsPort;
import dev.glust.application.port.out.ProbeStoragePort;
import dev.glust.application.port.out.SaveLogsPort;
import dev.glust.application.port.out.SaveSpansPort;
import dev.glust.application.port.out.Storage;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The save ports of a storage adapter ({@link SaveSpansPort}, {@link SaveLogsPort}) as the read
 * ports see them: a retried batch is stored once; {@link FindNewestRecordsPort} and {@link
 * ProbeStoragePort}. A subclass per adapter supplies an empty storage per test, and may save
 * through another way in ({@link #spansInto(Storage)}, {@link #logsInto(Storage)}).
 */
public abstract class SaveStorageContract {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final TimeRange ALL = new TimeRange(T0 - 1000 * SECOND, T0 + 1000 * SECOND);
  private static final TraceId TRACE = new TraceId(0x5a5e, 1);

  /**
   * Records compare field by field, attributes in any order: OTLP gives key order no meaning, and
   * storage may keep its own (PostgreSQL's JSONB does).
   */
  private static final RecursiveComparisonConfiguration ANY_KEY_ORDER =
      RecursiveComparisonConfiguration.builder().withIgnoreCollectionOrder(true).build();

  private Storage storage;

  /** A storage holding nothing, for one test; closed after it. */
  protected abstract Storage openEmptyStorage();

  /**
   * How the contract saves spans into {@code storage}: through its own port, unless a subclass puts
   * a way in between (a queue and its writer). Saved spans must be readable when the call returns.
   */
  protected SaveSpansPort spansInto(Storage storage) {
    return storage.spans();
  }

  /** As {@link #spansInto(Storage)}, for log records. */
  protected SaveLogsPort logsInto(Storage storage) {
    return storage.logs();
  }

  @BeforeEach
  void open() {
    storage = openEmptyStorage();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private final List<Span> spans =
      List.of(
          span(
              TRACE,
              1,
              null,
              "checkout",
              "GET /cart",
              T0,
              5_000,
              SpanStatus.Code.OK,
              Attributes.EMPTY),
          span(
              TRACE,
              2,
              1,
              "db",
              "SELECT",
              T0 + 1_000,
              2_000,
              SpanStatus.Code.ERROR,
              Attributes.EMPTY));
  private final List<LogRecord> logs =
      List.of(
          log("checkout", T0 + 2_000, 9, AnyValue.of("cart read"), TRACE, Attributes.EMPTY),
          log("checkout", T0 + 3_000, 9, AnyValue.of("cart read"), null, Attributes.EMPTY));

  @Test
  void aRetriedBatchIsStoredOnce() {
    spansInto(storage).saveSpans(TenantId.DEFAULT, spans);
    logsInto(storage).saveLogs(TenantId.DEFAULT, logs);
    spansInto(storage).saveSpans(TenantId.DEFAULT, spans);
    logsInto(storage).saveLogs(TenantId.DEFAULT, logs);

    assertThat(storage.traceLoader().loadTrace(TenantId.DEFAULT, TRACE).spans())
        .usingRecursiveFieldByFieldElementComparator(ANY_KEY_ORDER)
        .containsExactlyElementsOf(spans);
    assertThat(storage.traceLoader().loadTrace(TenantId.DEFAULT, TRACE).logs())
        .usingRecursiveFieldByFieldElementComparator(ANY_KEY_ORDER)
        .containsExactly(logs.get(0));
    assertThat(storage.services().loadServices(TenantId.DEFAULT, ALL))
        .containsExactly(new ServiceSummary("checkout", 1, 2), new ServiceSummary("db", 1, 0));
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
                        Map.of(),
                        ALL,
                        PageRequest.first(10)))
                .items())
        .usingRecursiveFieldByFieldElementComparator(ANY_KEY_ORDER)
        .containsExactly(logs.get(1), logs.get(0));
  }

  @Test
  void tenantsHoldingTheSameIdsSeeOnlyTheirOwnRecords() {
    TenantId acme = new TenantId("acme");
    TenantId beta = new TenantId("beta");
    List<Span> betaSpans =
        List.of(
            span(
                TRACE,
                1,
                null,
                "beta-shop",
                "GET /b",
                T0,
                7_000,
                SpanStatus.Code.OK,
                Attributes.EMPTY),
            span(
                TRACE,
                2,
                1,
                "beta-db",
                "SELECT b",
                T0 + 1_000,
                1_000,
                SpanStatus.Code.OK,
                Attributes.EMPTY));
    LogRecord betaLog =
        log("beta-shop", T0 + 2_000, 9, AnyValue.of("cart read"), TRACE, Attributes.EMPTY);
    spansInto(storage).saveSpans(acme, spans);
    logsInto(storage).saveLogs(acme, logs);
    spansInto(storage).saveSpans(beta, betaSpans);
    logsInto(storage).saveLogs(beta, List.of(betaLog));
    spansInto(storage).saveSpans(acme, spans); // a retry of one tenant's batch

    assertThat(storage.traceLoader().loadTrace(acme, TRACE).spans())
        .usingRecursiveFieldByFieldElementComparator(ANY_KEY_ORDER)
        .containsExactlyElementsOf(spans);
    assertThat(storage.traceLoader().loadTrace(beta, TRACE).spans())
        .usingRecursiveFieldByFieldElementComparator(ANY_KEY_ORDER)
        .containsExactlyElementsOf(betaSpans);
    assertThat(storage.traceLoader().loadTrace(beta, TRACE).logs())
        .usingRecursiveFieldByFieldElementComparator(ANY_KEY_ORDER)
        .containsExactly(betaLog);
    assertThat(storage.services().loadServiceNames(acme)).containsExactly("checkout", "db");
    assertThat(storage.services().loadServiceNames(beta)).containsExactly("beta-db", "beta-shop");
    assertThat(storage.traceLoader().loadTrace(TenantId.DEFAULT, TRACE).spans()).isEmpty();
    assertThat(storage.newestRecords().findNewestRecords(TenantId.DEFAULT, T0 + SECOND))
        .isEqualTo(new NewestRecords(OptionalLong.empty(), OptionalLong.empty()));
  }

  @Test
  void aRecordThatDiffersOnlyInOneFieldIsAnotherRecord() {
    logsInto(storage).saveLogs(TenantId.DEFAULT, logs.subList(0, 1));
    LogRecord other =
        log("checkout", T0 + 2_000, 10, AnyValue.of("cart read"), TRACE, Attributes.EMPTY);
    logsInto(storage).saveLogs(TenantId.DEFAULT, List.of(other));

    assertThat(storage.traceLoader().loadTrace(TenantId.DEFAULT, TRACE).logs())
        .usingRecursiveFieldByFieldElementComparator(ANY_KEY_ORDER)
        .containsExactlyInAnyOrder(logs.get(0), other);
  }

  @Test
  void anUnknownTraceIsEmpty() {
    spansInto(storage).saveSpans(TenantId.DEFAULT, spans);

    assertThat(storage.traceLoader().loadTrace(TenantId.DEFAULT, new TraceId(0x5a5e, 2)).spans())
        .isEmpty();
    assertThat(storage.traceLoader().loadTrace(TenantId.DEFAULT, new TraceId(0x5a5e, 2)).logs())
        .isEmpty();
  }

  @Test
  void serviceNamesAreThoseThatSentSpansEver() {
    spansInto(storage).saveSpans(TenantId.DEFAULT, spans);
    logsInto(storage)
        .saveLogs(
            TenantId.DEFAULT,
            List.of(log("logs-only", T0, 9, AnyValue.of("x"), null, Attributes.EMPTY)));

    assertThat(storage.services().loadServiceNames(TenantId.DEFAULT))
        .containsExactly("checkout", "db");
  }

  @Test
  void newestRecordsAreTheLatestAtOrBeforeTheGivenTime() {
    assertThat(storage.newestRecords().findNewestRecords(TenantId.DEFAULT, T0 + SECOND))
        .isEqualTo(new NewestRecords(OptionalLong.empty(), OptionalLong.empty()));
    spansInto(storage).saveSpans(TenantId.DEFAULT, spans);
    logsInto(storage).saveLogs(TenantId.DEFAULT, logs);

    assertThat(storage.newestRecords().findNewestRecords(TenantId.DEFAULT, T0 + SECOND))
        .isEqualTo(new NewestRecords(OptionalLong.of(T0 + 1_000), OptionalLong.of(T0 + 3_000)));
    assertThat(storage.newestRecords().findNewestRecords(TenantId.DEFAULT, T0 + 2_000))
        .isEqualTo(new NewestRecords(OptionalLong.of(T0 + 1_000), OptionalLong.of(T0 + 2_000)));
    assertThat(storage.newestRecords().findNewestRecords(TenantId.DEFAULT, T0 - 1_000))
        .isEqualTo(new NewestRecords(OptionalLong.empty(), OptionalLong.empty()));
  }

  @Test
  void aReachableStorageReportsNoProblem() {
    assertThat(storage.probe().problem()).isEmpty();
  }
}
