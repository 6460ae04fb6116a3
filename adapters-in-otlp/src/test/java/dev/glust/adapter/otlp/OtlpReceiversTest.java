package dev.glust.adapter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import dev.glust.application.port.out.StorageUnavailableException;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both receivers over real sockets, with a recording fake behind them. */
class OtlpReceiversTest {
  private static final int LIMIT = 1024 * 1024;
  private static final int MAX_RECORDS = 50;
  private final RecordingIngest ingest = new RecordingIngest();
  private final HttpClient http = HttpClient.newHttpClient();
  private OtlpReceivers receivers;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    receivers =
        OtlpReceivers.start(
            new OtlpReceiverSettings("127.0.0.1", 0, 0, LIMIT, MAX_RECORDS),
            ingest,
            ingest,
            ingest);
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", receivers.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    receivers.close();
  }

  static Span.Builder span(int id) {
    return Span.newBuilder()
        .setTraceId(
            ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) id}))
        .setName("op" + id)
        .setStartTimeUnixNano(1_700_000_000_000_000_001L)
        .setEndTimeUnixNano(1_700_000_000_000_000_999L);
  }

  static ExportTraceServiceRequest traces(Span.Builder... spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  private HttpResponse<byte[]> post(String path, String type, byte[] body, String... headers)
      throws IOException, InterruptedException {
    return post(http, receivers.httpPort(), path, type, body, headers);
  }

  /** POSTs to an OTLP/HTTP receiver on this port; a null type sends no Content-Type. */
  static HttpResponse<byte[]> post(
      HttpClient http, int port, String path, String type, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  @Test
  void httpProtobufIsStoredAndAnsweredInProtobuf() throws Exception {
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", traces(span(1), span(2)).toByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/x-protobuf");
    assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
    assertThat(ingest.spans).extracting(s -> s.name()).containsExactly("op1", "op2");
  }

  @Test
  void httpJsonWithCharsetAndGzipIsStoredAndAnsweredInJson() throws Exception {
    byte[] json = OtlpSignalTest.resource("logs.json");
    HttpResponse<byte[]> response =
        post("/v1/logs", "application/json; charset=utf-8", gzip(json), "Content-Encoding", "gzip");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(ingest.logs).hasSize(1);
  }

  @Test
  void partialSuccessNamesTheRejectedRecords() throws Exception {
    Span.Builder zeroTrace = span(3).setTraceId(ByteString.copyFrom(new byte[16]));
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", traces(span(1), zeroTrace).toByteArray());

    ExportTraceServiceResponse body = ExportTraceServiceResponse.parseFrom(response.body());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(body.getPartialSuccess().getErrorMessage()).contains("all zero");
    assertThat(ingest.spans).hasSize(1);
  }

  @Test
  void otherContentTypesAndEncodingsAre415() throws Exception {
    assertThat(post("/v1/traces", "text/plain", new byte[] {1}).statusCode()).isEqualTo(415);
    assertThat(post("/v1/traces", null, new byte[] {1}).statusCode()).isEqualTo(415);
    HttpResponse<byte[]> brotli =
        post("/v1/traces", "application/x-protobuf", new byte[] {1}, "Content-Encoding", "br");
    assertThat(brotli.statusCode()).isEqualTo(415);
  }

  @Test
  void otherMethodsAre405AndOtherPaths404() throws Exception {
    HttpResponse<byte[]> get =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + receivers.httpPort() + "/v1/traces"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(post("/v1/nothing", "application/json", "{}".getBytes()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void malformedPayloadsAre400WithAStatusBody() throws Exception {
    HttpResponse<byte[]> proto =
        post("/v1/traces", "application/x-protobuf", new byte[] {(byte) 0xFF, 0x7F, 0x01});
    assertThat(proto.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(proto.body()).getCode()).isEqualTo(3);

    HttpResponse<byte[]> json =
        post("/v1/logs", "application/json", "{\"resourceLogs\":[".getBytes());
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(new String(json.body(), StandardCharsets.UTF_8)).contains("\"code\":3");

    HttpResponse<byte[]> notGzip =
        post("/v1/logs", "application/json", "{}".getBytes(), "Content-Encoding", "gzip");
    assertThat(notGzip.statusCode()).isEqualTo(400);
    assertThat(ingest.spans).isEmpty();
  }

  @Test
  void aGzipBombIsRefusedWith413() throws Exception {
    byte[] bomb = gzip(new byte[LIMIT * 8]); // ~8 KiB on the wire, 8 MiB inflated
    assertThat(bomb.length).isLessThan(LIMIT / 16);
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", bomb, "Content-Encoding", "gzip");
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(Status.parseFrom(response.body()).getMessage()).contains("limit");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() throws Exception {
    HttpResponse<byte[]> response = post("/v1/traces", "application/json", new byte[LIMIT + 1]);
    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void storageOutageIs503WithRetryAfter() throws Exception {
    ingest.failure = new StorageUnavailableException("db down", null);
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", traces(span(1)).toByteArray());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("5");
    assertThat(Status.parseFrom(response.body()).getCode()).isEqualTo(14); // UNAVAILABLE
  }

  @Test
  void grpcExportsAreStoredIncludingGzipCompressedOnes() {
    TraceServiceGrpc.TraceServiceBlockingStub stub = TraceServiceGrpc.newBlockingStub(channel);
    assertThat(stub.export(traces(span(1))).hasPartialSuccess()).isFalse();
    assertThat(stub.withCompression("gzip").export(traces(span(2))).hasPartialSuccess()).isFalse();

    var logs =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(
                                LogRecord.newBuilder()
                                    .setBody(AnyValue.newBuilder().setStringValue("hello")))))
            .build();
    LogsServiceGrpc.newBlockingStub(channel).export(logs);

    assertThat(ingest.spans).hasSize(2);
    assertThat(ingest.logs).hasSize(1);
  }

  @Test
  void grpcPartialSuccessAndErrorsUseOtlpCodes() {
    TraceServiceGrpc.TraceServiceBlockingStub stub = TraceServiceGrpc.newBlockingStub(channel);
    Span.Builder zeroSpanId = span(3).setSpanId(ByteString.copyFrom(new byte[8]));
    assertThat(stub.export(traces(span(1), zeroSpanId)).getPartialSuccess().getRejectedSpans())
        .isEqualTo(1);

    ingest.failure = new StorageUnavailableException("db down", null);
    assertThatThrownBy(() -> stub.export(traces(span(1))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
  }

  @Test
  void grpcMessagesOverTheLimitAreResourceExhausted() {
    Span.Builder huge = span(1).setName("x".repeat(LIMIT + 10));
    TraceServiceGrpc.TraceServiceBlockingStub stub = TraceServiceGrpc.newBlockingStub(channel);
    assertThatThrownBy(() -> stub.withCompression("gzip").export(traces(huge)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(e.getStatus().getCode())
                    .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED));
    assertThat(ingest.spans).isEmpty();
  }

  @Test
  void requestsWithMoreRecordsThanTheLimitAre413AndResourceExhausted() throws Exception {
    Span.Builder[] tooMany = new Span.Builder[MAX_RECORDS + 1];
    for (int i = 0; i < tooMany.length; i++) {
      tooMany[i] = span(i + 1);
    }
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", traces(tooMany).toByteArray());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(Status.parseFrom(response.body()).getMessage())
        .contains("51 spans, over the limit of 50");

    TraceServiceGrpc.TraceServiceBlockingStub stub = TraceServiceGrpc.newBlockingStub(channel);
    assertThatThrownBy(() -> stub.export(traces(tooMany)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(e.getStatus().getCode())
                    .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED));
    assertThat(ingest.spans).isEmpty();

    assertThat(
            stub.export(traces(java.util.Arrays.copyOf(tooMany, MAX_RECORDS))).hasPartialSuccess())
        .isFalse();
    assertThat(ingest.spans).hasSize(MAX_RECORDS);
  }
}
