package dev.glust.adapter.otlp;

import com.google.protobuf.Message;
import dev.glust.adapter.mapping.otlp.OtlpMapper;
import dev.glust.application.port.observe.ExportObserver;
import dev.glust.application.port.observe.ExportOutcome;
import dev.glust.application.port.observe.ExportReport;
import dev.glust.domain.tenant.TenantId;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.List;
import java.util.Optional;

/** Reports each finished export, with its record counts, to the observer (metrics). */
final class ExportMeter {
  private final ExportObserver observer;
  private final String transport;

  /** Tells the observer which signals this transport serves, before any request. */
  ExportMeter(ExportObserver observer, String transport, List<OtlpSignal<?, ?>> signals) {
    this.observer = observer;
    this.transport = transport;
    signals.forEach(signal -> observer.serving(signal.name(), transport));
  }

  /**
   * @param request the decoded request, or null when it was answered before decoding
   * @param response the response on success, else null
   * @param error the answer on failure, else null
   * @param selfTelemetry the request carries the {@link OtlpReceivers#SELF_TELEMETRY_HEADER} mark
   * @param tenant whose request it was, or null when refused before its tenant was known
   */
  void finished(
      String signal,
      long startNanos,
      Message request,
      Message response,
      OtlpError error,
      boolean selfTelemetry,
      TenantId tenant) {
    ExportOutcome outcome = error == null ? ExportOutcome.ACCEPTED : error.outcome();
    observer.exportFinished(
        new ExportReport(
            signal,
            transport,
            outcome,
            request == null ? 0 : records(request),
            response == null ? 0 : rejected(response),
            System.nanoTime() - startNanos,
            selfTelemetry,
            Optional.ofNullable(tenant)));
  }

  static int records(Message request) {
    if (request instanceof ExportTraceServiceRequest traces) {
      return OtlpMapper.spanCount(traces);
    } else if (request instanceof ExportLogsServiceRequest logs) {
      return OtlpMapper.logRecordCount(logs);
    } else if (request instanceof ExportMetricsServiceRequest metrics) {
      return OtlpMapper.dataPointCount(metrics);
    }
    return 0;
  }

  private static int rejected(Message response) {
    if (response instanceof ExportTraceServiceResponse traces) {
      return (int) traces.getPartialSuccess().getRejectedSpans();
    }
    if (response instanceof ExportLogsServiceResponse logs) {
      return (int) logs.getPartialSuccess().getRejectedLogRecords();
    }
    if (response instanceof ExportMetricsServiceResponse metrics) {
      return (int) metrics.getPartialSuccess().getRejectedDataPoints();
    }
    return 0;
  }
}
