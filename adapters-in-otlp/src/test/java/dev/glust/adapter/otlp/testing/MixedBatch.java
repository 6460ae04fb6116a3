package dev.glust.adapter.otlp.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
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
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A request mixing valid records (hostile content, see {@link HostileRecords}) with invalid ones
 * (all-zero or wrong-length ids), sent over one of the three encodings. The valid records must be
 * stored and the invalid ones counted in the partial-success answer.
 *
 * @param validSpanIds the span ids of the valid spans (traces)
 * @param validLogSequences the {@link #SEQUENCE_KEY} attribute of the valid log records (logs)
 */
public record MixedBatch(
    FuzzSignal signal,
    Message request,
    List<ByteString> validSpanIds,
    List<String> validLogSequences,
    int invalid,
    Encoding encoding) {
  /** An attribute every valid log record of a batch carries, unique in the JVM: its identity. */
  public static final String SEQUENCE_KEY = "fuzz.seq";

  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** The three ways an export reaches a receiver. */
  public enum Encoding {
    HTTP_PROTOBUF,
    HTTP_JSON,
    GRPC
  }

  public static Arbitrary<MixedBatch> spans() {
    Arbitrary<Span> invalid =
        Combinators.combine(HostileRecords.spans(), Arbitraries.integers().between(0, 2))
            .as(
                (span, how) ->
                    switch (how) {
                      case 0 -> span.toBuilder().setTraceId(ByteString.copyFrom(new byte[16]));
                      case 1 -> span.toBuilder().setSpanId(ByteString.copyFrom(new byte[3]));
                      default -> span.toBuilder().clearTraceId();
                    })
            .map(Span.Builder::build);
    return Combinators.combine(
            HostileRecords.resources(),
            HostileRecords.scopes(),
            HostileRecords.spans().list().ofMinSize(1).ofMaxSize(6),
            invalid.list().ofMaxSize(3),
            Arbitraries.of(Encoding.values()),
            Arbitraries.randoms())
        .as(
            (resource, scope, valid, bad, encoding, random) ->
                new MixedBatch(
                    FuzzSignal.TRACES,
                    HostileRecords.traces(resource, scope, shuffled(valid, bad, random)),
                    valid.stream().map(Span::getSpanId).toList(),
                    List.of(),
                    bad.size(),
                    encoding));
  }

  public static Arbitrary<MixedBatch> logs() {
    Arbitrary<LogRecord> invalid =
        Combinators.combine(HostileRecords.logs(), Arbitraries.integers().between(0, 1))
            .as(
                (log, how) ->
                    how == 0
                        ? log.toBuilder()
                            .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5}))
                        : log.toBuilder()
                            .setTraceId(
                                ByteString.copyFrom(
                                    new byte[] {
                                      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
                                    }))
                            .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3})))
            .map(LogRecord.Builder::build);
    Arbitrary<List<LogRecord>> valid =
        HostileRecords.logs().list().ofMinSize(1).ofMaxSize(6).map(MixedBatch::numbered);
    return Combinators.combine(
            HostileRecords.resources(),
            HostileRecords.scopes(),
            valid,
            invalid.list().ofMaxSize(3),
            Arbitraries.of(Encoding.values()),
            Arbitraries.randoms())
        .as(
            (resource, scope, good, bad, encoding, random) ->
                new MixedBatch(
                    FuzzSignal.LOGS,
                    HostileRecords.logs(resource, scope, shuffled(good, bad, random)),
                    List.of(),
                    good.stream().map(MixedBatch::sequenceOf).toList(),
                    bad.size(),
                    encoding));
  }

  /** A one-record request that must always be stored: proof that a receiver is still healthy. */
  public static FuzzRequest healthProbe(FuzzSignal signal) {
    Message request =
        switch (signal) {
          case TRACES ->
              HostileRecords.traces(
                  Resource.getDefaultInstance(),
                  InstrumentationScope.getDefaultInstance(),
                  List.of(
                      Span.newBuilder()
                          .setTraceId(
                              ByteString.copyFrom(
                                  new byte[] {
                                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
                                  }))
                          .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                          .setName("health probe")
                          .build()));
          case LOGS ->
              HostileRecords.logs(
                  Resource.getDefaultInstance(),
                  InstrumentationScope.getDefaultInstance(),
                  List.of(
                      LogRecord.newBuilder()
                          .setBody(AnyValue.newBuilder().setStringValue("health probe"))
                          .build()));
          case METRICS ->
              HostileRecords.metrics(
                  Resource.getDefaultInstance(),
                  InstrumentationScope.getDefaultInstance(),
                  List.of(
                      io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                          .setName("health.probe")
                          .setGauge(
                              io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                                  .addDataPoints(
                                      io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder()
                                          .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                                          .setAsInt(1)))
                          .build()));
        };
    return new FuzzRequest(
        signal, FuzzPayloads.PROTOBUF, "identity", request.toByteArray(), "health probe");
  }

  /** Sends the batch; fails unless it is answered 200 / OK; returns the rejected count. */
  public long send(FuzzClient client) throws Exception {
    if (encoding == Encoding.GRPC) {
      return rejected(client.callGrpc(protobuf()));
    }
    FuzzRequest sent =
        encoding == Encoding.HTTP_PROTOBUF
            ? protobuf()
            : new FuzzRequest(
                signal,
                FuzzPayloads.JSON,
                "identity",
                FuzzPayloads.otlpJson(request).toString().getBytes(StandardCharsets.UTF_8),
                "mixed batch");
    HttpResponse<byte[]> response = client.postHttp(sent);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "mixed batch answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    return encoding == Encoding.HTTP_PROTOBUF
        ? rejected(response.body())
        : rejectedFromJson(response.body());
  }

  @Override
  public String toString() {
    String text = com.google.protobuf.TextFormat.printer().printToString(request);
    return signal
        + " over "
        + encoding
        + ", "
        + invalid
        + " invalid: "
        + (text.length() > 2000 ? text.substring(0, 2000) + "…" : text);
  }

  private FuzzRequest protobuf() {
    return new FuzzRequest(
        signal, FuzzPayloads.PROTOBUF, "identity", request.toByteArray(), "mixed batch");
  }

  private long rejected(byte[] protobufResponse) throws InvalidProtocolBufferException {
    return switch (signal) {
      case TRACES ->
          ExportTraceServiceResponse.parseFrom(protobufResponse)
              .getPartialSuccess()
              .getRejectedSpans();
      case LOGS ->
          ExportLogsServiceResponse.parseFrom(protobufResponse)
              .getPartialSuccess()
              .getRejectedLogRecords();
      case METRICS ->
          io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse.parseFrom(
                  protobufResponse)
              .getPartialSuccess()
              .getRejectedDataPoints();
    };
  }

  private long rejectedFromJson(byte[] jsonResponse) {
    JsonObject body =
        JsonParser.parseString(new String(jsonResponse, StandardCharsets.UTF_8)).getAsJsonObject();
    JsonObject partial = body.getAsJsonObject("partialSuccess");
    if (partial == null) {
      return 0;
    }
    JsonElement count =
        partial.get(
            switch (signal) {
              case TRACES -> "rejectedSpans";
              case LOGS -> "rejectedLogRecords";
              case METRICS -> "rejectedDataPoints";
            });
    return count == null ? 0 : count.getAsLong();
  }

  private static List<LogRecord> numbered(List<LogRecord> logs) {
    return logs.stream()
        .map(
            log ->
                log.toBuilder()
                    .addAttributes(
                        KeyValue.newBuilder()
                            .setKey(SEQUENCE_KEY)
                            .setValue(
                                AnyValue.newBuilder()
                                    .setStringValue("seq-" + SEQUENCE.incrementAndGet())))
                    .build())
        .toList();
  }

  private static String sequenceOf(LogRecord log) {
    return log.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(SEQUENCE_KEY))
        .reduce((first, second) -> second)
        .orElseThrow()
        .getValue()
        .getStringValue();
  }

  private static <T> List<T> shuffled(List<T> valid, List<T> invalid, Random random) {
    List<T> all = new ArrayList<>(valid);
    all.addAll(invalid);
    Collections.shuffle(all, random);
    return all;
  }
}
