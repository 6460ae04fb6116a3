package dev.glust.adapter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.adapter.mapping.otlp.OtlpMapper;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanKind;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OTLP/JSON decoding and proto → domain mapping, on the spec's own example documents. */
class OtlpSignalTest {
  private final RecordingIngest ingest = new RecordingIngest();
  private final OtlpMapper mapper = new OtlpMapper();
  private final RecordsPerRequest limit =
      new RecordsPerRequest(OtlpReceiverSettings.DEFAULT_MAX_RECORDS_PER_REQUEST);

  static byte[] resource(String name) throws IOException {
    try (InputStream in = OtlpSignalTest.class.getResourceAsStream("/otlp/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void theSpecsTraceExampleDecodesWithHexIdsAndMixedNumberStyles() throws IOException {
    ExportTraceServiceRequest request =
        OtlpSignal.traces(mapper, limit, ingest).parseJson(resource("trace.json"));
    Span span = mapper.toSpans(TenantId.DEFAULT, request, 0).records().get(0);

    assertThat(span.traceId()).isEqualTo(TraceId.fromHex("5b8efff798038103d269b633813fc60c"));
    assertThat(span.spanId()).isEqualTo(SpanId.fromHex("eee19b7ec3c1b174"));
    assertThat(span.parentSpanId()).isEqualTo(SpanId.fromHex("eee19b7ec3c1b173"));
    assertThat(span.name()).isEqualTo("I'm a server span");
    assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.startTimeUnixNano()).isEqualTo(1544712660000000000L);
    assertThat(span.endTimeUnixNano()).isEqualTo(1544712661000000000L);
    assertThat(span.attributes().entries())
        .containsExactly(Attribute.of("my.span.attr", "some value"));
    assertThat(span.serviceName()).isEqualTo("my.service");
    assertThat(span.scope().name()).isEqualTo("my.library");
    assertThat(span.scope().version()).isEqualTo("1.0.0");
    assertThat(span.scope().attributes().get("my.scope.attribute"))
        .contains(AnyValue.of("some scope attribute"));
  }

  @Test
  void theSpecsLogsExampleDecodesWithEveryValueType() throws IOException {
    ExportLogsServiceRequest request =
        OtlpSignal.logs(mapper, limit, ingest).parseJson(resource("logs.json"));
    LogRecord log = mapper.toLogs(TenantId.DEFAULT, request, 0).records().get(0);

    assertThat(log.timeUnixNano()).isEqualTo(1544712660300000000L);
    assertThat(log.severityNumber()).isEqualTo(10);
    assertThat(log.severityText()).isEqualTo("Information");
    assertThat(log.traceId()).isEqualTo(TraceId.fromHex("5B8EFFF798038103D269B633813FC60C"));
    assertThat(log.spanId()).isEqualTo(SpanId.fromHex("EEE19B7EC3C1B174"));
    assertThat(log.body()).isEqualTo(AnyValue.of("Example log record"));
    assertThat(log.attributes().entries())
        .containsExactly(
            Attribute.of("string.attribute", "some string"),
            new Attribute("boolean.attribute", AnyValue.of(true)),
            Attribute.of("int.attribute", 10L),
            new Attribute("double.attribute", AnyValue.of(637.704)),
            new Attribute(
                "array.attribute",
                new AnyValue.ArrayValue(List.of(AnyValue.of("many"), AnyValue.of("values")))),
            new Attribute(
                "map.attribute",
                new AnyValue.KeyValueListValue(
                    List.of(Attribute.of("some.map.key", "some value")))));
  }

  @Test
  void snakeCaseKeysAndEmptyParentAreAccepted() {
    String json =
        "{\"resource_spans\":[{\"scope_spans\":[{\"spans\":[{\"trace_id\":"
            + "\"0102030405060708090a0b0c0d0e0f10\",\"span_id\":\"0102030405060708\","
            + "\"parentSpanId\":\"\",\"name\":\"root\",\"kind\":\"SPAN_KIND_CLIENT\"}]}]}]}";
    ExportTraceServiceRequest request =
        OtlpSignal.traces(mapper, limit, ingest).parseJson(json.getBytes(StandardCharsets.UTF_8));
    Span span = mapper.toSpans(TenantId.DEFAULT, request, 0).records().get(0);
    assertThat(span.isRoot()).isTrue();
    assertThat(span.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.serviceName()).isEqualTo("unknown_service");
  }

  @Test
  void invalidRecordsAreCountedWhileTheRestMaps() {
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
            + "{\"traceId\":\"00000000000000000000000000000000\",\"spanId\":\"0102030405060708\"},"
            + "{\"traceId\":\"0102\",\"spanId\":\"0102030405060708\"},"
            + "{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"0102030405060708\","
            + "\"links\":[{\"traceId\":\"\",\"spanId\":\"\"}]}]}]}]}";
    var batch =
        mapper.toSpans(
            TenantId.DEFAULT,
            OtlpSignal.traces(mapper, limit, ingest)
                .parseJson(json.getBytes(StandardCharsets.UTF_8)),
            json.length());
    assertThat(batch.records()).hasSize(1);
    assertThat(batch.records().get(0).links()).isEmpty();
    assertThat(batch.records().get(0).droppedLinksCount()).isEqualTo(1);
    assertThat(batch.rejectedCount()).isEqualTo(2);
    assertThat(batch.wireBytes()).isEqualTo(json.length());
    assertThat(batch.rejectionReason())
        .startsWith("2 spans rejected; first: trace id must not be all zero");
  }

  @Test
  void logsWithoutTraceContextAreUncorrelated() {
    String json =
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"intValue\":3},"
            + "\"traceId\":\"00000000000000000000000000000000\"}]}]}]}";
    LogRecord log =
        mapper
            .toLogs(
                TenantId.DEFAULT,
                OtlpSignal.logs(mapper, limit, ingest)
                    .parseJson(json.getBytes(StandardCharsets.UTF_8)),
                json.length())
            .records()
            .get(0);
    assertThat(log.traceId()).isNull();
    assertThat(log.spanId()).isNull();
    assertThat(log.body()).isEqualTo(AnyValue.of(3L));
  }

  @Test
  void invalidUtf8InProtobufStringsIsReplacedNotRejected() {
    ExportTraceServiceRequest valid =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                    .addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                            .addSpans(
                                OtlpReceiversTest.span(1)
                                    .setName("a?b")
                                    .addAttributes(
                                        io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                                            .setKey("k")
                                            .setValue(
                                                io.opentelemetry.proto.common.v1.AnyValue
                                                    .newBuilder()
                                                    .setBytesValue(
                                                        com.google.protobuf.ByteString.copyFrom(
                                                            new byte[] {'a', '?', 'b'})))))))
            .build();
    byte[] wire = valid.toByteArray();
    // Turn every "a?b" into "a\xFFb": in the string field that is invalid UTF-8, in bytes it is
    // fine.
    for (int i = 0; i + 2 < wire.length; i++) {
      if (wire[i] == 'a' && wire[i + 1] == '?' && wire[i + 2] == 'b') {
        wire[i + 1] = (byte) 0xFF;
      }
    }
    ExportTraceServiceRequest parsed = OtlpSignal.traces(mapper, limit, ingest).parseProtobuf(wire);
    Span span = mapper.toSpans(TenantId.DEFAULT, parsed, 0).records().get(0);
    assertThat(span.name()).isEqualTo("a\uFFFDb");
    assertThat(span.attributes().get("k"))
        .contains(new AnyValue.BytesValue(new byte[] {'a', (byte) 0xFF, 'b'}));
    assertThat(span.startTimeUnixNano()).isEqualTo(1_700_000_000_000_000_001L);
  }

  @Test
  void malformedJsonAndNonHexIdsAreMalformedRequests() {
    OtlpSignal<ExportTraceServiceRequest, ?> traces = OtlpSignal.traces(mapper, limit, ingest);
    assertThatThrownBy(
            () -> traces.parseJson("{\"resourceSpans\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedRequestException.class);
    assertThatThrownBy(() -> traces.parseJson("[1,2]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedRequestException.class);
    assertThatThrownBy(
            () ->
                traces.parseJson(
                    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}"
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("traceId is not a hex string");
    assertThatThrownBy(() -> traces.parseProtobuf(new byte[] {(byte) 0xFF, 0x01, 0x02}))
        .isInstanceOf(MalformedRequestException.class);
  }
}
