package dev.glust.domain.performance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.performance.ServiceDependencies.Found;
import dev.glust.domain.performance.ServiceDependencies.PendingChild;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceDependenciesTest {
  private static final long MINUTE = OperationRollup.MINUTE_NANOS;
  private static final long T0 = 28_000_000 * MINUTE; // the start of a minute
  private static final TraceId TRACE = new TraceId(7, 1);
  private static final TraceId OTHER_TRACE = new TraceId(7, 2);

  @Test
  void aParentOfAnotherServiceInTheBatchIsACallCountedInTheChildsMinute() {
    Found found =
        ServiceDependencies.in(
            List.of(
                span(TRACE, 1, null, "frontend", T0 + 59 * SECOND, SpanStatus.Code.OK, 0),
                span(TRACE, 2, 1, "cart", T0 + 59 * SECOND, SpanStatus.Code.OK, 0),
                span(TRACE, 3, 1, "cart", T0 + 61 * SECOND, SpanStatus.Code.ERROR, 0),
                span(TRACE, 4, 1, "payments", T0 + 62 * SECOND, SpanStatus.Code.ERROR, 0),
                span(TRACE, 5, 1, "payments", T0 + 63 * SECOND, SpanStatus.Code.UNSET, 0)));

    assertThat(found.rollups())
        .containsExactly(
            new DependencyRollup(T0, "frontend", "cart", 1, 0),
            new DependencyRollup(T0 + MINUTE, "frontend", "cart", 1, 1),
            new DependencyRollup(T0 + MINUTE, "frontend", "payments", 2, 1));
    assertThat(found.pendingChildren()).isEmpty();
  }

  @Test
  void aChildOfItsOwnServiceIsNoCall() {
    Found found =
        ServiceDependencies.in(
            List.of(
                span(TRACE, 1, null, "cart", T0, SpanStatus.Code.OK, 0),
                span(TRACE, 2, 1, "cart", T0, SpanStatus.Code.ERROR, 0)));

    assertThat(found.rollups()).isEmpty();
    assertThat(found.pendingChildren()).isEmpty();
  }

  @Test
  void aChildWhoseParentIsNotInTheBatchIsPending() {
    Found found =
        ServiceDependencies.in(
            List.of(
                span(TRACE, 2, 1, "cart", T0 + 5, SpanStatus.Code.ERROR, 0),
                // the same span id in another trace is another span
                span(OTHER_TRACE, 1, null, "frontend", T0, SpanStatus.Code.OK, 0),
                span(TRACE, 3, 2, "cart", T0 + 6, SpanStatus.Code.OK, 0)));

    assertThat(found.rollups()).isEmpty();
    assertThat(found.pendingChildren())
        .containsExactly(new PendingChild(TRACE, new SpanId(1), "cart", T0 + 5, true));
  }

  @Test
  void aChildWhoseFlagsSayItsParentIsLocalIsNotPendingAndOneWhoseParentIsRemoteIs() {
    int hasIsRemote = ServiceDependencies.HAS_IS_REMOTE;
    int isRemote = ServiceDependencies.IS_REMOTE;
    Found found =
        ServiceDependencies.in(
            List.of(
                span(TRACE, 2, 1, "cart", T0, SpanStatus.Code.OK, hasIsRemote | 1),
                span(TRACE, 3, 1, "cart", T0 + 1, SpanStatus.Code.OK, hasIsRemote | isRemote),
                span(TRACE, 4, 1, "cart", T0 + 2, SpanStatus.Code.OK, 1)));

    assertThat(found.pendingChildren())
        .extracting(PendingChild::childStartUnixNano)
        .containsExactly(T0 + 1, T0 + 2);
  }

  @Test
  void aLocalParentInTheBatchOfAnotherServiceIsStillACall() {
    Found found =
        ServiceDependencies.in(
            List.of(
                span(TRACE, 1, null, "gateway", T0, SpanStatus.Code.OK, 0),
                span(
                    TRACE,
                    2,
                    1,
                    "auth",
                    T0,
                    SpanStatus.Code.OK,
                    ServiceDependencies.HAS_IS_REMOTE)));

    assertThat(found.rollups()).containsExactly(new DependencyRollup(T0, "gateway", "auth", 1, 0));
  }

  @Test
  void pendingChildrenAreSortedByTraceParentAndStart() {
    Found found =
        ServiceDependencies.in(
            List.of(
                span(OTHER_TRACE, 9, 3, "cart", T0 + 2, SpanStatus.Code.OK, 0),
                span(TRACE, 8, 4, "cart", T0 + 1, SpanStatus.Code.OK, 0),
                span(TRACE, 7, 3, "cart", T0 + 3, SpanStatus.Code.OK, 0),
                span(TRACE, 6, 3, "cart", T0 + 2, SpanStatus.Code.OK, 0)));

    assertThat(found.pendingChildren())
        .extracting(
            p ->
                p.traceId().low()
                    + ":"
                    + p.parentSpanId().value()
                    + "@"
                    + (p.childStartUnixNano() - T0))
        .containsExactly("1:3@2", "1:3@3", "1:4@1", "2:3@2");
  }

  private static final long SECOND = 1_000_000_000L;

  private static Span span(
      TraceId trace,
      int id,
      Integer parent,
      String service,
      long start,
      SpanStatus.Code status,
      int flags) {
    Span sample =
        SampleTelemetry.span(
            trace, id, parent, service, "op", start, 1_000, status, Attributes.EMPTY);
    return new Span(
        sample.traceId(),
        sample.spanId(),
        sample.traceState(),
        sample.parentSpanId(),
        flags,
        sample.name(),
        parent == null ? SpanKind.SERVER : SpanKind.CLIENT,
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
}
