package dev.glust.adapter.otlp;

import dev.glust.application.port.in.IngestLogsUseCase;
import dev.glust.application.port.in.IngestSpansUseCase;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP inbound adapter: gRPC and HTTP receivers sharing one bounded pool of export workers.
 * When every worker is busy and the queue is full, new requests are refused at once with a
 * retryable status instead of piling up in memory.
 */
public final class OtlpReceivers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpReceivers.class);

  private final ThreadPoolExecutor workers;
  private final OtlpGrpcServer grpc;
  private final OtlpHttpServer http;

  private OtlpReceivers(ThreadPoolExecutor workers, OtlpGrpcServer grpc, OtlpHttpServer http) {
    this.workers = workers;
    this.grpc = grpc;
    this.http = http;
  }

  /** Binds both ports; fails (and releases whatever it bound) if either is taken. */
  public static OtlpReceivers start(
      OtlpReceiverSettings settings, IngestSpansUseCase spans, IngestLogsUseCase logs)
      throws IOException, InterruptedException {
    OtlpMapper mapper = new OtlpMapper();
    OtlpSignal<?, ?> traces = OtlpSignal.traces(mapper, spans);
    OtlpSignal<?, ?> logSignal = OtlpSignal.logs(mapper, logs);
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            settings.workerThreads(),
            settings.workerThreads(),
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(1, settings.workerQueue())),
            namedThreads("otlp-export-"),
            new ThreadPoolExecutor.AbortPolicy());
    OtlpGrpcServer grpc = null;
    try {
      grpc =
          new OtlpGrpcServer(
              settings.host(),
              settings.grpcPort(),
              traces,
              logSignal,
              workers,
              settings.maxRequestBytes());
      OtlpHttpServer http =
          new OtlpHttpServer(
              settings.host(),
              settings.httpPort(),
              new OtlpHttpHandler(List.of(traces, logSignal), workers, settings.maxRequestBytes()),
              settings.maxRequestBytes());
      LOG.info("OTLP receivers listening: gRPC on {}, HTTP on {}", grpc.port(), http.port());
      return new OtlpReceivers(workers, grpc, http);
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (grpc != null) {
        grpc.close();
      }
      workers.shutdownNow();
      throw e;
    }
  }

  public int grpcPort() {
    return grpc.port();
  }

  public int httpPort() {
    return http.port();
  }

  /** Stops accepting, lets running exports finish (bounded), then releases the ports. */
  @Override
  public void close() {
    http.close();
    grpc.close();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory namedThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
