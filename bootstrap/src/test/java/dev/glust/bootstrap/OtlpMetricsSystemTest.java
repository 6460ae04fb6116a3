package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glust.adapter.postgres.testing.TestPostgres;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: every instrument type of the OpenTelemetry Java SDK, with cumulative and delta
 * temporality, through the real OTLP metric exporters over gRPC and HTTP, then every stored field
 * compared with what the SDK sent; a summary sent as a hand-built request; bad input never 5xx.
 */
class OtlpMetricsSystemTest {
  private static final String SCOPE = "io.glust.metrics-test";
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static RunningGlust glust;

  @BeforeAll
  static void start() {
    glust = new RunningGlust();
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  @Test
  void cumulativeMetricsFromTheGrpcExporterAreStoredExactly() throws Exception {
    exportAndCompare(
        "metrics-grpc-cumulative",
        AggregationTemporalitySelector.alwaysCumulative(),
        OtlpGrpcMetricExporter.builder().setEndpoint(glust.otlpGrpc()).build());
  }

  @Test
  void deltaMetricsFromTheHttpExporterAreStoredExactly() throws Exception {
    exportAndCompare(
        "metrics-http-delta",
        AggregationTemporalitySelector.deltaPreferred(),
        OtlpHttpMetricExporter.builder().setEndpoint(glust.otlpHttp() + "/v1/metrics").build());
  }

  @Test
  void deltaMetricsFromTheGrpcExporterAndCumulativeFromHttpAreStoredExactly() throws Exception {
    exportAndCompare(
        "metrics-grpc-delta",
        AggregationTemporalitySelector.deltaPreferred(),
        OtlpGrpcMetricExporter.builder().setEndpoint(glust.otlpGrpc()).build());
    exportAndCompare(
        "metrics-http-cumulative",
        AggregationTemporalitySelector.alwaysCumulative(),
        OtlpHttpMetricExporter.builder().setEndpoint(glust.otlpHttp() + "/v1/metrics").build());
  }

  /**
   * Every instrument type, some measurements inside a sampled span (exemplars with its ids): 8
   * points, among them a counter, a histogram and an exponential histogram.
   */
  static Collection<MetricData> record(String service, AggregationTemporalitySelector temporality) {
    InMemoryMetricReader reader =
        InMemoryMetricReader.builder().setAggregationTemporalitySelector(temporality).build();
    try (SdkTracerProvider tracing =
            SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
                .build();
        SdkMeterProvider meters =
            SdkMeterProvider.builder()
                .setResource(SdkSample.resource(service))
                .registerMetricReader(reader)
                .registerView(
                    InstrumentSelector.builder().setName("payload.size").build(),
                    View.builder()
                        .setAggregation(Aggregation.base2ExponentialBucketHistogram(20, 4))
                        .build())
                .build()) {
      Meter meter = meters.meterBuilder(SCOPE).setInstrumentationVersion("2.0.0").build();
      LongCounter requests =
          meter
              .counterBuilder("http.requests")
              .setDescription("Requests served")
              .setUnit("{request}")
              .build();
      DoubleCounter bytes = meter.counterBuilder("bytes.sent").ofDoubles().setUnit("By").build();
      LongUpDownCounter active = meter.upDownCounterBuilder("active.requests").build();
      DoubleGauge temperature = meter.gaugeBuilder("cpu.temperature").setUnit("Cel").build();
      meter
          .gaugeBuilder("queue.depth")
          .ofLongs()
          .buildWithCallback(m -> m.record(17, Attributes.of(ROUTE, "/queue")));
      DoubleHistogram latency =
          meter
              .histogramBuilder("http.duration")
              .setUnit("ms")
              .setExplicitBucketBoundariesAdvice(List.of(10.0, 100.0, 1000.0))
              .build();
      DoubleHistogram size = meter.histogramBuilder("payload.size").setUnit("By").build();

      Span span = tracing.get(SCOPE).spanBuilder("work").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        requests.add(3, Attributes.of(ROUTE, "/a"));
        latency.record(5.5, Attributes.of(ROUTE, "/a"));
        latency.record(250, Attributes.of(ROUTE, "/a"));
        size.record(1024);
      }
      span.end();
      requests.add(2, Attributes.of(ROUTE, "/b"));
      latency.record(5000, Attributes.of(ROUTE, "/a"));
      size.record(0);
      size.record(3.75);
      bytes.add(1.5);
      active.add(5);
      active.add(-2);
      temperature.set(21.5, Attributes.of(ROUTE, "/cpu"));
      return reader.collectAllMetrics();
    }
  }

  private static void exportAndCompare(
      String service, AggregationTemporalitySelector temporality, MetricExporter exporter)
      throws Exception {
    Collection<MetricData> sent = record(service, temporality);
    assertThat(sent)
        .extracting(MetricData::getName)
        .containsExactlyInAnyOrder(
            "http.requests",
            "bytes.sent",
            "active.requests",
            "cpu.temperature",
            "queue.depth",
            "http.duration",
            "payload.size");
    assertThat(exporter.export(sent).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    assertStored(glust.db, service, sent);
  }

  /** Every point of {@code sent} stored once in {@code db}, field for field, one series each. */
  static void assertStored(TestPostgres.Database db, String service, Collection<MetricData> sent)
      throws Exception {
    int points = 0;
    for (MetricData metric : sent) {
      for (PointData point : metric.getData().getPoints()) {
        assertPointStored(db, service, metric, point);
        points++;
      }
    }
    assertThat(points).isEqualTo(8);
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM metric_series WHERE service_name = '" + service + "'"))
        .isEqualTo(points);
  }

  private static void assertPointStored(
      TestPostgres.Database db, String service, MetricData metric, PointData point)
      throws Exception {
    String table =
        switch (metric.getType()) {
          case LONG_GAUGE, DOUBLE_GAUGE, LONG_SUM, DOUBLE_SUM -> "metric_points_number";
          case HISTOGRAM -> "metric_points_histogram";
          case EXPONENTIAL_HISTOGRAM -> "metric_points_exp_histogram";
          case SUMMARY -> "metric_points_summary";
        };
    JsonObject labels = new JsonObject();
    point.getAttributes().forEach((key, value) -> labels.addProperty(key.getKey(), (String) value));
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT * FROM "
                    + table
                    + " p JOIN metric_series_records m USING (series_id)"
                    + " WHERE m.service_name = ? AND m.metric_name = ? AND m.attributes = ?::jsonb"
                    + " AND p.time_unix_nano = ?")) {
      s.setString(1, service);
      s.setString(2, metric.getName());
      s.setString(3, labels.toString());
      s.setLong(4, point.getEpochNanos());
      try (ResultSet rs = s.executeQuery()) {
        String what = service + " " + metric.getName() + " " + labels;
        assertThat(rs.next()).as("%s stored", what).isTrue();
        assertSeries(rs, metric);
        assertThat(rs.getLong("start_time_unix_nano"))
            .as(what)
            .isEqualTo(point.getStartEpochNanos());
        assertThat(rs.getInt("flags")).isZero();
        switch (metric.getType()) {
          case LONG_GAUGE, LONG_SUM -> {
            assertThat(rs.getLong("value_int"))
                .as(what)
                .isEqualTo(((LongPointData) point).getValue());
            assertThat(rs.getObject("value_double")).isNull();
          }
          case DOUBLE_GAUGE, DOUBLE_SUM -> {
            assertThat(rs.getDouble("value_double"))
                .as(what)
                .isEqualTo(((DoublePointData) point).getValue());
            assertThat(rs.getObject("value_int")).isNull();
          }
          case HISTOGRAM -> assertHistogram(rs, (HistogramPointData) point);
          case EXPONENTIAL_HISTOGRAM ->
              assertExponentialHistogram(rs, (ExponentialHistogramPointData) point);
          default -> throw new AssertionError("the SDK sends no " + metric.getType());
        }
        assertExemplars(rs.getString("exemplars"), point.getExemplars());
        assertThat(rs.next()).as("%s stored once", what).isFalse();
      }
    }
  }

  private static void assertSeries(ResultSet rs, MetricData metric) throws Exception {
    assertThat(rs.getString("description")).isEqualTo(metric.getDescription());
    assertThat(rs.getString("unit")).isEqualTo(metric.getUnit());
    int kind;
    int temporality = 0;
    boolean monotonic = false;
    switch (metric.getType()) {
      case LONG_GAUGE, DOUBLE_GAUGE -> kind = 1;
      case LONG_SUM -> {
        kind = 2;
        temporality = code(metric.getLongSumData().getAggregationTemporality());
        monotonic = metric.getLongSumData().isMonotonic();
      }
      case DOUBLE_SUM -> {
        kind = 2;
        temporality = code(metric.getDoubleSumData().getAggregationTemporality());
        monotonic = metric.getDoubleSumData().isMonotonic();
      }
      case HISTOGRAM -> {
        kind = 3;
        temporality = code(metric.getHistogramData().getAggregationTemporality());
      }
      case EXPONENTIAL_HISTOGRAM -> {
        kind = 4;
        temporality = code(metric.getExponentialHistogramData().getAggregationTemporality());
      }
      default -> throw new AssertionError(metric.getType());
    }
    assertThat(rs.getInt("metric_kind")).isEqualTo(kind);
    assertThat(rs.getInt("temporality")).as(metric.getName()).isEqualTo(temporality);
    assertThat(rs.getBoolean("monotonic")).as(metric.getName()).isEqualTo(monotonic);
    assertThat(rs.getString("scope_name")).isEqualTo(SCOPE);
    assertThat(rs.getString("scope_version")).isEqualTo("2.0.0");
    assertThat(rs.getString("resource_schema_url"))
        .isEqualTo(String.valueOf(metric.getResource().getSchemaUrl()).replace("null", ""));
    StoredJson.assertAttributes(
        rs.getString("resource_attributes"), metric.getResource().getAttributes());
  }

  private static int code(AggregationTemporality temporality) {
    return temporality == AggregationTemporality.DELTA ? 1 : 2;
  }

  private static void assertHistogram(ResultSet rs, HistogramPointData h) throws Exception {
    assertThat(rs.getLong("count")).isEqualTo(h.getCount());
    assertThat(rs.getDouble("sum")).isEqualTo(h.getSum());
    assertThat(rs.getDouble("min")).isEqualTo(h.getMin());
    assertThat(rs.getDouble("max")).isEqualTo(h.getMax());
    assertThat(longs(rs.getArray("bucket_counts"))).isEqualTo(h.getCounts());
    assertThat(doubles(rs.getArray("explicit_bounds"))).isEqualTo(h.getBoundaries());
    assertThat(h.getBoundaries()).containsExactly(10.0, 100.0, 1000.0);
  }

  private static void assertExponentialHistogram(ResultSet rs, ExponentialHistogramPointData h)
      throws Exception {
    assertThat(rs.getLong("count")).isEqualTo(h.getCount());
    assertThat(rs.getDouble("sum")).isEqualTo(h.getSum());
    assertThat(rs.getDouble("min")).isEqualTo(h.getMin());
    assertThat(rs.getDouble("max")).isEqualTo(h.getMax());
    assertThat(rs.getInt("scale")).isEqualTo(h.getScale());
    assertThat(rs.getLong("zero_count")).isEqualTo(h.getZeroCount()).isEqualTo(1);
    assertBuckets(rs, "positive", h.getPositiveBuckets());
    assertBuckets(rs, "negative", h.getNegativeBuckets());
  }

  private static void assertBuckets(ResultSet rs, String side, ExponentialHistogramBuckets b)
      throws Exception {
    List<Long> counts = longs(rs.getArray(side + "_bucket_counts"));
    assertThat(counts).as(side).isEqualTo(b.getBucketCounts());
    if (!counts.isEmpty()) {
      assertThat(rs.getInt(side + "_offset")).as(side).isEqualTo(b.getOffset());
    }
  }

  private static void assertExemplars(String stored, List<? extends ExemplarData> sent) {
    JsonArray exemplars = JsonParser.parseString(stored).getAsJsonArray();
    assertThat(exemplars.size()).isEqualTo(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      ExemplarData expected = sent.get(i);
      JsonObject e = exemplars.get(i).getAsJsonObject();
      assertThat(e.get("timeUnixNano").getAsLong()).isEqualTo(expected.getEpochNanos());
      if (expected instanceof LongExemplarData l) {
        assertThat(e.get("value").getAsString()).isEqualTo(Long.toString(l.getValue()));
      } else {
        assertThat(e.get("value").getAsDouble())
            .isEqualTo(((DoubleExemplarData) expected).getValue());
        assertThat(e.get("value").getAsString()).contains(".");
      }
      assertThat(e.get("traceId").getAsString()).isEqualTo(expected.getSpanContext().getTraceId());
      assertThat(e.get("spanId").getAsString()).isEqualTo(expected.getSpanContext().getSpanId());
      StoredJson.assertAttributes(
          e.get("filteredAttributes").toString(), expected.getFilteredAttributes());
    }
  }

  @Test
  void healthShowsTheMetricsPipeline() throws Exception {
    HttpResponse<String> health = glust.get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonObject pipelines =
        JsonParser.parseString(health.body()).getAsJsonObject().getAsJsonObject("pipelines");
    assertThat(pipelines.keySet()).containsExactlyInAnyOrder("spans", "logs", "metrics");
    assertThat(pipelines.getAsJsonObject("metrics").get("queuedRecords").getAsLong()).isZero();
  }

  @Test
  void theSdkRecordsExemplarsWithTheSpanTheyWereMeasuredIn() {
    Collection<MetricData> sent =
        record("exemplar-check", AggregationTemporalitySelector.alwaysCumulative());
    MetricData requests =
        sent.stream().filter(m -> m.getName().equals("http.requests")).findFirst().orElseThrow();
    List<? extends ExemplarData> exemplars =
        requests.getLongSumData().getPoints().stream()
            .flatMap(p -> p.getExemplars().stream())
            .toList();
    assertThat(exemplars).hasSize(1); // "/a" inside the span; "/b" outside it has none
    assertThat(exemplars.get(0).getSpanContext().isValid()).isTrue();
  }

  @Test
  void aSummaryIsStoredExactly() throws Exception {
    long time = System.currentTimeMillis() * 1_000_000L + 123;
    ExportMetricsServiceRequest request =
        request(
            "summary-service",
            Metric.newBuilder()
                .setName("rpc.latency")
                .setUnit("s")
                .setDescription("legacy summary")
                .setSummary(
                    Summary.newBuilder()
                        .addDataPoints(
                            SummaryDataPoint.newBuilder()
                                .setStartTimeUnixNano(time - 60_000_000_000L)
                                .setTimeUnixNano(time)
                                .setCount(10)
                                .setSum(12.25)
                                .setFlags(1)
                                .addAttributes(
                                    KeyValue.newBuilder()
                                        .setKey("method")
                                        .setValue(AnyValue.newBuilder().setStringValue("Get")))
                                .addQuantileValues(quantile(0.5, 1.0))
                                .addQuantileValues(quantile(0.99, 4.5))))
                .build());
    HttpResponse<byte[]> response =
        glust.postOtlp("/v1/metrics", "application/x-protobuf", request.toByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(ExportMetricsServiceResponse.parseFrom(response.body()).hasPartialSuccess())
        .isFalse();

    try (Connection c = glust.db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT * FROM metric_points_summary JOIN metric_series USING (series_id)"
                    + " WHERE service_name = 'summary-service'");
        ResultSet rs = s.executeQuery()) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("metric_name")).isEqualTo("rpc.latency");
      assertThat(rs.getInt("metric_kind")).isEqualTo(5);
      assertThat(rs.getInt("temporality")).isZero();
      assertThat(rs.getString("unit")).isEqualTo("s");
      assertThat(rs.getString("description")).isEqualTo("legacy summary");
      assertThat(rs.getString("attributes")).isEqualTo("{\"method\": \"Get\"}");
      assertThat(rs.getLong("time_unix_nano")).isEqualTo(time);
      assertThat(rs.getLong("start_time_unix_nano")).isEqualTo(time - 60_000_000_000L);
      assertThat(rs.getLong("count")).isEqualTo(10);
      assertThat(rs.getDouble("sum")).isEqualTo(12.25);
      assertThat(rs.getInt("flags")).isEqualTo(1);
      assertThat(doubles(rs.getArray("quantiles"))).containsExactly(0.5, 0.99);
      assertThat(doubles(rs.getArray("quantile_values"))).containsExactly(1.0, 4.5);
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void badMetricInputIsAClientErrorOrAPartialSuccessNever5xx() throws Exception {
    long time = System.currentTimeMillis() * 1_000_000L;
    Metric badBuckets =
        Metric.newBuilder()
            .setName("bad.histogram")
            .setHistogram(
                Histogram.newBuilder()
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setTimeUnixNano(time)
                            .setCount(1)
                            .addBucketCounts(1)
                            .addExplicitBounds(1.0)) // two counts needed
                    .addDataPoints(
                        HistogramDataPoint.newBuilder().setTimeUnixNano(time).setCount(0)))
            .build();
    ExportMetricsServiceRequest request = request("bad-input", badBuckets);

    HttpResponse<byte[]> http =
        glust.postOtlp("/v1/metrics", "application/x-protobuf", request.toByteArray());
    assertThat(http.statusCode()).isEqualTo(200);
    assertThat(
            ExportMetricsServiceResponse.parseFrom(http.body())
                .getPartialSuccess()
                .getRejectedDataPoints())
        .isEqualTo(1);
    assertThat(
            glust
                .postOtlp("/v1/metrics", "application/json", "{\"resourceMetrics\": 5}".getBytes())
                .statusCode())
        .isEqualTo(400);
    assertThat(
            glust
                .postOtlp("/v1/metrics", "application/x-protobuf", new byte[] {(byte) 0xFF, 1})
                .statusCode())
        .isEqualTo(400);

    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", glust.receivers.grpcPort())
            .usePlaintext()
            .build();
    try {
      MetricsServiceGrpc.MetricsServiceBlockingStub stub =
          MetricsServiceGrpc.newBlockingStub(channel);
      assertThat(stub.export(request).getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
      ExportMetricsServiceRequest tooMuch =
          request.toBuilder()
              .setResourceMetrics(
                  0,
                  request.getResourceMetrics(0).toBuilder()
                      .setScopeMetrics(
                          0,
                          request.getResourceMetrics(0).getScopeMetrics(0).toBuilder()
                              .setMetrics(
                                  0,
                                  badBuckets.toBuilder()
                                      .setHistogram(
                                          badBuckets.getHistogram().toBuilder()
                                              .setDataPoints(
                                                  0,
                                                  badBuckets
                                                      .getHistogram()
                                                      .getDataPoints(0)
                                                      .toBuilder()
                                                      .setCount(-1))))))
              .build();
      assertThat(stub.export(tooMuch).getPartialSuccess().getErrorMessage()).contains("2^63 - 1");
    } catch (StatusRuntimeException e) {
      throw new AssertionError("a bad metric must not fail the call: " + e.getStatus(), e);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(
            count(
                "SELECT count(*) FROM metric_points_histogram JOIN metric_series USING (series_id) WHERE service_name = 'bad-input'"))
        .isEqualTo(1); // the valid point, stored once over both transports
  }

  private static SummaryDataPoint.ValueAtQuantile quantile(double q, double v) {
    return SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q).setValue(v).build();
  }

  private static ExportMetricsServiceRequest request(String service, Metric metric) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(metric)))
        .build();
  }

  private static long count(String sql) throws Exception {
    try (Connection c = glust.db.connect();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<Long> longs(Array array) throws Exception {
    return new ArrayList<>(List.of((Long[]) array.getArray()));
  }

  private static List<Double> doubles(Array array) throws Exception {
    return new ArrayList<>(List.of((Double[]) array.getArray()));
  }
}
