package dev.glust.application.storage.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.out.Storage;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.performance.DependencyRollup;
import dev.glust.domain.performance.OperationRollup;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dependency port of a storage adapter ({@code Storage.dependencyRollups()}): calls between
 * services per minute, from parent and child spans stored in separate batches (as they arrive from
 * separate processes), in either order. An adapter may find a child's parent later than it stores
 * the child: the contract moves the clock on by five minutes and calls {@link #matchPending} on the
 * way, as the adapter's own schedule would.
 */
public abstract class DependencyStorageContract {
  private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
  private static final long T0 = nanos(NOW);
  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = OperationRollup.MINUTE_NANOS;
  private static final TimeRange AROUND = new TimeRange(T0 - 60 * MINUTE, T0 + 60 * MINUTE);
  private static final TenantId ACME = new TenantId("acme");

  private final MovingClock clock = new MovingClock(NOW);
  private Storage storage;

  /** A storage holding nothing, whose time is {@code clock}'s. */
  protected abstract Storage openEmptyStorage(Clock clock);

  /**
   * Finds the parents of the children waiting for them now (by the storage's clock), as the
   * adapter's schedule would; nothing for an adapter that matches when it stores.
   */
  protected void matchPending(Storage storage) {}

  @BeforeEach
  void open() {
    storage = openEmptyStorage(clock);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void parentsAndChildrenInSeparateBatchesAreCallsPerMinuteWithTheirErrors() {
    List<Span> parents = new ArrayList<>();
    List<Span> carts = new ArrayList<>();
    List<Span> payments = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      TraceId trace = new TraceId(0xd1, i);
      long start = T0 + i * 10 * SECOND; // minutes T0 and T0 + 1
      parents.add(span(trace, 1, null, "frontend", SpanKind.SERVER, start, SpanStatus.Code.OK));
      carts.add(span(trace, 2, 1, "cart", SpanKind.SERVER, start + 1, SpanStatus.Code.OK));
      carts.add(span(trace, 3, 1, "cart", SpanKind.SERVER, start + 2, SpanStatus.Code.UNSET));
      if (i < 4) {
        SpanStatus.Code status = i % 2 == 0 ? SpanStatus.Code.ERROR : SpanStatus.Code.OK;
        payments.add(span(trace, 4, 1, "payments", SpanKind.SERVER, start + 3, status));
      }
    }
    save(TenantId.DEFAULT, carts); // children first, parents after, as their ends order them
    save(TenantId.DEFAULT, parents);
    save(TenantId.DEFAULT, payments);

    waitForParents();

    assertThat(edges(TenantId.DEFAULT, AROUND))
        .containsExactly(
            Map.entry("0 frontend->cart", new Calls(12, 0)),
            Map.entry("0 frontend->payments", new Calls(4, 2)),
            Map.entry("1 frontend->cart", new Calls(8, 0)));
  }

  @Test
  void aParentStoredBeforeItsChildIsFound() {
    TraceId trace = new TraceId(0xd2, 1);
    save(TenantId.DEFAULT, List.of(span(trace, 1, null, "web", SpanKind.CLIENT, T0, OK)));
    clock.now = NOW.plusSeconds(20);
    save(TenantId.DEFAULT, List.of(span(trace, 2, 1, "api", SpanKind.SERVER, T0 + 5, OK)));

    waitForParents();

    assertThat(edges(TenantId.DEFAULT, AROUND)).containsExactly(Map.entry("0 web->api", ONE));
  }

  @Test
  void aParentArrivingMinutesAfterItsChildIsFound() {
    TraceId trace = new TraceId(0xd3, 1);
    save(TenantId.DEFAULT, List.of(span(trace, 2, 1, "api", SpanKind.SERVER, T0 + 5, OK)));
    clock.now = NOW.plusSeconds(40);
    matchPending(storage); // the child's first probe: no parent yet
    clock.now = NOW.plusSeconds(4 * 60);
    save(TenantId.DEFAULT, List.of(span(trace, 1, null, "web", SpanKind.CLIENT, T0, OK)));

    waitForParents();

    assertThat(edges(TenantId.DEFAULT, AROUND)).containsExactly(Map.entry("0 web->api", ONE));
  }

  @Test
  void aProducersConsumerIsACallFromTheProducerToTheConsumer() {
    TraceId trace = new TraceId(0xd4, 1);
    save(TenantId.DEFAULT, List.of(span(trace, 1, null, "orders", SpanKind.PRODUCER, T0, OK)));
    // consumed a minute and a half later, by another process
    long consumed = T0 + 90 * SECOND;
    save(TenantId.DEFAULT, List.of(span(trace, 2, 1, "billing", SpanKind.CONSUMER, consumed, OK)));

    waitForParents();

    assertThat(edges(TenantId.DEFAULT, AROUND))
        .containsExactly(Map.entry("1 orders->billing", ONE));
  }

  @Test
  void aParentOfTheSameServiceIsNoCall() {
    TraceId trace = new TraceId(0xd5, 1);
    save(TenantId.DEFAULT, List.of(span(trace, 2, 1, "cart", SpanKind.INTERNAL, T0 + 1, OK)));
    save(TenantId.DEFAULT, List.of(span(trace, 1, null, "cart", SpanKind.SERVER, T0, OK)));

    waitForParents();

    assertThat(edges(TenantId.DEFAULT, AROUND)).isEmpty();
  }

  @Test
  void aParentOfAnotherTenantIsNotFound() {
    TraceId trace = new TraceId(0xd6, 1);
    save(ACME, List.of(span(trace, 1, null, "web", SpanKind.CLIENT, T0, OK)));
    save(TenantId.DEFAULT, List.of(span(trace, 2, 1, "api", SpanKind.SERVER, T0 + 5, OK)));

    waitForParents();

    assertThat(edges(TenantId.DEFAULT, AROUND)).isEmpty();
    assertThat(edges(ACME, AROUND)).isEmpty();
  }

  @Test
  void aSpanStoredTwiceCountsOnce() {
    TraceId trace = new TraceId(0xd7, 1);
    List<Span> batch =
        List.of(
            span(trace, 1, null, "web", SpanKind.CLIENT, T0, OK),
            span(trace, 2, 1, "api", SpanKind.SERVER, T0 + 5, OK),
            span(trace, 3, 9, "worker", SpanKind.CONSUMER, T0 + 6, OK)); // its parent comes later
    List<Span> twice = new ArrayList<>(batch);
    twice.add(batch.get(1)); // the same span twice in one batch
    save(TenantId.DEFAULT, twice);
    save(TenantId.DEFAULT, batch); // a retried export
    // a retry coalesced with a new span
    List<Span> again = new ArrayList<>(batch);
    again.add(span(trace, 4, 1, "api", SpanKind.SERVER, T0 + 7, SpanStatus.Code.ERROR));
    save(TenantId.DEFAULT, again);
    save(TenantId.DEFAULT, List.of(span(trace, 9, 1, "queue", SpanKind.PRODUCER, T0 + 5, OK)));

    waitForParents();

    assertThat(edges(TenantId.DEFAULT, AROUND))
        .containsExactly(
            Map.entry("0 queue->worker", ONE),
            Map.entry("0 web->api", new Calls(2, 1)),
            Map.entry("0 web->queue", ONE));
  }

  @Test
  void onlyMinutesStartingInTheRangeAreLoaded() {
    TraceId trace = new TraceId(0xd8, 1);
    save(
        TenantId.DEFAULT,
        List.of(
            span(trace, 1, null, "web", SpanKind.CLIENT, T0, OK),
            span(trace, 2, 1, "api", SpanKind.SERVER, T0 + 5, OK),
            span(trace, 3, 1, "api", SpanKind.SERVER, T0 + MINUTE + 5, OK),
            span(trace, 4, 1, "api", SpanKind.SERVER, T0 + 2 * MINUTE + 5, OK)));

    waitForParents();

    assertThat(edges(TenantId.DEFAULT, new TimeRange(T0 + 1, T0 + 2 * MINUTE)))
        .containsExactly(Map.entry("1 web->api", ONE), Map.entry("2 web->api", ONE));
  }

  private static final SpanStatus.Code OK = SpanStatus.Code.OK;

  /** Calls and errors of one edge in one minute. */
  protected record Calls(long calls, long errors) {}

  private static final Calls ONE = new Calls(1, 0);

  private void save(TenantId tenant, List<Span> spans) {
    storage.spans().saveSpans(tenant, spans);
  }

  /** Moves the clock past the longest wait for a parent, matching on the way. */
  private void waitForParents() {
    Instant from = clock.now;
    for (Duration after : List.of(Duration.ofSeconds(31), Duration.ofMinutes(6))) {
      clock.now = from.plus(after);
      matchPending(storage);
    }
  }

  /**
   * "minute parent->child" (the minute as minutes after {@link #T0}) → the calls, the rollups of
   * one minute and edge added up.
   */
  private Map<String, Calls> edges(TenantId tenant, TimeRange range) {
    Map<String, Calls> edges = new TreeMap<>();
    for (DependencyRollup rollup :
        storage.dependencyRollups().loadDependencyRollups(tenant, range)) {
      edges.merge(
          (rollup.minuteUnixNano() - T0) / MINUTE + " " + rollup.parent() + "->" + rollup.child(),
          new Calls(rollup.calls(), rollup.errors()),
          (a, b) -> new Calls(a.calls() + b.calls(), a.errors() + b.errors()));
    }
    return edges;
  }

  private static Span span(
      TraceId trace,
      int id,
      Integer parent,
      String service,
      SpanKind kind,
      long start,
      SpanStatus.Code status) {
    Span sample =
        SampleTelemetry.span(
            trace, id, parent, service, "op", start, 2_000_000, status, Attributes.EMPTY);
    return new Span(
        sample.traceId(),
        sample.spanId(),
        sample.traceState(),
        parent == null ? null : new SpanId(parent),
        sample.flags(),
        sample.name(),
        kind,
        sample.startTimeUnixNano(),
        sample.endTimeUnixNano(),
        sample.attributes(),
        sample.events(),
        0,
        sample.links(),
        0,
        sample.status(),
        sample.resource(),
        sample.scope());
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
