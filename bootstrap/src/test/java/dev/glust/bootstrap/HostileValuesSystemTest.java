package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.glust.adapter.otlp.testing.FuzzClient;
import dev.glust.adapter.otlp.testing.FuzzPayloads;
import dev.glust.adapter.otlp.testing.FuzzRequest;
import dev.glust.adapter.otlp.testing.FuzzSignal;
import dev.glust.adapter.otlp.testing.HostileRecords;
import dev.glust.adapter.otlp.testing.MixedBatch.Encoding;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values PostgreSQL or JSON cannot hold as they are (NUL, invalid UTF-8, lone surrogates, NaN and
 * infinities, extreme integers, duplicate keys, very long strings) through both protocols and all
 * three encodings: each request is answered 200 without rejections, and its span and log record are
 * read back, sanitised, through the query API.
 */
class HostileValuesSystemTest {
  private static final AtomicLong TRACE = new AtomicLong(1);

  /** Seven bytes in the encoded request that are overwritten with invalid UTF-8. */
  private static final String PLACEHOLDER = "@@BAD@@";

  private static final byte[] INVALID_UTF8 = {
    'a', (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80
  };

  private static RunningGlust glust;
  private static FuzzClient client;

  @BeforeAll
  static void start() {
    glust = new RunningGlust();
    client = new FuzzClient("127.0.0.1", glust.receivers.httpPort(), glust.receivers.grpcPort());
  }

  @AfterAll
  static void stop() {
    client.close();
    glust.close();
  }

  /**
   * One hostile value: where it goes (span name, attribute key or value, log body) and what the
   * query API must show for it.
   */
  record HostileCase(
      String name, AnyValue sent, JsonElement expected, JsonElement overProtobuf, boolean asKey) {
    /** What the API shows; protobuf encoders already turn a lone surrogate into '?'. */
    JsonElement expectedOver(Encoding encoding) {
      return encoding == Encoding.HTTP_JSON || overProtobuf == null ? expected : overProtobuf;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<HostileCase> cases() {
    return List.of(
        text("NUL in a string", "a\u0000b", "a\uFFFDb"),
        text("only NUL", "\u0000", "\uFFFD"),
        new HostileCase(
            "lone surrogate",
            anyString("x\uD800y"),
            new JsonPrimitive("x\uFFFDy"),
            new JsonPrimitive("x?y"),
            false),
        text("invalid UTF-8 bytes", PLACEHOLDER, "a\uFFFD(\uFFFD"),
        text("very long string", "y".repeat(100_000), "y".repeat(100_000)),
        key("NUL in an attribute key", "k\u0000ey", "k\uFFFDey"),
        number("NaN", Double.NaN, new JsonPrimitive("NaN")),
        number("Infinity", Double.POSITIVE_INFINITY, new JsonPrimitive("Infinity")),
        number("-Infinity", Double.NEGATIVE_INFINITY, new JsonPrimitive("-Infinity")),
        integer("largest int64", Long.MAX_VALUE),
        integer("smallest int64", Long.MIN_VALUE));
  }

  static Stream<Arguments> casesByEncoding() {
    List<Arguments> all = new ArrayList<>();
    for (HostileCase c : cases()) {
      for (Encoding encoding : Encoding.values()) {
        all.add(Arguments.of(c, encoding));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("casesByEncoding")
  void isStoredSanitisedAndReadBack(HostileCase hostile, Encoding encoding) throws Exception {
    String traceId = newTraceId();
    KeyValue attribute =
        hostile.asKey()
            ? kv(hostile.sent().getStringValue(), AnyValue.newBuilder().setIntValue(1).build())
            : kv("hostile", hostile.sent());
    String spanName = hostile.sent().hasStringValue() ? hostile.sent().getStringValue() : "span";
    Span span = span(traceId, spanName, List.of(attribute));
    LogRecord log = log(traceId, hostile.sent(), List.of(attribute));

    send(FuzzSignal.TRACES, traces(span), encoding);
    send(FuzzSignal.LOGS, logs(log), encoding);

    JsonObject trace = getJson("/api/v1/traces/" + traceId);
    JsonObject storedSpan = trace.getAsJsonArray("spans").get(0).getAsJsonObject();
    JsonObject storedLog = trace.getAsJsonArray("logs").get(0).getAsJsonObject();
    String expected = collapsed(hostile.expectedOver(encoding));
    if (hostile.asKey()) {
      assertThat(storedSpan.getAsJsonObject("attributes").keySet()).containsExactly(expected);
      assertThat(storedLog.getAsJsonObject("attributes").keySet()).containsExactly(expected);
    } else {
      assertThat(collapsed(storedSpan.getAsJsonObject("attributes").get("hostile")))
          .isEqualTo(expected);
      assertThat(collapsed(storedLog.getAsJsonObject("attributes").get("hostile")))
          .isEqualTo(expected);
      assertThat(collapsed(storedLog.get("body"))).isEqualTo(expected);
      if (hostile.sent().hasStringValue()) {
        assertThat(collapsed(storedSpan.get("name"))).isEqualTo(expected);
      }
    }
  }

  /**
   * A value as text, with runs of U+FFFD as one: decoders differ in how many replacement characters
   * one invalid sequence becomes.
   */
  private static String collapsed(JsonElement value) {
    String text = value.isJsonPrimitive() ? value.getAsString() : value.toString();
    return text.replaceAll("\uFFFD+", "\uFFFD");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void duplicateAttributeKeysKeepTheLastValue(Encoding encoding) throws Exception {
    String traceId = newTraceId();
    List<KeyValue> attributes =
        List.of(
            kv("dup", AnyValue.newBuilder().setStringValue("first").build()),
            kv("dup", AnyValue.newBuilder().setIntValue(2).build()));
    send(FuzzSignal.TRACES, traces(span(traceId, "dup", attributes)), encoding);

    JsonObject span =
        getJson("/api/v1/traces/" + traceId).getAsJsonArray("spans").get(0).getAsJsonObject();
    assertThat(span.getAsJsonObject("attributes").get("dup").getAsLong()).isEqualTo(2);
  }

  /** An integer JSON cannot carry in int64 is a client error, 400, never a server error. */
  @Test
  void anIntegerBeyondInt64InJsonIs400() throws Exception {
    JsonObject json = FuzzPayloads.otlpJson(traces(span(newTraceId(), "big", List.of())));
    String body =
        json.toString()
            .replace("\"name\":\"big\"", "\"name\":\"big\",\"droppedAttributesCount\":1e400")
            .replace(
                "\"startTimeUnixNano\":\"1",
                "\"startTimeUnixNano\":\"99999999999999999999999999999");
    FuzzRequest request =
        new FuzzRequest(
            FuzzSignal.TRACES,
            "application/json",
            "identity",
            body.getBytes(StandardCharsets.UTF_8),
            "int beyond int64");
    assertThat(client.http(request)).isEqualTo(400);
  }

  private static HostileCase text(String name, String sent, String expected) {
    return new HostileCase(name, anyString(sent), new JsonPrimitive(expected), null, false);
  }

  private static HostileCase key(String name, String sent, String expected) {
    return new HostileCase(name, anyString(sent), new JsonPrimitive(expected), null, true);
  }

  private static HostileCase number(String name, double sent, JsonElement expected) {
    return new HostileCase(
        name, AnyValue.newBuilder().setDoubleValue(sent).build(), expected, null, false);
  }

  private static HostileCase integer(String name, long sent) {
    return new HostileCase(
        name,
        AnyValue.newBuilder().setIntValue(sent).build(),
        new JsonPrimitive(sent),
        null,
        false);
  }

  /** Sends in the encoding, with the placeholder replaced by invalid UTF-8; demands a clean 200. */
  private static void send(FuzzSignal signal, Message request, Encoding encoding) throws Exception {
    boolean json = encoding == Encoding.HTTP_JSON;
    byte[] body =
        json
            ? FuzzPayloads.otlpJson(request)
                .toString()
                .replace("\uD800", "\\ud800") // as an escape: raw, UTF-8 cannot carry it
                .getBytes(StandardCharsets.UTF_8)
            : request.toByteArray();
    body = replacePlaceholder(body);
    FuzzRequest sent =
        new FuzzRequest(
            signal,
            json ? "application/json" : "application/x-protobuf",
            "identity",
            body,
            "hostile case");
    if (encoding == Encoding.GRPC) {
      assertNoRejection(signal, client.callGrpc(sent));
      return;
    }
    HttpResponse<byte[]> response = client.postHttp(sent);
    assertThat(response.statusCode())
        .as(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    if (json) {
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    } else {
      assertNoRejection(signal, response.body());
    }
  }

  private static void assertNoRejection(FuzzSignal signal, byte[] response) throws Exception {
    boolean partial =
        signal == FuzzSignal.TRACES
            ? ExportTraceServiceResponse.parseFrom(response).hasPartialSuccess()
            : ExportLogsServiceResponse.parseFrom(response).hasPartialSuccess();
    assertThat(partial).as("partial success").isFalse();
  }

  private static byte[] replacePlaceholder(byte[] body) {
    byte[] placeholder = PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
    byte[] out = body.clone();
    for (int i = 0; i + placeholder.length <= out.length; i++) {
      if (java.util.Arrays.equals(
          out, i, i + placeholder.length, placeholder, 0, placeholder.length)) {
        System.arraycopy(INVALID_UTF8, 0, out, i, INVALID_UTF8.length);
      }
    }
    return out;
  }

  private static String newTraceId() {
    return String.format("%016x%016x", 0x5eed_0000_0000_0000L, TRACE.getAndIncrement());
  }

  private static Span span(String traceId, String name, List<KeyValue> attributes) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(traceId.substring(16))))
        .setName(name)
        .setStartTimeUnixNano(now - 1_000_000)
        .setEndTimeUnixNano(now)
        .addAllAttributes(attributes)
        .build();
  }

  private static LogRecord log(String traceId, AnyValue body, List<KeyValue> attributes) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
        .setBody(body)
        .addAllAttributes(attributes)
        .build();
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static Message traces(Span span) {
    return HostileRecords.traces(
        resource(), InstrumentationScope.getDefaultInstance(), List.of(span));
  }

  private static Message logs(LogRecord log) {
    return HostileRecords.logs(resource(), InstrumentationScope.getDefaultInstance(), List.of(log));
  }

  private static Resource resource() {
    return Resource.newBuilder().addAttributes(kv("service.name", anyString("hostile"))).build();
  }

  private static AnyValue anyString(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static JsonObject getJson(String path) throws Exception {
    HttpResponse<String> response = glust.get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }
}
