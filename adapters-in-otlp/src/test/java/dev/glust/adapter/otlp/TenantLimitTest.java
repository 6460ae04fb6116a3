package dev.glust.adapter.otlp;

import static dev.glust.adapter.otlp.OtlpReceiversTest.span;
import static dev.glust.adapter.otlp.OtlpReceiversTest.traces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import dev.glust.application.access.AccessGuard;
import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.port.observe.ExportOutcome;
import dev.glust.application.port.observe.ExportReport;
import dev.glust.application.port.observe.TenantLimitObserver;
import dev.glust.application.service.IngestTelemetryService;
import dev.glust.application.service.MaxRecordAge;
import dev.glust.application.service.MaxRecordAges;
import dev.glust.application.tenant.ActiveSeriesLimiter;
import dev.glust.application.tenant.IngestRate;
import dev.glust.application.tenant.Retention;
import dev.glust.application.tenant.TenantLimits;
import dev.glust.application.tenant.TenantPolicies;
import dev.glust.application.tenant.TenantRateLimiter;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant over its ingest rate is answered as OTLP asks a client to back off: HTTP 429 with
 * Retry-After, gRPC RESOURCE_EXHAUSTED with RetryInfo; another tenant is not held back.
 */
class TenantLimitTest {
  private static final PipelineSettings SETTINGS =
      new PipelineSettings(100, Duration.ZERO, 1000, 1 << 20, 1);
  private final List<String> stored = new CopyOnWriteArrayList<>();
  private final List<ExportReport> reports = new CopyOnWriteArrayList<>();
  private BatchingPipeline<Span> spans;
  private BatchingPipeline<LogRecord> logs;
  private BatchingPipeline<MetricPoint> metrics;
  private OtlpReceivers receivers;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    spans =
        new BatchingPipeline<>("spans", (tenant, records) -> stored.add(tenant.name()), SETTINGS);
    logs = new BatchingPipeline<>("logs", (tenant, records) -> {}, SETTINGS);
    metrics = new BatchingPipeline<>("metrics", (tenant, records) -> {}, SETTINGS);
    // acme: one span per 30 s, so a second request within the test is refused with ~30 s
    TenantPolicies policies =
        new TenantPolicies(
            TenantLimits.UNLIMITED,
            Map.of(
                new TenantId("acme"),
                new TenantLimits(new IngestRate(1 / 30.0, 0, 30), 0, Retention.GLOBAL)));
    IngestTelemetryService ingest =
        new IngestTelemetryService(
            spans,
            logs,
            metrics,
            RecordLimits.OTEL_DEFAULTS,
            Duration.ofHours(1),
            MaxRecordAges.all(new MaxRecordAge(Duration.ofDays(36_500), "test")),
            () -> 1_700_000_000_000_000_500L,
            new TenantRateLimiter(() -> policies, 10, System::nanoTime, TenantLimitObserver.NONE),
            new ActiveSeriesLimiter(
                () -> policies, 10, System::nanoTime, TenantLimitObserver.NONE));
    receivers =
        OtlpReceivers.start(
            new OtlpReceiverSettings("127.0.0.1", 0, 0, 1 << 20),
            new OtlpReceiverOptions(AccessGuard.open(), reports::add, Optional.empty()),
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
    spans.close();
    logs.close();
    metrics.close();
  }

  @Test
  void overHttpATenantOverItsRateGets429WithRetryAfter() throws Exception {
    assertThat(post("acme").statusCode()).isEqualTo(200);

    HttpResponse<byte[]> limited = post("acme");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After"))
        .hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isBetween(29, 30));
    Status status = Status.parseFrom(limited.body());
    assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED.value());
    assertThat(status.getMessage()).contains("tenant acme", "records_per_second");

    assertThat(post("beta").statusCode()).isEqualTo(200);
    assertThat(stored).containsExactly("acme", "beta");
    assertThat(reports)
        .extracting(ExportReport::outcome, ExportReport::tenant)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ExportOutcome.ACCEPTED, Optional.of(new TenantId("acme"))),
            org.assertj.core.groups.Tuple.tuple(
                ExportOutcome.TENANT_LIMITED, Optional.of(new TenantId("acme"))),
            org.assertj.core.groups.Tuple.tuple(
                ExportOutcome.ACCEPTED, Optional.of(new TenantId("beta"))));
  }

  @Test
  void overGrpcATenantOverItsRateGetsResourceExhaustedWithRetryInfo() throws Exception {
    export("acme");
    assertThatThrownBy(() -> export("acme"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
              assertThat(StatusProto.fromThrowable(e).getDetailsList())
                  .singleElement()
                  .satisfies(
                      detail ->
                          assertThat(detail.unpack(RetryInfo.class).getRetryDelay().getSeconds())
                              .isBetween(29L, 30L));
            });
    export("beta");
    assertThat(stored).containsExactly("acme", "beta");
  }

  private HttpResponse<byte[]> post(String tenant) throws Exception {
    return OtlpReceiversTest.post(
        HttpClient.newHttpClient(),
        receivers.httpPort(),
        "/v1/traces",
        "application/x-protobuf",
        traces(span(1)).toByteArray(),
        "X-Scope-OrgID",
        tenant);
  }

  private void export(String tenant) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-scope-orgid", Metadata.ASCII_STRING_MARSHALLER), tenant);
    TraceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .export(traces(span(1)));
  }
}
