package dev.glust.application.storage.contract;

import static dev.glust.domain.testing.SampleTelemetry.log;
import static dev.glust.domain.testing.SampleTelemetry.metric;
import static dev.glust.domain.testing.SampleTelemetry.metricPoint;
import static dev.glust.domain.testing.SampleTelemetry.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.model.TenantUsage;
import dev.glust.application.port.model.UsageSignal;
import dev.glust.application.port.out.LoadTenantUsagePort;
import dev.glust.application.port.out.Storage;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.Metric;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanStatus;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadTenantUsagePort}: what the save ports stored, per tenant, signal and UTC day of
 * storing; records stored already and sent again count nothing. A subclass per adapter supplies an
 * empty storage per test.
 */
public abstract class UsageStorageContract {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final TenantId ACME = new TenantId("acme");
  private static final TenantId BETA = new TenantId("beta");

  private Storage storage;

  /** A storage holding nothing, for one test; closed after it. */
  protected abstract Storage openEmptyStorage();

  @BeforeEach
  void open() {
    storage = openEmptyStorage();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private static List<Span> spans(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(
            i ->
                span(
                    new TraceId(0xacde, i),
                    1,
                    null,
                    "checkout",
                    "GET /cart",
                    T0 + i * SECOND,
                    5_000,
                    SpanStatus.Code.OK,
                    Attributes.EMPTY))
        .toList();
  }

  private static List<LogRecord> logs(int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                log(
                    "checkout",
                    T0 + i * SECOND,
                    9,
                    AnyValue.of("read " + i),
                    null,
                    Attributes.EMPTY))
        .toList();
  }

  private static List<MetricPoint> points(int count) {
    Metric requests = metric("http.requests", MetricKind.SUM);
    return IntStream.range(0, count).mapToObj(i -> metricPoint(requests, T0 + i * SECOND)).toList();
  }

  @Test
  void countsWhatEachTenantStoredPerSignalNotTheDuplicatesSentAgain() {
    storage.spans().saveSpans(ACME, spans(0, 3));
    storage.logs().saveLogs(ACME, logs(2));
    storage.metrics().saveMetrics(ACME, points(4));
    storage.spans().saveSpans(BETA, spans(0, 1));
    storage.logs().saveLogs(BETA, logs(5));
    // retried exports: all stored already, and a batch of which one span is new
    storage.spans().saveSpans(ACME, spans(0, 3));
    storage.logs().saveLogs(ACME, logs(2));
    storage.metrics().saveMetrics(ACME, points(4));
    storage.spans().saveSpans(ACME, spans(2, 2));

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    // a day either side: the storage's clock may have passed midnight since
    List<TenantUsage> usage =
        storage.tenantUsage().loadTenantUsage(today.minusDays(1), today.plusDays(1));

    assertThat(usage)
        .extracting(u -> u.tenant().name() + " " + u.signal().label() + " " + u.records())
        .containsExactly(
            "acme logs 2", "acme metrics 4", "acme traces 4", "beta logs 5", "beta traces 1");
    assertThat(usage).allSatisfy(u -> assertThat(u.day()).isBetween(today, today.plusDays(1)));
    assertThat(usage).allSatisfy(u -> assertThat(u.writtenBytes()).isPositive());
    assertThat(usage).allSatisfy(u -> assertThat(u.storedBytesEstimate()).isNotNegative());
    assertThat(bytes(usage, BETA, UsageSignal.LOGS))
        .as("five log records take more bytes than two like them")
        .isGreaterThan(bytes(usage, ACME, UsageSignal.LOGS));
  }

  @Test
  void daysOutsideTheRangeAreLeftOut() {
    storage.spans().saveSpans(ACME, spans(0, 1));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);

    assertThat(storage.tenantUsage().loadTenantUsage(today.minusDays(9), today.minusDays(2)))
        .isEmpty();
  }

  private static long bytes(List<TenantUsage> usage, TenantId tenant, UsageSignal signal) {
    return usage.stream()
        .filter(u -> u.tenant().equals(tenant) && u.signal() == signal)
        .mapToLong(TenantUsage::writtenBytes)
        .sum();
  }
}
