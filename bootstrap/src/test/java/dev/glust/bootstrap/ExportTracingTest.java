package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.observe.ExportOutcome;
import dev.glust.application.port.observe.ExportReport;
import dev.glust.domain.tenant.TenantId;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The span drawn for each export report, and the settings of self-tracing. */
class ExportTracingTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final ExportTracing tracing = new ExportTracing(provider.get("test"));

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void anExportBecomesAServerSpanAsLongAsTheRequest() {
    tracing.exportFinished(
        new ExportReport(
            "traces",
            "grpc",
            ExportOutcome.ACCEPTED,
            12,
            2,
            3_000_000,
            false,
            Optional.of(new TenantId("acme"))));

    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("OTLP export traces");
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getEndEpochNanos() - span.getStartEpochNanos()).isEqualTo(3_000_000);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("glust.protocol")))
        .isEqualTo("grpc");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("glust.outcome")))
        .isEqualTo("accepted");
    assertThat(span.getAttributes().get(AttributeKey.longKey("glust.records"))).isEqualTo(12);
    assertThat(span.getAttributes().get(AttributeKey.longKey("glust.rejected_records")))
        .isEqualTo(2);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("glust.tenant"))).isEqualTo("acme");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void onlyGlustsOwnFailuresAreErrors() {
    tracing.exportFinished(
        new ExportReport("logs", "http", ExportOutcome.STORAGE_UNAVAILABLE, 1, 0, 1, false));
    tracing.exportFinished(new ExportReport("logs", "http", ExportOutcome.INVALID, 0, 0, 1, false));

    assertThat(spans.getFinishedSpanItems())
        .extracting(s -> s.getStatus().getStatusCode())
        .containsExactly(StatusCode.ERROR, StatusCode.UNSET);
  }

  @Test
  void glustsOwnExportsMakeNoSpan() {
    tracing.exportFinished(
        new ExportReport("traces", "grpc", ExportOutcome.ACCEPTED, 5, 0, 1_000, true));
    tracing.exportFinished(
        new ExportReport("traces", "http", ExportOutcome.STORAGE_UNAVAILABLE, 5, 0, 1_000, true));

    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void settingsAreCheckedAndHeadersRead() {
    assertThat(SelfTracing.Settings.parseHeaders("x-api-key=abc, tenant = a=b ,"))
        .isEqualTo(Map.of("x-api-key", "abc", "tenant", "a=b"));
    assertThatThrownBy(() -> SelfTracing.Settings.parseHeaders("no-value"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings("glust", 1.5)).hasMessageContaining("0..1");
    assertThatThrownBy(() -> settings(" ", 1)).hasMessageContaining("service name");
    try (SelfTracing off = SelfTracing.start(settings("glust", 1))) {
      assertThat(off.enabled()).isFalse();
    }
  }

  private static SelfTracing.Settings settings(String service, double ratio) {
    return new SelfTracing.Settings("", service, Map.of(), ratio, Duration.ofSeconds(5));
  }
}
