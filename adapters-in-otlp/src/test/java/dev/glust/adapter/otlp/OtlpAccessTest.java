package dev.glust.adapter.otlp;

import static dev.glust.adapter.otlp.OtlpReceiversTest.span;
import static dev.glust.adapter.otlp.OtlpReceiversTest.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import dev.glust.application.access.AccessGuard;
import dev.glust.application.access.ApiKeyRegistry;
import dev.glust.application.access.TokenBucketLimiter;
import dev.glust.application.port.observe.ExportOutcome;
import dev.glust.application.port.observe.ExportReport;
import dev.glust.domain.tenant.TenantId;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** API keys, scopes and rate limits on both receivers, over real sockets. */
class OtlpAccessTest {
  private static final ApiKeyRegistry KEYS =
      ApiKeyRegistry.parse("ingest-key:ingest, query-key:query");
  private final RecordingIngest ingest = new RecordingIngest();
  private final List<ExportReport> reports = new CopyOnWriteArrayList<>();
  private final AtomicLong clock = new AtomicLong();
  private final HttpClient http = HttpClient.newHttpClient();
  private OtlpReceivers receivers;
  private ManagedChannel channel;

  private void start(AccessGuard guard) throws Exception {
    receivers =
        OtlpReceivers.start(
            new OtlpReceiverSettings("127.0.0.1", 0, 0, 1 << 20),
            new OtlpReceiverOptions(guard, reports::add, Optional.empty()),
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

  private HttpResponse<byte[]> post(String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + receivers.httpPort() + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(traces(span(1)).toByteArray()));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Exports over gRPC with the given metadata; returns the response headers it got. */
  private Metadata export(String... metadata) {
    Metadata headers = new Metadata();
    for (int i = 0; i < metadata.length; i += 2) {
      headers.put(Metadata.Key.of(metadata[i], Metadata.ASCII_STRING_MARSHALLER), metadata[i + 1]);
    }
    AtomicReference<Metadata> received = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    TraceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(headers),
            MetadataUtils.newCaptureMetadataInterceptor(received, trailers))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .export(traces(span(1)));
    return received.get();
  }

  private static io.grpc.Status.Code grpcRefusal(Runnable call) {
    AtomicReference<io.grpc.Status.Code> code = new AtomicReference<>();
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> code.set(e.getStatus().getCode()));
    return code.get();
  }

  @Test
  void httpNeedsAnIngestKeyInEitherHeader() throws Exception {
    start(new AccessGuard(KEYS, Optional.empty()));

    HttpResponse<byte[]> missing = post();
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(Status.parseFrom(missing.body()).getMessage()).contains("API key is required");
    assertThat(post("Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(post("X-API-Key", "wrong").statusCode()).isEqualTo(401);
    assertThat(post("Authorization", "Bearer query-key").statusCode()).isEqualTo(403);
    assertThat(post("X-API-Key", "query-key").statusCode()).isEqualTo(403);
    assertThat(ingest.spans).isEmpty();

    assertThat(post("Authorization", "Bearer ingest-key").statusCode()).isEqualTo(200);
    assertThat(post("X-API-Key", "ingest-key").statusCode()).isEqualTo(200);
    assertThat(ingest.spans).hasSize(2);
    assertThat(reports)
        .extracting(ExportReport::outcome)
        .containsExactly(
            ExportOutcome.UNAUTHENTICATED,
            ExportOutcome.UNAUTHENTICATED,
            ExportOutcome.UNAUTHENTICATED,
            ExportOutcome.FORBIDDEN,
            ExportOutcome.FORBIDDEN,
            ExportOutcome.ACCEPTED,
            ExportOutcome.ACCEPTED);
    assertThat(reports.get(6)).extracting(ExportReport::transport).isEqualTo("http");
    assertThat(reports.get(6)).extracting(ExportReport::records).isEqualTo(1);
  }

  @Test
  void grpcNeedsAnIngestKeyInEitherMetadata() throws Exception {
    start(new AccessGuard(KEYS, Optional.empty()));

    assertThat(grpcRefusal(() -> export())).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
    assertThat(grpcRefusal(() -> export("authorization", "Bearer wrong")))
        .isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
    assertThat(grpcRefusal(() -> export("x-api-key", "wrong")))
        .isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
    assertThat(grpcRefusal(() -> export("authorization", "Bearer query-key")))
        .isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(grpcRefusal(() -> export("x-api-key", "query-key")))
        .isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(ingest.spans).isEmpty();

    export("authorization", "Bearer ingest-key");
    export("x-api-key", "ingest-key");
    assertThat(ingest.spans).hasSize(2);
    assertThat(reports)
        .filteredOn(r -> r.outcome() == ExportOutcome.ACCEPTED)
        .extracting(ExportReport::transport)
        .containsExactly("grpc", "grpc");
  }

  @Test
  void theTenantHeaderPicksOnlyAmongTheKeysTenantsOnBothTransports() throws Exception {
    start(new AccessGuard(ApiKeyRegistry.parse("acme-key:ingest@acme"), Optional.empty()));

    assertThat(post("X-API-Key", "acme-key", "X-Scope-OrgID", "beta").statusCode()).isEqualTo(403);
    HttpResponse<byte[]> invalid = post("X-API-Key", "acme-key", "X-Scope-OrgID", "a|b");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(invalid.body()).getMessage()).startsWith("X-Scope-OrgID: ");
    assertThat(grpcRefusal(() -> export("x-api-key", "acme-key", "x-scope-orgid", "beta")))
        .isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
    assertThat(grpcRefusal(() -> export("x-api-key", "acme-key", "x-scope-orgid", "a|b")))
        .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(ingest.spans).isEmpty();

    assertThat(post("X-API-Key", "acme-key", "X-Scope-OrgID", "acme").statusCode()).isEqualTo(200);
    export("x-api-key", "acme-key");
    assertThat(ingest.spans).hasSize(2);
  }

  @Test
  void withoutKeysAnInvalidTenantIsRefusedToo() throws Exception {
    start(AccessGuard.open());

    assertThat(post("X-Scope-OrgID", "no spaces allowed").statusCode()).isEqualTo(400);
    assertThat(grpcRefusal(() -> export("x-scope-orgid", "../etc")))
        .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(post("X-Scope-OrgID", "team-a").statusCode()).isEqualTo(200);
    export("x-scope-orgid", "team-b");
    post();
    export();
    assertThat(ingest.tenants)
        .containsExactly(
            new TenantId("team-a"), new TenantId("team-b"), TenantId.DEFAULT, TenantId.DEFAULT);
  }

  @Test
  void requestsMarkedAsSelfTelemetryAreReportedSoOnBothTransports() throws Exception {
    start(new AccessGuard(KEYS, Optional.empty()));
    String mark = OtlpReceivers.SELF_TELEMETRY_HEADER;

    post("X-API-Key", "ingest-key", mark, "1");
    post(mark, "1"); // refused at the door: still marked
    post("X-API-Key", "ingest-key");
    export("x-api-key", "ingest-key", mark, "1");
    grpcRefusal(() -> export(mark, "1"));
    export("x-api-key", "ingest-key");

    assertThat(reports)
        .extracting(ExportReport::transport, ExportReport::outcome, ExportReport::selfTelemetry)
        .containsExactly(
            tuple("http", ExportOutcome.ACCEPTED, true),
            tuple("http", ExportOutcome.UNAUTHENTICATED, true),
            tuple("http", ExportOutcome.ACCEPTED, false),
            tuple("grpc", ExportOutcome.ACCEPTED, true),
            tuple("grpc", ExportOutcome.UNAUTHENTICATED, true),
            tuple("grpc", ExportOutcome.ACCEPTED, false));
  }

  @Test
  void httpRateLimitRefusesWithRetryAfterAndRecovers() throws Exception {
    start(
        new AccessGuard(
            ApiKeyRegistry.none(), Optional.of(new TokenBucketLimiter(1, 2, 100, clock::get))));

    HttpResponse<byte[]> first = post();
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-RateLimit-Limit")).contains("2");
    assertThat(first.headers().firstValue("X-RateLimit-Remaining")).contains("1");
    assertThat(first.headers().firstValue("X-RateLimit-Reset")).contains("1");
    assertThat(post().headers().firstValue("X-RateLimit-Remaining")).contains("0");

    HttpResponse<byte[]> refused = post();
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).contains("0");
    assertThat(ingest.spans).hasSize(2);

    clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(post().statusCode()).isEqualTo(200);
    assertThat(reports)
        .extracting(ExportReport::outcome)
        .containsExactly(
            ExportOutcome.ACCEPTED,
            ExportOutcome.ACCEPTED,
            ExportOutcome.RATE_LIMITED,
            ExportOutcome.ACCEPTED);
  }

  @Test
  void grpcRateLimitRefusesWithRetryInfoAndRecovers() throws Exception {
    start(new AccessGuard(KEYS, Optional.of(new TokenBucketLimiter(1, 1, 100, clock::get))));

    Metadata headers = export("x-api-key", "ingest-key");
    assertThat(headers.get(Metadata.Key.of("x-ratelimit-limit", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("1");
    assertThatThrownBy(() -> export("x-api-key", "ingest-key"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
              Status details = StatusProto.fromThrowable(e);
              assertThat(details).isNotNull();
              assertThat(details.getDetails(0).is(RetryInfo.class)).isTrue();
              try {
                assertThat(
                        details.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
                    .isEqualTo(1);
              } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
                throw new AssertionError(bad);
              }
            });

    clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
    export("x-api-key", "ingest-key");
    assertThat(ingest.spans).hasSize(2);
  }
}
