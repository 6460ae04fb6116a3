package dev.glust.bootstrap;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One service of the demo shop, as a real one would be instrumented: an OpenTelemetry SDK of its
 * own (its own Resource, batching exporters over OTLP/gRPC) and the HTTP server metrics of the
 * semantic conventions. The duration histogram is recorded inside the server span, so the SDK's
 * trace-based exemplar filter links its buckets to traces.
 */
final class DemoService implements AutoCloseable {
  /** The semantic conventions' advice for {@code http.server.request.duration}, in seconds. */
  private static final List<Double> DURATION_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  final String name;
  final Tracer tracer;
  final Logger logger;
  final LongCounter requests;
  final DoubleHistogram requestDuration;
  private final OpenTelemetrySdk sdk;

  /**
   * @param headers sent with every export (e.g. the API key when Glust asks for one)
   */
  DemoService(
      String name,
      String version,
      String endpoint,
      Map<String, String> headers,
      Duration metricInterval) {
    this.name = name;
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.builder()
                        .put(AttributeKey.stringKey("service.name"), name)
                        .put(AttributeKey.stringKey("service.namespace"), "demo-shop")
                        .put(AttributeKey.stringKey("service.version"), version)
                        .put(
                            AttributeKey.stringKey("service.instance.id"),
                            UUID.randomUUID().toString())
                        .put(AttributeKey.stringKey("deployment.environment.name"), "demo")
                        .build()));
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setResource(resource)
                    .addSpanProcessor(
                        BatchSpanProcessor.builder(
                                OtlpGrpcSpanExporter.builder()
                                    .setEndpoint(endpoint)
                                    .setHeaders(() -> headers)
                                    .build())
                            .build())
                    .build())
            .setLoggerProvider(
                SdkLoggerProvider.builder()
                    .setResource(resource)
                    .addLogRecordProcessor(
                        BatchLogRecordProcessor.builder(
                                OtlpGrpcLogRecordExporter.builder()
                                    .setEndpoint(endpoint)
                                    .setHeaders(() -> headers)
                                    .build())
                            .build())
                    .build())
            .setMeterProvider(
                SdkMeterProvider.builder()
                    .setResource(resource)
                    .registerMetricReader(
                        PeriodicMetricReader.builder(
                                OtlpGrpcMetricExporter.builder()
                                    .setEndpoint(endpoint)
                                    .setHeaders(() -> headers)
                                    .build())
                            .setInterval(metricInterval)
                            .build())
                    .build())
            .build();
    String scope = "shop." + name;
    tracer = sdk.getTracer(scope, version);
    logger = sdk.getSdkLoggerProvider().get(scope);
    Meter meter = sdk.getMeter(scope);
    requests =
        meter
            .counterBuilder("http.server.requests")
            .setDescription("HTTP requests served")
            .setUnit("{request}")
            .build();
    requestDuration =
        meter
            .histogramBuilder("http.server.request.duration")
            .setDescription("Duration of HTTP server requests")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
  }

  /** Sends what is still buffered, then stops the exporters. */
  @Override
  public void close() {
    sdk.shutdown().join(10, TimeUnit.SECONDS);
  }
}
