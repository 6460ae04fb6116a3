package dev.glust.adapter.otlp;

import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestSpansUseCase;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP inbound adapter: gRPC and HTTP receivers. Both decode on their I/O threads and hand the
 * records to the ingest use cases, which answer asynchronously; nothing here blocks on storage.
 */
public final class OtlpReceivers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpReceivers.class);

  private final OtlpGrpcServer grpc;
  private final OtlpHttpServer http;

  private OtlpReceivers(OtlpGrpcServer grpc, OtlpHttpServer http) {
    this.grpc = grpc;
    this.http = http;
  }

  /** Binds both ports; fails (and releases whatever it bound) if either is taken. */
  public static OtlpReceivers start(
      OtlpReceiverSettings settings, IngestSpansUseCase spans, IngestLogsUseCase logs)
      throws IOException, InterruptedException {
    OtlpMapper mapper = new OtlpMapper(settings.maxRecordsPerRequest());
    OtlpSignal<?, ?> traces = OtlpSignal.traces(mapper, spans);
    OtlpSignal<?, ?> logSignal = OtlpSignal.logs(mapper, logs);
    OtlpGrpcServer grpc =
        new OtlpGrpcServer(
            settings.host(), settings.grpcPort(), traces, logSignal, settings.maxRequestBytes());
    try {
      OtlpHttpServer http =
          new OtlpHttpServer(
              settings.host(),
              settings.httpPort(),
              new OtlpHttpHandler(List.of(traces, logSignal), settings.maxRequestBytes()),
              settings.maxRequestBytes());
      LOG.info("OTLP receivers listening: gRPC on {}, HTTP on {}", grpc.port(), http.port());
      return new OtlpReceivers(grpc, http);
    } catch (InterruptedException | RuntimeException e) {
      grpc.close();
      throw e;
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
  }
}
