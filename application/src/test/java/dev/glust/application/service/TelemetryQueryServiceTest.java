package dev.glust.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.in.query.trace.TraceView;
import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.Operation;
import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.model.ServiceSummary;
import dev.glust.application.port.model.TraceSearch;
import dev.glust.application.port.model.TraceSummary;
import dev.glust.application.port.out.LoadServicesPort;
import dev.glust.application.port.out.TraceRecords;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetryQueryServiceTest {
  private final LogRecord early = SampleTelemetry.log(AnyValue.of("early"));
  private final LogRecord late =
      new LogRecord(
          early.timeUnixNano() + 5,
          0,
          9,
          "",
          AnyValue.of("late"),
          early.attributes(),
          0,
          early.traceId(),
          early.spanId(),
          "",
          early.resource(),
          early.scope());

  private final TelemetryQueryService service =
      new TelemetryQueryService(
          (tenant, id) ->
              id.equals(SampleTelemetry.TRACE_ID)
                  ? new TraceRecords(List.of(SampleTelemetry.span()), List.of(late, early))
                  : new TraceRecords(List.of(), List.of()),
          (tenant, search) ->
              new Page<>(
                  List.of(
                      new TraceSummary(SampleTelemetry.TRACE_ID, "s", "n", 1, 2, 1, 0),
                      new TraceSummary(new TraceId(1, 1), "s", "gone", 1, 2, 1, 0)),
                  Optional.empty()),
          (tenant, search) -> new Page<>(List.of(), Optional.empty()),
          new LoadServicesPort() {
            @Override
            public List<ServiceSummary> loadServices(TenantId tenant, TimeRange range) {
              return List.of();
            }

            @Override
            public List<String> loadServiceNames(TenantId tenant) {
              return List.of();
            }

            @Override
            public List<Operation> loadOperations(
                TenantId tenant, String service, TimeRange range) {
              return List.of();
            }
          });

  @Test
  void aTraceComesWithItsLogsOldestFirst() {
    TraceView view = service.loadTrace(TenantId.DEFAULT, SampleTelemetry.TRACE_ID).orElseThrow();
    assertThat(view.roots()).hasSize(1);
    assertThat(view.logs()).containsExactly(early, late);
  }

  @Test
  void anUnknownTraceIsEmpty() {
    assertThat(service.loadTrace(TenantId.DEFAULT, new TraceId(7, 7))).isEmpty();
  }

  @Test
  void loadingSearchedTracesSkipsOnesThatVanishedMeanwhile() {
    TraceSearch search =
        new TraceSearch(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            Map.of(),
            new TimeRange(0, 10),
            PageRequest.first(10));
    assertThat(service.loadTraces(TenantId.DEFAULT, search))
        .extracting(TraceView::traceId)
        .containsExactly(SampleTelemetry.TRACE_ID);
  }

  @Test
  void everySearchOverALongerRangeThanTheLimitIsRefused() {
    TimeRange fortyDays = new TimeRange(0, java.time.Duration.ofDays(40).toNanos());
    TraceSearch traces =
        new TraceSearch(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            Map.of(),
            fortyDays,
            PageRequest.first(10));
    dev.glust.application.port.model.LogSearch logs =
        new dev.glust.application.port.model.LogSearch(
            Optional.empty(),
            0,
            Optional.of("x"),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            fortyDays,
            PageRequest.first(10));

    assertThatThrownBy(() -> service.searchTraces(TenantId.DEFAULT, traces))
        .isInstanceOf(InvalidQueryException.class);
    assertThatThrownBy(() -> service.loadTraces(TenantId.DEFAULT, traces))
        .isInstanceOf(InvalidQueryException.class);
    assertThatThrownBy(() -> service.searchLogs(TenantId.DEFAULT, logs))
        .isInstanceOf(InvalidQueryException.class);
    assertThatThrownBy(() -> service.listServices(TenantId.DEFAULT, fortyDays))
        .isInstanceOf(InvalidQueryException.class);
    assertThatThrownBy(() -> service.listOperations(TenantId.DEFAULT, "s", fortyDays))
        .isInstanceOf(InvalidQueryException.class);
  }
}
