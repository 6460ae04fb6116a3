package dev.glust.adapter.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.glust.adapter.mapping.otlp.OtlpBytes;
import dev.glust.adapter.mapping.otlp.OtlpMapper;
import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestMetricsUseCase;
import dev.glust.application.port.in.IngestResult;
import dev.glust.application.port.in.IngestSpansUseCase;
import dev.glust.domain.tenant.TenantId;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * One OTLP signal as both transports handle it: its HTTP path and gRPC service, how its request
 * decodes and how an export becomes its response (with partial success when records were rejected).
 */
record OtlpSignal<Q extends Message, R extends Message>(
    String name,
    String httpPath,
    ServiceDescriptor grpcService,
    MethodDescriptor<Q, R> grpcExport,
    Parser<Q> parser,
    Supplier<Message.Builder> jsonBuilder,
    Export<Q, R> export,
    LongConsumer refuseIfFull) {

  static OtlpSignal<ExportTraceServiceRequest, ExportTraceServiceResponse> traces(
      OtlpMapper mapper, RecordsPerRequest limit, IngestSpansUseCase ingest) {
    return new OtlpSignal<>(
        "traces",
        "/v1/traces",
        TraceServiceGrpc.getServiceDescriptor(),
        TraceServiceGrpc.getExportMethod(),
        ExportTraceServiceRequest.parser(),
        ExportTraceServiceRequest::newBuilder,
        (tenant, request, wireBytes) ->
            ingest
                .ingestSpans(
                    mapper.toSpans(
                        tenant,
                        limit.check(request, OtlpMapper.spanCount(request), "spans"),
                        wireBytes))
                .thenApply(OtlpSignal::traceResponse),
        ingest::refuseSpansIfFull);
  }

  static OtlpSignal<ExportLogsServiceRequest, ExportLogsServiceResponse> logs(
      OtlpMapper mapper, RecordsPerRequest limit, IngestLogsUseCase ingest) {
    return new OtlpSignal<>(
        "logs",
        "/v1/logs",
        LogsServiceGrpc.getServiceDescriptor(),
        LogsServiceGrpc.getExportMethod(),
        ExportLogsServiceRequest.parser(),
        ExportLogsServiceRequest::newBuilder,
        (tenant, request, wireBytes) ->
            ingest
                .ingestLogs(
                    mapper.toLogs(
                        tenant,
                        limit.check(request, OtlpMapper.logRecordCount(request), "log records"),
                        wireBytes))
                .thenApply(OtlpSignal::logsResponse),
        ingest::refuseLogsIfFull);
  }

  static OtlpSignal<ExportMetricsServiceRequest, ExportMetricsServiceResponse> metrics(
      OtlpMapper mapper, RecordsPerRequest limit, IngestMetricsUseCase ingest) {
    return new OtlpSignal<>(
        "metrics",
        "/v1/metrics",
        MetricsServiceGrpc.getServiceDescriptor(),
        MetricsServiceGrpc.getExportMethod(),
        ExportMetricsServiceRequest.parser(),
        ExportMetricsServiceRequest::newBuilder,
        (tenant, request, wireBytes) ->
            ingest
                .ingestMetrics(
                    mapper.toMetricPoints(
                        tenant,
                        limit.check(request, OtlpMapper.dataPointCount(request), "data points"),
                        wireBytes))
                .thenApply(OtlpSignal::metricsResponse),
        ingest::refuseMetricsIfFull);
  }

  /**
   * Starts the export of a request this signal decoded; the future completes with the response once
   * its records are committed. A refusal (pipeline full) may also be thrown at once.
   */
  @SuppressWarnings("unchecked") // callers only pass what parseProtobuf or parseJson returned
  CompletableFuture<Message> exportMessage(TenantId tenant, Message request, int wireBytes) {
    return export.apply(tenant, (Q) request, wireBytes).thenApply(Message.class::cast);
  }

  /** Hands a decoded request of a tenant to its ingest use case. */
  @FunctionalInterface
  interface Export<Q, R> {
    CompletableFuture<R> apply(TenantId tenant, Q request, int wireBytes);
  }

  /** Refuses at once, before any decoding, when the pipeline cannot take a request this big. */
  void checkCapacity(long wireBytes) {
    refuseIfFull.accept(wireBytes);
  }

  Q parseProtobuf(byte[] body) {
    try {
      return OtlpBytes.parse(body, parser, jsonBuilder.get().getDescriptorForType());
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRequestException("malformed OTLP protobuf: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked") // the builder is Q's own, by construction in the factories above
  Q parseJson(byte[] body) {
    Message.Builder builder = jsonBuilder.get();
    OtlpJson.merge(body, builder);
    return (Q) builder.build();
  }

  private static ExportTraceServiceResponse traceResponse(IngestResult result) {
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (result.isPartial()) {
      response.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(result.rejected())
              .setErrorMessage(result.rejectionReason()));
    }
    return response.build();
  }

  private static ExportLogsServiceResponse logsResponse(IngestResult result) {
    ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
    if (result.isPartial()) {
      response.setPartialSuccess(
          ExportLogsPartialSuccess.newBuilder()
              .setRejectedLogRecords(result.rejected())
              .setErrorMessage(result.rejectionReason()));
    }
    return response.build();
  }

  private static ExportMetricsServiceResponse metricsResponse(IngestResult result) {
    ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
    if (result.isPartial()) {
      response.setPartialSuccess(
          ExportMetricsPartialSuccess.newBuilder()
              .setRejectedDataPoints(result.rejected())
              .setErrorMessage(result.rejectionReason()));
    }
    return response.build();
  }
}
