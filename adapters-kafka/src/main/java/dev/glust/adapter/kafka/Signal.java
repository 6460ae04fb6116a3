package dev.glust.adapter.kafka;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.glust.adapter.mapping.otlp.DomainToOtlp;
import dev.glust.adapter.mapping.otlp.OtlpBytes;
import dev.glust.adapter.mapping.otlp.OtlpMapper;
import dev.glust.application.port.in.ExportBatch;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.metric.MetricPoint;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * One kind of telemetry on Kafka: its name (the topic is the prefix plus the name), its record
 * value (a serialized OTLP export request, what the Collector's Kafka exporter writes with {@code
 * encoding: otlp_proto}) and the key that picks a record's partition. Adding a signal is one more
 * constant here and a route in the writer.
 *
 * @param toOtlp domain records → one OTLP export request (see {@link DomainToOtlp})
 * @param reader a record value → domain records, through the OTLP receivers' own mapping
 * @param key the partition key of one domain record; null spreads records over the partitions
 */
record Signal<T>(
    String name,
    Function<List<T>, ? extends Message> toOtlp,
    OtlpReader<T> reader,
    Function<T, byte[]> key) {
  private static final OtlpMapper MAPPER = new OtlpMapper();

  /** Spans keyed by trace id, as the Collector keys them with {@code partition_traces_by_id}. */
  static final Signal<Span> SPANS =
      new Signal<>(
          "spans",
          DomainToOtlp::spans,
          reader(
              "spans",
              ExportTraceServiceRequest.parser(),
              ExportTraceServiceRequest.getDescriptor(),
              MAPPER::toSpans),
          span -> traceKey(span.traceId()));

  /**
   * A log record of a trace lands with the trace's spans; one without a trace has no key and is
   * spread over the partitions: log records have no order a reader relies on.
   */
  static final Signal<LogRecord> LOGS =
      new Signal<>(
          "logs",
          DomainToOtlp::logs,
          reader(
              "logs",
              ExportLogsServiceRequest.parser(),
              ExportLogsServiceRequest.getDescriptor(),
              MAPPER::toLogs),
          log -> log.traceId() == null ? null : traceKey(log.traceId()));

  /** Data points keyed by their series (see {@link MetricSeriesKey}). */
  static final Signal<MetricPoint> METRICS =
      new Signal<>(
          "metrics",
          DomainToOtlp::metrics,
          reader(
              "metrics",
              ExportMetricsServiceRequest.parser(),
              ExportMetricsServiceRequest.getDescriptor(),
              MAPPER::toMetricPoints),
          new MetricSeriesKey()::of);

  /** Every signal carried: each has its topic, created when missing. */
  static final List<Signal<?>> ALL = List.of(SPANS, LOGS, METRICS);

  /** A record value holding exactly these records. */
  byte[] encode(List<T> records) {
    return toOtlp.apply(records).toByteArray();
  }

  /**
   * The records of a record value, the ones the mapping rejects (e.g. an all-zero span id) left out
   * and counted, as an OTLP receiver does with a request.
   *
   * @throws MalformedBatchException when the value is not an OTLP export request of this signal
   */
  ExportBatch<T> decode(TenantId tenant, byte[] value) throws MalformedBatchException {
    return reader.read(tenant, value);
  }

  /**
   * The key the Collector's exporter gives a trace's messages: the trace id as 32 lower-case hex
   * characters.
   */
  static byte[] traceKey(TraceId traceId) {
    return traceId.toHex().getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads one record value. */
  @FunctionalInterface
  interface OtlpReader<T> {
    ExportBatch<T> read(TenantId tenant, byte[] value) throws MalformedBatchException;
  }

  private static <Q extends Message, T> OtlpReader<T> reader(
      String signal, Parser<Q> parser, Descriptor type, OtlpMapping<Q, T> map) {
    return (tenant, value) -> {
      Q request;
      try {
        request = OtlpBytes.parse(value, parser, type);
      } catch (InvalidProtocolBufferException e) {
        throw new MalformedBatchException(
            "undecodable batch: not an OTLP " + signal + " export request: " + e.getMessage(), e);
      }
      return map.apply(tenant, request, (long) value.length);
    };
  }

  /** One of {@link OtlpMapper}'s request → domain mappings. */
  @FunctionalInterface
  private interface OtlpMapping<Q, T> {
    ExportBatch<T> apply(TenantId tenant, Q request, long wireBytes);
  }
}
