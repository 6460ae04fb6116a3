package dev.glust.bootstrap;

import dev.glust.adapter.otlp.OtlpReceivers;
import dev.glust.application.port.observe.ExportObserver;
import dev.glust.application.port.observe.ExportReport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glust's own traces, made with the OpenTelemetry SDK and sent over OTLP/gRPC to the configured
 * endpoint (possibly Glust itself); everything is a no-op while no endpoint is configured.
 *
 * <p>No feedback loop: the exporter marks each of its requests with {@link
 * OtlpReceivers#SELF_TELEMETRY_HEADER}, and {@link ExportTracing} makes no span for a request so
 * marked; batch commits are not traced at all (a batch may hold Glust's own spans).
 */
final class SelfTracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SelfTracing.class);
  static final String INSTRUMENTATION_SCOPE = "dev.glust.self-tracing";

  private final SdkTracerProvider provider; // null when off
  private final Tracer tracer;

  private SelfTracing(SdkTracerProvider provider, Tracer tracer) {
    this.provider = provider;
    this.tracer = tracer;
  }

  /**
   * @param endpoint OTLP/gRPC endpoint ({@code http://host:4317}); blank: self-tracing is off
   * @param headers extra exporter headers, e.g. an API key
   * @param sampleRatio share of traces kept (parent-based: a sampled caller's trace is kept)
   * @param exportDelay how long spans wait to be sent in a batch
   */
  record Settings(
      String endpoint,
      String serviceName,
      Map<String, String> headers,
      double sampleRatio,
      Duration exportDelay) {
    Settings {
      Objects.requireNonNull(endpoint, "endpoint");
      headers = Map.copyOf(headers);
      if (serviceName == null || serviceName.isBlank()) {
        throw new IllegalArgumentException("the self-tracing service name must not be blank");
      }
      if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
        throw new IllegalArgumentException(
            "the self-tracing sample ratio must be within 0..1, got " + sampleRatio);
      }
      if (exportDelay.isNegative() || exportDelay.isZero()) {
        throw new IllegalArgumentException("the self-tracing export delay must be positive");
      }
    }

    /** Headers written {@code name=value,name=value}, as {@code OTEL_EXPORTER_OTLP_HEADERS}. */
    static Map<String, String> parseHeaders(String text) {
      Map<String, String> headers = new LinkedHashMap<>();
      for (String entry : text.split(",")) {
        if (entry.isBlank()) {
          continue;
        }
        int equals = entry.indexOf('=');
        if (equals <= 0) {
          throw new IllegalArgumentException(
              "self-tracing headers must be name=value pairs separated by commas");
        }
        headers.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
      }
      return headers;
    }
  }

  static SelfTracing start(Settings settings) {
    if (settings.endpoint().isBlank()) {
      return new SelfTracing(null, TracerProvider.noop().get(INSTRUMENTATION_SCOPE));
    }
    OtlpGrpcSpanExporterBuilder exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(settings.endpoint())
            .addHeader(OtlpReceivers.SELF_TELEMETRY_HEADER, "1");
    settings.headers().forEach(exporter::addHeader);
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                AttributeKey.stringKey("service.name"), settings.serviceName()))))
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampleRatio())))
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter.build())
                    .setScheduleDelay(settings.exportDelay())
                    .build())
            .build();
    // the endpoint only: its headers may hold a key
    LOG.info(
        "self-tracing to {} as service {}, sample ratio {}",
        settings.endpoint(),
        settings.serviceName(),
        settings.sampleRatio());
    return new SelfTracing(provider, provider.get(INSTRUMENTATION_SCOPE));
  }

  boolean enabled() {
    return provider != null;
  }

  Tracer tracer() {
    return tracer;
  }

  /** The receivers' observer: the metrics, plus a span per export request when tracing. */
  ExportObserver observing(ExportObserver metrics) {
    if (!enabled()) {
      return metrics;
    }
    ExportTracing tracing = new ExportTracing(tracer);
    return new ExportObserver() {
      @Override
      public void exportFinished(ExportReport report) {
        metrics.exportFinished(report);
        tracing.exportFinished(report);
      }

      @Override
      public void serving(String signal, String transport) {
        metrics.serving(signal, transport);
      }
    };
  }

  /** Sends the spans still waiting, for a few seconds at most. */
  @Override
  public void close() {
    if (enabled()) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
