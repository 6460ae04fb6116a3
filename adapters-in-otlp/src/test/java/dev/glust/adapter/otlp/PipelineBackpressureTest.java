package dev.glust.adapter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Status;
import dev.glust.application.pipeline.BatchingPipeline;
import dev.glust.application.pipeline.PipelineSettings;
import dev.glust.application.service.IngestTelemetryService;
import dev.glust.application.service.MaxRecordAge;
import dev.glust.application.service.MaxRecordAges;
import dev.glust.domain.common.RecordLimits;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.trace.Span;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receivers in front of the real ingest service and pipeline, with storage held up: once the
 * pipeline is full, both transports refuse at once with a retryable status.
 */
class PipelineBackpressureTest {
  private final CountDownLatch storageBlocked = new CountDownLatch(1);
  private final CountDownLatch writing = new CountDownLatch(1);
  private BatchingPipeline<Span> spans;
  private BatchingPipeline<LogRecord> logs;
  private BatchingPipeline<MetricPoint> metrics;
  private OtlpReceivers receivers;
  private ManagedChannel channel;

  private <T> void slowSave(List<T> records) {
    writing.countDown();
    try {
      storageBlocked.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @BeforeEach
  void start() throws Exception {
    PipelineSettings tiny = new PipelineSettings(100, Duration.ZERO, 3, 1 << 20, 1);
    spans = new BatchingPipeline<>("spans", (tenant, records) -> slowSave(records), tiny);
    logs = new BatchingPipeline<>("logs", (tenant, records) -> slowSave(records), tiny);
    metrics = new BatchingPipeline<>("metrics", (tenant, records) -> slowSave(records), tiny);
    IngestTelemetryService ingest =
        new IngestTelemetryService(
            spans,
            logs,
            metrics,
            RecordLimits.OTEL_DEFAULTS,
            java.time.Duration.ofHours(1),
            MaxRecordAges.all(new MaxRecordAge(java.time.Duration.ofDays(1), "test")),
            () -> 1L);
    receivers =
        OtlpReceivers.start(
            new OtlpReceiverSettings("127.0.0.1", 0, 0, 1 << 20), ingest, ingest, ingest);
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", receivers.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    storageBlocked.countDown();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    receivers.close();
    spans.close();
    logs.close();
    metrics.close();
  }

  @Test
  void aFullPipelineIsRefusedWithRetryableStatusesOverBothTransports() throws Exception {
    TraceServiceGrpc.TraceServiceFutureStub async = TraceServiceGrpc.newFutureStub(channel);
    var pending = async.export(OtlpReceiversTest.traces(OtlpReceiversTest.span(1)));
    assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue(); // held by storage
    async.export(OtlpReceiversTest.traces(OtlpReceiversTest.span(2), OtlpReceiversTest.span(3)));
    Thread.sleep(200); // 3 spans held: the pipeline is full

    HttpResponse<byte[]> http =
        postProtobuf("/v1/traces", OtlpReceiversTest.traces(OtlpReceiversTest.span(4)));
    assertThat(http.statusCode()).isEqualTo(429);
    assertThat(http.headers().firstValue("Retry-After")).contains("1");
    assertThat(Status.parseFrom(http.body()).getCode()).isEqualTo(14); // UNAVAILABLE

    assertThatThrownBy(
            () ->
                TraceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .export(OtlpReceiversTest.traces(OtlpReceiversTest.span(5))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
    assertThat(pending.isDone()).isFalse(); // not acknowledged before storage commits
    assertThat(spans.stats().refusedRequests()).isEqualTo(2);

    storageBlocked.countDown();
    assertThat(pending.get(5, TimeUnit.SECONDS).hasPartialSuccess()).isFalse();
  }

  @Test
  void aFullMetricsPipelineCountsDataPointsAndRefusesRetryably() throws Exception {
    MetricsServiceGrpc.MetricsServiceFutureStub async = MetricsServiceGrpc.newFutureStub(channel);
    var pending = async.export(OtlpMetricsTest.gauges(1));
    assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue(); // held by storage
    async.export(OtlpMetricsTest.gauges(2)); // one request, two rows: 3 points held, full
    Thread.sleep(200);

    HttpResponse<byte[]> http = postProtobuf("/v1/metrics", OtlpMetricsTest.gauges(1));
    assertThat(http.statusCode()).isEqualTo(429);
    assertThat(http.headers().firstValue("Retry-After")).contains("1");
    assertThatThrownBy(
            () ->
                MetricsServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .export(OtlpMetricsTest.gauges(1)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
    assertThat(metrics.stats().queuedRecords()).isEqualTo(3);
    assertThat(pending.isDone()).isFalse();

    storageBlocked.countDown();
    assertThat(pending.get(5, TimeUnit.SECONDS).hasPartialSuccess()).isFalse();
  }

  private HttpResponse<byte[]> postProtobuf(String path, com.google.protobuf.Message request)
      throws Exception {
    return OtlpReceiversTest.post(
        HttpClient.newHttpClient(),
        receivers.httpPort(),
        path,
        "application/x-protobuf",
        request.toByteArray());
  }
}
