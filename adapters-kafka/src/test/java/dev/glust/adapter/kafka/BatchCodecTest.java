package dev.glust.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import dev.glust.domain.trace.SpanStatus;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCodecTest {
  private final SpanCodec spans = new SpanCodec();
  private final LogCodec logs = new LogCodec();

  @Test
  void spansSurviveEncodingFieldForField() throws Exception {
    Span rich = SampleTelemetry.span();
    Span root =
        new Span(
            TraceId.fromHex("00000000000000000000000000000001"),
            SpanId.fromHex("ffffffffffffffff"),
            "",
            null,
            0,
            "",
            SpanKind.UNSPECIFIED,
            Long.MIN_VALUE, // a value the domain would normalise: the encoding must not care
            -1,
            Attributes.EMPTY,
            List.of(),
            0,
            List.of(),
            0,
            new SpanStatus(SpanStatus.Code.OK, ""),
            Resource.EMPTY,
            InstrumentationScope.EMPTY);
    List<Span> batch = List.of(rich, root, SampleTelemetry.span());

    assertThat(spans.decode(spans.encode(batch))).isEqualTo(batch);
  }

  @Test
  void logsSurviveEncodingFieldForFieldWithOrWithoutATrace() throws Exception {
    LogRecord correlated = SampleTelemetry.log(AnyValue.of("payment failed"));
    LogRecord alone =
        new LogRecord(
            0,
            1,
            0,
            "",
            new AnyValue.KeyValueListValue(
                List.of(
                    new Attribute("empty string", AnyValue.of("")),
                    new Attribute("zero", AnyValue.of(0L)),
                    new Attribute("false", AnyValue.of(false)),
                    new Attribute("negative zero", AnyValue.of(-0.0)),
                    new Attribute("no bytes", new AnyValue.BytesValue(new byte[0])),
                    new Attribute("empty", AnyValue.EMPTY))),
            Attributes.EMPTY,
            0,
            null,
            null,
            "user.login",
            SampleTelemetry.resource("auth"),
            InstrumentationScope.EMPTY);
    List<LogRecord> batch = List.of(correlated, alone);

    assertThat(logs.decode(logs.encode(batch))).isEqualTo(batch);
  }

  @Test
  void sharedResourcesAreWrittenOncePerBatch() {
    Resource shared = SampleTelemetry.resource("checkout");
    LogRecord one = log(AnyValue.of("x"), null, null, shared);
    int single = logs.encode(List.of(one)).length;
    int hundred = logs.encode(java.util.Collections.nCopies(100, one)).length;
    int resourceBytes =
        ProtoBatch.attributes(shared.attributes()).toBytes().length + shared.schemaUrl().length();

    assertThat(hundred).isLessThan(100 * single - 99 * resourceBytes + 1);
  }

  @Test
  void spansAreKeyedByTraceIdAndLogsWithoutATraceAreNot() {
    Span span = SampleTelemetry.span();
    assertThat(spans.key(span)).isEqualTo(span.traceId().toBytes());
    assertThat(logs.key(SampleTelemetry.log(AnyValue.EMPTY))).isEqualTo(span.traceId().toBytes());
    assertThat(logs.key(log(AnyValue.EMPTY, null, null, Resource.EMPTY))).isNull();
  }

  @Test
  void anotherVersionIsRefusedNotMisread() {
    byte[] encoded = spans.encode(List.of(SampleTelemetry.span()));
    byte[] version2 = encoded.clone();
    assertThat(version2[0]).isEqualTo((byte) 0x08); // field 1, varint: the version comes first
    version2[1] = 2;

    assertThatThrownBy(() -> spans.decode(version2))
        .isInstanceOf(MalformedBatchException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void garbageTruncationAndTheWrongSignalAreMalformed() {
    byte[] encoded = spans.encode(List.of(SampleTelemetry.span()));

    assertThatThrownBy(() -> spans.decode("not a batch".getBytes()))
        .isInstanceOf(MalformedBatchException.class);
    assertThatThrownBy(() -> spans.decode(Arrays.copyOf(encoded, encoded.length - 7)))
        .isInstanceOf(MalformedBatchException.class);
    assertThatThrownBy(() -> spans.decode(new byte[0]))
        .isInstanceOf(MalformedBatchException.class)
        .hasMessageContaining("version 0");
    assertThatThrownBy(
            () ->
                spans.decode(
                    logs.encode(List.of(log(AnyValue.of("x"), null, null, Resource.EMPTY)))))
        .isInstanceOf(MalformedBatchException.class);
  }

  @Test
  void hostileNestingIsMalformedNotAStackOverflow() {
    AnyValue deep = AnyValue.of("bottom");
    for (int i = 0; i < 100; i++) {
      deep = new AnyValue.ArrayValue(List.of(deep));
    }
    byte[] encoded = logs.encode(List.of(log(deep, null, null, Resource.EMPTY)));

    assertThatThrownBy(() -> logs.decode(encoded))
        .isInstanceOf(MalformedBatchException.class)
        .hasMessageContaining("nested deeper");
  }

  /** A log record of the sample's shape with this body, correlation and resource. */
  private static LogRecord log(AnyValue body, TraceId trace, SpanId span, Resource resource) {
    return new LogRecord(
        SampleTelemetry.START_NANOS,
        SampleTelemetry.START_NANOS + 5,
        9,
        "INFO",
        body,
        SampleTelemetry.everyType(),
        0,
        trace,
        span,
        "",
        resource,
        SampleTelemetry.scope());
  }
}
