package dev.glust.adapter.otlp;

import dev.glust.adapter.mapping.otlp.OtlpMapper;
import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestMetricsUseCase;
import dev.glust.application.port.in.IngestSpansUseCase;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP inbound adapter: gRPC and HTTP receivers. Both read on their I/O threads, decode on
 * shared decode workers (one per core; a request that waited too long for one is refused) and hand
 * the records to the ingest use cases, which answer asynchronously; nothing blocks on storage.
 */
public final class OtlpReceivers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpReceivers.class);

  /**
   * HTTP header / gRPC metadata by which Glust's own self-tracing exporter marks its requests; a
   * request carrying it (any value) is reported with {@code ExportReport.selfTelemetry()}.
   */
  public static final String SELF_TELEMETRY_HEADER = "x-glust-self-telemetry";

  private final OtlpGrpcServer grpc;
  private final OtlpHttpServer http;
  private final DecodeWorkers workers;

  private OtlpReceivers(OtlpGrpcServer grpc, OtlpHttpServer http, DecodeWorkers workers) {
    this.grpc = grpc;
    this.http = http;
    this.workers = workers;
  }

  /** Open, unobserved, plain-text receivers. */
  public static OtlpReceivers start(
      OtlpReceiverSettings settings,
      IngestSpansUseCase spans,
      IngestLogsUseCase logs,
      IngestMetricsUseCase metrics)
      throws IOException, InterruptedException {
    return start(settings, OtlpReceiverOptions.none(), spans, logs, metrics);
  }

  /** Binds both ports; fails (and releases whatever it bound) if either is taken. */
  public static OtlpReceivers start(
      OtlpReceiverSettings settings,
      OtlpReceiverOptions options,
      IngestSpansUseCase spans,
      IngestLogsUseCase logs,
      IngestMetricsUseCase metrics)
      throws IOException, InterruptedException {
    OtlpMapper mapper = new OtlpMapper();
    RecordsPerRequest limit = new RecordsPerRequest(settings.maxRecordsPerRequest());
    List<OtlpSignal<?, ?>> signals =
        List.of(
            OtlpSignal.traces(mapper, limit, spans),
            OtlpSignal.logs(mapper, limit, logs),
            OtlpSignal.metrics(mapper, limit, metrics));
    DecodeWorkers workers =
        new DecodeWorkers(
            DecodeWorkers.defaultThreads(), settings.maxQueueWait(), settings.maxDecodeQueue());
    OtlpGrpcServer grpc;
    try {
      grpc =
          new OtlpGrpcServer(
              settings.host(),
              settings.grpcPort(),
              signals,
              settings.maxRequestBytes(),
              options,
              workers);
    } catch (IOException | RuntimeException e) {
      workers.close();
      throw e;
    }
    try {
      ExportMeter meter = new ExportMeter(options.observer(), "http", signals);
      Supplier<OtlpHttpAccessHandler> access =
          () -> new OtlpHttpAccessHandler(options.access(), signals, meter);
      OtlpHttpServer http =
          new OtlpHttpServer(
              settings.host(),
              settings.httpPort(),
              new OtlpHttpHandler(signals, settings.maxRequestBytes(), meter, workers),
              settings.maxRequestBytes(),
              options.tls().map(OtlpReceivers::sslContext),
              access);
      LOG.info(
          "OTLP receivers listening: gRPC on {}, HTTP on {}{}",
          grpc.port(),
          http.port(),
          options.tls().isPresent() ? " (TLS)" : "");
      return new OtlpReceivers(grpc, http, workers);
    } catch (InterruptedException | RuntimeException e) {
      grpc.close();
      workers.close();
      throw e;
    }
  }

  private static SslContext sslContext(OtlpTls tls) {
    try {
      return SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile())
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use the TLS certificate or key: " + e.getMessage(), e);
    }
  }

  public int grpcPort() {
    return grpc.port();
  }

  public int httpPort() {
    return http.port();
  }

  /**
   * First step of a graceful shutdown: no new connections or calls, while the requests already
   * handed to the pipeline can still be answered on their open connections.
   */
  public void stopAccepting() {
    http.stopAccepting();
    grpc.stopAccepting();
  }

  /** Closes everything; call {@link #stopAccepting} and drain the pipeline first. */
  @Override
  public void close() {
    http.close();
    grpc.close();
    workers.close();
  }
}
