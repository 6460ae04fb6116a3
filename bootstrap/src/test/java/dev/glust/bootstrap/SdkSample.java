package dev.glust.bootstrap;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Telemetry recorded with the real OpenTelemetry SDK, captured as the exporters would send it: a
 * trace (root with every attribute type, an event, a link, an error status; one child) plus an
 * unrelated span, and two log records, the first inside the root span.
 */
final class SdkSample {
  static final long ROOT_START = 1_700_000_000_123_456_789L;
  static final String SCOPE = "io.glust.system-test";

  private SdkSample() {}

  record Recorded(List<SpanData> spans, List<LogRecordData> logs) {
    SpanData root() {
      return spans.stream()
          .filter(s -> s.getName().equals("GET /checkout"))
          .findFirst()
          .orElseThrow();
    }
  }

  static Resource resource(String service) {
    return Resource.getDefault()
        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)));
  }

  static Recorded record(String service) {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
    try (SdkTracerProvider tracing =
            SdkTracerProvider.builder()
                .setResource(resource(service))
                .addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build();
        SdkLoggerProvider logging =
            SdkLoggerProvider.builder()
                .setResource(resource(service))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs))
                .build()) {
      Tracer tracer = tracing.get(SCOPE, "9.9.9");
      Span other =
          tracer
              .spanBuilder("linked")
              .setStartTimestamp(ROOT_START - 5000, TimeUnit.NANOSECONDS)
              .startSpan();
      other.end(ROOT_START - 1000, TimeUnit.NANOSECONDS);
      Span root =
          tracer
              .spanBuilder("GET /checkout")
              .setSpanKind(SpanKind.SERVER)
              .setStartTimestamp(ROOT_START, TimeUnit.NANOSECONDS)
              .addLink(other.getSpanContext(), Attributes.of(AttributeKey.longKey("link.n"), 3L))
              .startSpan();
      root.setAttribute("http.method", "GET");
      root.setAttribute("http.status_code", 500L);
      root.setAttribute("ratio", 0.25);
      root.setAttribute("whole.double", 2.0);
      root.setAttribute("cached", false);
      root.setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b"));
      root.setAttribute(AttributeKey.longArrayKey("ports"), List.of(80L, 443L));
      root.setAttribute(AttributeKey.doubleArrayKey("weights"), List.of(1.5, 2.0));
      root.setAttribute(AttributeKey.booleanArrayKey("flags"), List.of(true, false));
      root.addEvent(
          "exception",
          Attributes.of(AttributeKey.stringKey("exception.message"), "boom"),
          ROOT_START + 100_000_000L,
          TimeUnit.NANOSECONDS);
      try (Scope ignored = root.makeCurrent()) {
        Span child =
            tracer
                .spanBuilder("SELECT orders")
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(ROOT_START + 1_000_001L, TimeUnit.NANOSECONDS)
                .startSpan();
        child.end(ROOT_START + 200_000_003L, TimeUnit.NANOSECONDS);
      }
      Logger logger = logging.get(SCOPE);
      logger
          .logRecordBuilder()
          .setTimestamp(ROOT_START + 7, TimeUnit.NANOSECONDS)
          .setObservedTimestamp(ROOT_START + 999, TimeUnit.NANOSECONDS)
          .setSeverity(Severity.ERROR2)
          .setSeverityText("ERROR")
          .setBody("card declined")
          .setAttribute(AttributeKey.longKey("order.id"), 42L)
          .setAttribute(AttributeKey.doubleKey("amount"), 19.99)
          .setContext(Context.root().with(root))
          .emit();
      logger
          .logRecordBuilder()
          .setTimestamp(ROOT_START + 8, TimeUnit.NANOSECONDS)
          .setSeverity(Severity.INFO)
          .setBody(
              Value.of(
                  Map.of(
                      "event", Value.of("login"),
                      "raw", Value.of(new byte[] {1, 2, 3}),
                      "tries", Value.of(3L),
                      "nested", Value.of(Value.of(true), Value.of(1.5)))))
          .emit();
      root.setStatus(StatusCode.ERROR, "payment failed");
      root.end(ROOT_START + 300_000_000L, TimeUnit.NANOSECONDS);
      // taken before close(), which clears the in-memory exporters
      return new Recorded(
          new ArrayList<>(spans.getFinishedSpanItems()),
          new ArrayList<>(logs.getFinishedLogRecordItems()));
    }
  }
}
