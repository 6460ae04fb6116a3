package dev.glust.bootstrap;

import dev.glust.application.port.observe.ExportObserver;
import dev.glust.application.port.observe.ExportOutcome;
import dev.glust.application.port.observe.ExportReport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.Clock;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A SERVER span per OTLP export request, from its arrival to its answer, drawn after the fact from
 * the receivers' report. Requests carrying Glust's own spans get none: tracing them would make a
 * span for every export of spans, forever.
 */
final class ExportTracing implements ExportObserver {
  /** Outcomes that are Glust's failure, not the client's: the span's status is ERROR. */
  private static final Set<ExportOutcome> SERVER_FAILURES =
      EnumSet.of(
          ExportOutcome.INTERNAL,
          ExportOutcome.STORAGE_UNAVAILABLE,
          ExportOutcome.PIPELINE_FULL,
          ExportOutcome.OVERLOADED);

  private final Tracer tracer;
  private final Clock clock = Clock.getDefault();

  ExportTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public void exportFinished(ExportReport report) {
    if (report.selfTelemetry()) {
      return;
    }
    long end = clock.now();
    String outcome = report.outcome().name().toLowerCase(Locale.ROOT);
    Span span =
        tracer
            .spanBuilder("OTLP export " + report.signal())
            .setNoParent()
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(end - report.durationNanos(), TimeUnit.NANOSECONDS)
            .setAttribute("glust.signal", report.signal())
            .setAttribute("glust.protocol", report.transport())
            .setAttribute("glust.outcome", outcome)
            .setAttribute("glust.records", report.records())
            .setAttribute("glust.rejected_records", report.rejectedRecords())
            .startSpan();
    report.tenant().ifPresent(tenant -> span.setAttribute("glust.tenant", tenant.name()));
    if (SERVER_FAILURES.contains(report.outcome())) {
      span.setStatus(StatusCode.ERROR, outcome);
    }
    span.end(end, TimeUnit.NANOSECONDS);
  }
}
