package dev.glust.adapter.mapping.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.in.ExportBatch;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanEvent;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanLink;
import dev.glust.domain.trace.SpanStatus;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any spans and log records Glust could hold survive domain → OTLP bytes → domain. */
class DomainToOtlpPropertyTest {
  private final OtlpMapper mapper = new OtlpMapper();

  @Property(tries = 300)
  void anySpansSurvive(@ForAll("spans") List<Span> spans) throws Exception {
    byte[] bytes = DomainToOtlp.spans(spans).toByteArray();
    ExportBatch<Span> back =
        mapper.toSpans(TenantId.DEFAULT, ExportTraceServiceRequest.parseFrom(bytes), 0);

    assertThat(back.rejectedCount()).isZero();
    assertThat(back.records()).containsExactlyInAnyOrderElementsOf(spans);
  }

  @Property(tries = 300)
  void anyLogRecordsSurvive(@ForAll("logs") List<LogRecord> logs) throws Exception {
    byte[] bytes = DomainToOtlp.logs(logs).toByteArray();
    ExportBatch<LogRecord> back =
        mapper.toLogs(TenantId.DEFAULT, ExportLogsServiceRequest.parseFrom(bytes), 0);

    assertThat(back.rejectedCount()).isZero();
    assertThat(back.records()).containsExactlyInAnyOrderElementsOf(logs);
  }

  @Provide
  Arbitrary<List<Span>> spans() {
    Arbitrary<Span> span =
        Combinators.combine(
                Combinators.combine(traceIds(), spanIds(), text(), spanIds().injectNull(0.3))
                    .as(Ids::new),
                Combinators.combine(
                        Arbitraries.integers(),
                        Arbitraries.of(SpanKind.class),
                        Arbitraries.longs(),
                        Arbitraries.longs())
                    .as(Shape::new),
                attributes(),
                events(),
                links(),
                Combinators.combine(
                        Arbitraries.of(SpanStatus.Code.class),
                        text(),
                        counts(),
                        counts(),
                        resources(),
                        scopes())
                    .as(Rest::new))
            .as(
                (ids, shape, attributes, events, links, rest) ->
                    new Span(
                        ids.trace,
                        ids.span,
                        ids.traceState,
                        ids.parent,
                        shape.flags,
                        rest.statusMessage + "op",
                        shape.kind,
                        shape.start,
                        shape.end,
                        attributes,
                        events,
                        rest.droppedEvents,
                        links,
                        rest.droppedLinks,
                        new SpanStatus(rest.code, rest.statusMessage),
                        rest.resource,
                        rest.scope));
    return span.list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<LogRecord>> logs() {
    Arbitrary<LogRecord> log =
        Combinators.combine(
                Combinators.combine(
                        Arbitraries.longs(),
                        Arbitraries.longs(),
                        Arbitraries.integers().between(0, 24),
                        text())
                    .as(LogShape::new),
                values(3),
                attributes(),
                Arbitraries.integers(),
                traceIds().injectNull(0.4),
                spanIds().injectNull(0.4),
                Combinators.combine(text(), resources(), scopes()).as(LogRest::new))
            .as(
                (shape, body, attributes, flags, trace, span, r) ->
                    new LogRecord(
                        shape.time,
                        shape.observed,
                        shape.severity,
                        shape.severityText,
                        body,
                        attributes,
                        flags,
                        trace,
                        span,
                        r.eventName,
                        r.resource,
                        r.scope));
    return log.list().ofMaxSize(8);
  }

  private record Shape(int flags, SpanKind kind, long start, long end) {}

  private record LogShape(long time, long observed, int severity, String severityText) {}

  private record Ids(TraceId trace, SpanId span, String traceState, SpanId parent) {}

  private record Rest(
      SpanStatus.Code code,
      String statusMessage,
      int droppedEvents,
      int droppedLinks,
      Resource resource,
      InstrumentationScope scope) {}

  private record LogRest(String eventName, Resource resource, InstrumentationScope scope) {}

  private static Arbitrary<TraceId> traceIds() {
    return Arbitraries.longs()
        .tuple2()
        .filter(t -> t.get1() != 0 || t.get2() != 0)
        .map(t -> new TraceId(t.get1(), t.get2()));
  }

  private static Arbitrary<SpanId> spanIds() {
    return Arbitraries.longs().filter(v -> v != 0).map(SpanId::new);
  }

  private static Arbitrary<String> text() {
    return Arbitraries.strings().ofMaxLength(12);
  }

  private static Arbitrary<Integer> counts() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE);
  }

  /** A few resources and scopes, so that records share them and grouping is exercised. */
  private static Arbitrary<Resource> resources() {
    return Arbitraries.of("checkout", "cart", "")
        .flatMap(
            name ->
                Combinators.combine(attributes(), Arbitraries.of("", "https://schema/1.26.0"))
                    .as(
                        (a, url) ->
                            name.isEmpty()
                                ? Resource.EMPTY
                                : new Resource(
                                    new Attributes(
                                        List.of(Attribute.of("service.name", name)),
                                        a.droppedCount()),
                                    url)));
  }

  private static Arbitrary<InstrumentationScope> scopes() {
    return Combinators.combine(text(), text(), attributes(), Arbitraries.of("", "https://s/1"))
        .as(InstrumentationScope::new);
  }

  private static Arbitrary<Attributes> attributes() {
    return Combinators.combine(
            Combinators.combine(text(), values(2)).as(Attribute::new).list().ofMaxSize(4),
            Arbitraries.integers().between(0, Integer.MAX_VALUE))
        .as(Attributes::new);
  }

  private static Arbitrary<List<SpanEvent>> events() {
    return Combinators.combine(Arbitraries.longs(), text(), attributes())
        .as(SpanEvent::new)
        .list()
        .ofMaxSize(3);
  }

  private static Arbitrary<List<SpanLink>> links() {
    return Combinators.combine(traceIds(), spanIds(), text(), Arbitraries.integers(), attributes())
        .as(SpanLink::new)
        .list()
        .ofMaxSize(2);
  }

  /** Every OTLP value kind, nested up to {@code depth} levels. */
  private static Arbitrary<AnyValue> values(int depth) {
    Arbitrary<AnyValue> scalar =
        Arbitraries.oneOf(
            text().map(AnyValue::of),
            Arbitraries.of(true, false).map(AnyValue::of),
            Arbitraries.longs().map(AnyValue::of),
            Arbitraries.doubles()
                .withSpecialValue(Double.NaN)
                .withSpecialValue(-0.0)
                .withSpecialValue(Double.NEGATIVE_INFINITY)
                .map(AnyValue::of),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(AnyValue.BytesValue::new),
            Arbitraries.just(AnyValue.EMPTY));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<AnyValue> nested = values(depth - 1);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, scalar),
        net.jqwik.api.Tuple.of(
            1, nested.list().ofMaxSize(3).map(v -> (AnyValue) new AnyValue.ArrayValue(v))),
        net.jqwik.api.Tuple.of(
            1,
            Combinators.combine(text(), nested)
                .as(Attribute::new)
                .list()
                .ofMaxSize(3)
                .map(v -> (AnyValue) new AnyValue.KeyValueListValue(v))));
  }
}
