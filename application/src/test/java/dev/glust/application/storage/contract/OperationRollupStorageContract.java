package dev.glust.application.storage.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;

import dev.glust.application.port.model.OperationRollupSearch;
import dev.glust.application.port.out.LoadOperationRollupsPort;
import dev.glust.application.port.out.Storage;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.performance.OperationKey;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.performance.SpanDurations;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadOperationRollupsPort}: calls, errors and durations per minute (of the span's start)
 * and operation of the spans the save port stored, each span once however often it was sent, each
 * tenant's apart. Rollups of one minute and operation may come in several parts (e.g. one per
 * writer): the checks add them up, as callers do. A subclass per adapter supplies an empty storage
 * per test.
 */
public abstract class OperationRollupStorageContract {
  private static final long MINUTE = OperationRollup.MINUTE_NANOS;
  private static final long MS = 1_000_000L;

  /** 2023-11-14T22:13:00Z, the start of a minute. */
  private static final long T0 = 28_333_333L * MINUTE;

  private static final TenantId ACME = new TenantId("acme");
  private static final TenantId BETA = new TenantId("beta");

  private Storage storage;
  private int ids;

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

  private Span span(
      String service, String name, SpanKind kind, SpanStatus.Code status, long start, long nanos) {
    ids++;
    return new Span(
        new TraceId(0x7ed, ids),
        new SpanId(ids),
        "",
        null,
        1,
        name,
        kind,
        start,
        start + nanos,
        Attributes.EMPTY,
        List.of(),
        0,
        List.of(),
        0,
        new SpanStatus(status, ""),
        SampleTelemetry.resource(service),
        InstrumentationScope.EMPTY);
  }

  private Span server(String service, String name, SpanStatus.Code status, long start) {
    return span(service, name, SpanKind.SERVER, status, start, 10 * MS);
  }

  /** Every rollup of the range, the parts of one minute and operation added up. */
  private List<OperationRollup> load(TenantId tenant, OperationRollupSearch search) {
    Map<List<Object>, OperationRollup> sums = new HashMap<>();
    for (OperationRollup r : storage.operationRollups().loadOperationRollups(tenant, search)) {
      sums.merge(
          List.of(r.minuteUnixNano(), r.key()),
          r,
          (a, b) ->
              new OperationRollup(
                  a.minuteUnixNano(),
                  a.key(),
                  a.calls() + b.calls(),
                  a.errors() + b.errors(),
                  a.durations().plus(b.durations())));
    }
    return List.copyOf(sums.values());
  }

  private List<OperationRollup> load(TenantId tenant, long from, long to) {
    return load(tenant, new OperationRollupSearch(new TimeRange(from, to), Set.of(), Set.of()));
  }

  private static OperationKey key(String service, String name, SpanStatus.Code status) {
    return new OperationKey(service, name, SpanKind.SERVER, status);
  }

  @Test
  void countsCallsAndErrorsExactlyPerMinuteAndOperation() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      spans.add(server("frontend", "GET /", SpanStatus.Code.UNSET, T0 + i * 1000 * MS));
    }
    for (int i = 0; i < 3; i++) {
      spans.add(server("frontend", "GET /", SpanStatus.Code.ERROR, T0 + i * MS));
    }
    for (int i = 0; i < 4; i++) {
      spans.add(server("cart", "add", SpanStatus.Code.OK, T0 + MINUTE + i * MS));
    }
    spans.add(span("frontend", "GET /", SpanKind.CLIENT, SpanStatus.Code.UNSET, T0, MS));
    storage.spans().saveSpans(ACME, spans);

    assertThat(load(ACME, T0, T0 + 10 * MINUTE))
        .extracting(
            OperationRollup::minuteUnixNano,
            OperationRollup::key,
            OperationRollup::calls,
            OperationRollup::errors)
        .containsExactlyInAnyOrder(
            tuple(T0, key("frontend", "GET /", SpanStatus.Code.UNSET), 7L, 0L),
            tuple(T0, key("frontend", "GET /", SpanStatus.Code.ERROR), 3L, 3L),
            tuple(
                T0,
                new OperationKey("frontend", "GET /", SpanKind.CLIENT, SpanStatus.Code.UNSET),
                1L,
                0L),
            tuple(T0 + MINUTE, key("cart", "add", SpanStatus.Code.OK), 4L, 0L));
  }

  @Test
  void aLateSpanIsCountedInItsOwnMinuteAndLaterBatchesAddUp() {
    storage
        .spans()
        .saveSpans(ACME, List.of(server("cart", "add", SpanStatus.Code.UNSET, T0 + 5 * MINUTE)));
    storage.spans().saveSpans(ACME, List.of(server("cart", "add", SpanStatus.Code.UNSET, T0 + 1)));
    storage
        .spans()
        .saveSpans(
            ACME,
            List.of(
                server("cart", "add", SpanStatus.Code.UNSET, T0 + 2),
                server("cart", "add", SpanStatus.Code.UNSET, T0 + 5 * MINUTE + 3)));

    assertThat(load(ACME, T0, T0 + 10 * MINUTE))
        .extracting(OperationRollup::minuteUnixNano, OperationRollup::calls)
        .containsExactlyInAnyOrder(tuple(T0, 2L), tuple(T0 + 5 * MINUTE, 2L));
  }

  @Test
  void keepsTenantsApart() {
    storage.spans().saveSpans(ACME, List.of(server("cart", "add", SpanStatus.Code.UNSET, T0)));
    storage
        .spans()
        .saveSpans(
            BETA,
            List.of(
                server("cart", "add", SpanStatus.Code.UNSET, T0),
                server("cart", "add", SpanStatus.Code.ERROR, T0)));

    assertThat(load(ACME, T0, T0 + MINUTE))
        .extracting(OperationRollup::calls, OperationRollup::errors)
        .containsExactly(tuple(1L, 0L));
    assertThat(load(BETA, T0, T0 + MINUTE))
        .extracting(OperationRollup::calls, OperationRollup::errors)
        .containsExactlyInAnyOrder(tuple(1L, 0L), tuple(1L, 1L));
    assertThat(load(new TenantId("nobody"), T0, T0 + MINUTE)).isEmpty();
  }

  @Test
  void aRetriedBatchCountsEachSpanOnce() {
    List<Span> batch =
        IntStream.range(0, 10)
            .mapToObj(
                i ->
                    server(
                        "cart",
                        "add",
                        i < 4 ? SpanStatus.Code.ERROR : SpanStatus.Code.UNSET,
                        T0 + i * MS))
            .toList();
    storage.spans().saveSpans(ACME, batch);
    storage.spans().saveSpans(ACME, batch); // retried whole: all stored already
    storage.spans().saveSpans(BETA, batch.subList(0, 6));
    storage.spans().saveSpans(BETA, batch); // retried after the first part was stored
    TenantId gamma = new TenantId("gamma");
    List<Span> twice = new ArrayList<>(batch);
    twice.add(batch.get(0)); // coalesced with its own retry into one batch
    twice.add(batch.get(9));
    storage.spans().saveSpans(gamma, twice);

    for (TenantId tenant : List.of(ACME, BETA, gamma)) {
      assertThat(load(tenant, T0, T0 + MINUTE))
          .as(tenant.name())
          .extracting(OperationRollup::calls, OperationRollup::errors, r -> r.durations().count())
          .containsExactlyInAnyOrder(tuple(4L, 4L, 4L), tuple(6L, 0L, 6L));
    }
  }

  @Test
  void durationQuantilesLieWithinTheBucketError() {
    Random random = new Random(20);
    long[] nanos = new long[2_000];
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = Math.round(Math.exp(Math.log(30e6) + random.nextGaussian()));
      spans.add(
          span("search", "query", SpanKind.SERVER, SpanStatus.Code.UNSET, T0 + i * MS, nanos[i]));
    }
    storage.spans().saveSpans(ACME, spans.subList(0, 1_000));
    storage.spans().saveSpans(ACME, spans.subList(1_000, 2_000));

    List<OperationRollup> rollups = load(ACME, T0, T0);

    assertThat(rollups).hasSize(1);
    SpanDurations durations = rollups.get(0).durations();
    SpanDurations expected = SpanDurations.ofNanos(nanos);
    assertThat(durations.count()).isEqualTo(nanos.length);
    assertThat(durations.offset()).isEqualTo(expected.offset());
    assertThat(durations.counts()).isEqualTo(expected.counts());
    assertThat(durations.sumMillis())
        .isCloseTo(expected.sumMillis(), within(1e-9 * expected.sumMillis()));
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      double exact = sorted[(int) Math.ceil(q * sorted.length) - 1] / 1e6;
      assertThat(durations.quantileMillis(q)).as("p" + q).isCloseTo(exact, within(0.022 * exact));
    }
  }

  @Test
  void findsTheMinutesStartingInTheRangeOfTheServicesAndKindsAsked() {
    storage
        .spans()
        .saveSpans(
            ACME,
            List.of(
                server("cart", "add", SpanStatus.Code.UNSET, T0),
                server("cart", "add", SpanStatus.Code.UNSET, T0 + MINUTE),
                server("cart", "add", SpanStatus.Code.UNSET, T0 + 2 * MINUTE),
                server("shop", "buy", SpanStatus.Code.UNSET, T0 + MINUTE),
                span("shop", "call", SpanKind.CLIENT, SpanStatus.Code.UNSET, T0 + MINUTE, MS)));

    // T0's minute starts before the range, the third minute after it
    assertThat(load(ACME, T0 + 1, T0 + 2 * MINUTE - 1))
        .extracting(OperationRollup::minuteUnixNano, r -> r.key().operation())
        .containsExactlyInAnyOrder(
            tuple(T0 + MINUTE, "add"), tuple(T0 + MINUTE, "buy"), tuple(T0 + MINUTE, "call"));
    TimeRange all = new TimeRange(T0, T0 + 2 * MINUTE);
    assertThat(load(ACME, new OperationRollupSearch(all, Set.of("shop"), Set.of())))
        .extracting(r -> r.key().operation())
        .containsExactlyInAnyOrder("buy", "call");
    assertThat(load(ACME, new OperationRollupSearch(all, Set.of(), Set.of(SpanKind.CLIENT))))
        .extracting(r -> r.key().operation())
        .containsExactly("call");
    assertThat(load(ACME, new OperationRollupSearch(all, Set.of("cart"), Set.of(SpanKind.SERVER))))
        .extracting(OperationRollup::minuteUnixNano)
        .containsExactlyInAnyOrder(T0, T0 + MINUTE, T0 + 2 * MINUTE);
  }
}
