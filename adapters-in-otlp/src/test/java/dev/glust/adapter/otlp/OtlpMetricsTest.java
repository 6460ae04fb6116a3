package dev.glust.adapter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Status;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.SpanId;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.Buckets;
import dev.glust.domain.metric.DataPoint;
import dev.glust.domain.metric.Exemplar;
import dev.glust.domain.metric.ExponentialHistogramValue;
import dev.glust.domain.metric.HistogramValue;
import dev.glust.domain.metric.MetricKind;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.metric.NumberValue;
import dev.glust.domain.metric.SummaryValue;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OTLP metrics: mapping of every kind, and both receivers over real sockets. */
class OtlpMetricsTest {
  private static final long TIME = 1_544_712_660_300_000_000L;
  private static final int MAX_POINTS = 5;
  private final RecordingIngest ingest = new RecordingIngest();
  private final HttpClient http = HttpClient.newHttpClient();
  private OtlpReceivers receivers;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    receivers =
        OtlpReceivers.start(
            new OtlpReceiverSettings("127.0.0.1", 0, 0, 1 << 20, MAX_POINTS),
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

  /** One gauge metric with {@code points} int points at distinct times. */
  static ExportMetricsServiceRequest gauges(int points) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < points; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(TIME + i).setAsInt(i));
    }
    return request(Metric.newBuilder().setName("queue.size").setGauge(gauge).build());
  }

  static ExportMetricsServiceRequest request(Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
        .build();
  }

  private HttpResponse<byte[]> post(String type, byte[] body, String... headers) throws Exception {
    return OtlpReceiversTest.post(http, receivers.httpPort(), "/v1/metrics", type, body, headers);
  }

  private MetricPoint point(String name) {
    return ingest.metricPoints.stream()
        .filter(p -> p.metric().name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void otlpJsonOfEveryKindIsMappedExactly() throws Exception {
    HttpResponse<byte[]> response =
        post(
            "application/json",
            OtlpReceiversTest.gzip(OtlpSignalTest.resource("metrics.json")),
            "Content-Encoding",
            "gzip");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(ingest.metricPoints).hasSize(5);

    MetricPoint counter = point("my.counter");
    assertThat(counter.metric().kind()).isEqualTo(MetricKind.SUM);
    assertThat(counter.metric().temporality()).isEqualTo(AggregationTemporality.DELTA);
    assertThat(counter.metric().monotonic()).isTrue();
    assertThat(counter.metric().unit()).isEqualTo("1");
    assertThat(counter.metric().description()).isEqualTo("I am a Counter");
    assertThat(counter.metric().serviceName()).isEqualTo("my.service");
    assertThat(counter.metric().scope().name()).isEqualTo("my.library");
    DataPoint p = counter.point();
    assertThat(p.startTimeUnixNano()).isEqualTo(TIME);
    assertThat(p.timeUnixNano()).isEqualTo(TIME);
    assertThat(p.value()).isEqualTo(NumberValue.of(5.0));
    assertThat(p.attributes().entries())
        .containsExactly(Attribute.of("my.counter.attr", "some value"));
    assertThat(p.exemplars())
        .containsExactly(
            new Exemplar(
                TIME - 1_000_000,
                3L,
                TraceId.fromHex("5b8efff798038103d269b633813fc60c"),
                SpanId.fromHex("eee19b7ec3c1b174"),
                dev.glust.domain.common.Attributes.of(Attribute.of("user", "u1"))));

    assertThat(point("my.gauge").point().value()).isEqualTo(NumberValue.of(-7L));
    assertThat(point("my.gauge").point().startTimeUnixNano()).isZero();
    assertThat(point("my.histogram").point().value())
        .isEqualTo(
            new HistogramValue(
                3,
                OptionalDouble.of(3),
                OptionalDouble.of(0),
                OptionalDouble.of(2),
                List.of(1L, 1L, 1L),
                List.of(1.0, 2.5)));
    assertThat(point("my.histogram").metric().temporality())
        .isEqualTo(AggregationTemporality.CUMULATIVE);
    assertThat(point("my.exponential.histogram").point().value())
        .isEqualTo(
            new ExponentialHistogramValue(
                3,
                OptionalDouble.of(10),
                OptionalDouble.of(0),
                OptionalDouble.of(5),
                0,
                1,
                0,
                new Buckets(1, List.of(0L, 2L)),
                Buckets.EMPTY));
    assertThat(point("my.summary").point().value())
        .isEqualTo(
            new SummaryValue(
                4,
                10.5,
                List.of(
                    new SummaryValue.Quantile(0.5, 2),
                    new SummaryValue.Quantile(1, Double.POSITIVE_INFINITY))));
  }

  @Test
  void invalidPointsAreRejectedAsPartialSuccessCountingDataPoints() throws Exception {
    Metric broken =
        Metric.newBuilder()
            .setName("latency")
            .setHistogram(
                Histogram.newBuilder()
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setTimeUnixNano(TIME)
                            .setCount(2)
                            .addAllBucketCounts(List.of(1L, 1L, 0L))
                            .addAllExplicitBounds(List.of(5.0, 1.0)))
                    .addDataPoints(
                        HistogramDataPoint.newBuilder().setTimeUnixNano(TIME).setCount(0)))
            .build();
    Metric nameless =
        gauges(2).getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).toBuilder()
            .setName("")
            .build();
    Metric noValue =
        Metric.newBuilder()
            .setName("x")
            .setGauge(
                Gauge.newBuilder()
                    .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(TIME)))
            .build();
    ExportMetricsServiceRequest request =
        request(broken, nameless, noValue, Metric.newBuilder().setName("no.data").build());

    HttpResponse<byte[]> response = post("application/x-protobuf", request.toByteArray());
    ExportMetricsServiceResponse body = ExportMetricsServiceResponse.parseFrom(response.body());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body.getPartialSuccess().getRejectedDataPoints()).isEqualTo(4);
    assertThat(body.getPartialSuccess().getErrorMessage())
        .startsWith(
            "4 data points rejected; first: histogram bounds must be finite and strictly increasing");
    assertThat(ingest.metricPoints).hasSize(1);

    ExportMetricsServiceResponse grpc = MetricsServiceGrpc.newBlockingStub(channel).export(request);
    assertThat(grpc.getPartialSuccess().getRejectedDataPoints()).isEqualTo(4);
    assertThat(ingest.metricPoints).hasSize(2);
  }

  @Test
  void theRecordLimitCountsDataPointsOnBothTransports() throws Exception {
    HttpResponse<byte[]> response =
        post("application/x-protobuf", gauges(MAX_POINTS + 1).toByteArray());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(Status.parseFrom(response.body()).getMessage())
        .contains("6 data points, over the limit of 5");
    MetricsServiceGrpc.MetricsServiceBlockingStub stub =
        MetricsServiceGrpc.newBlockingStub(channel);
    assertThatThrownBy(() -> stub.export(gauges(MAX_POINTS + 1)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(e.getStatus().getCode())
                    .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED));
    assertThat(ingest.metricPoints).isEmpty();

    assertThat(stub.withCompression("gzip").export(gauges(MAX_POINTS)).hasPartialSuccess())
        .isFalse();
    assertThat(ingest.metricPoints).hasSize(MAX_POINTS);
    assertThat(ingest.metricPoints.get(4).point().value()).isEqualTo(NumberValue.of(4L));
  }

  @Test
  void malformedMetricPayloadsAre400() throws Exception {
    HttpResponse<byte[]> json = post("application/json", "{\"resourceMetrics\":[{".getBytes());
    assertThat(json.statusCode()).isEqualTo(400);
    HttpResponse<byte[]> badId =
        post(
            "application/json",
            ("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"g\",\"gauge\":"
                    + "{\"dataPoints\":[{\"timeUnixNano\":1,\"asInt\":1,\"exemplars\":"
                    + "[{\"traceId\":\"xyz\"}]}]}}]}]}]}")
                .getBytes());
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(ingest.metricPoints).isEmpty();
    assertThat(AnyValue.of("unused")).isNotNull();
  }
}
