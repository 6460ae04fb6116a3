package dev.glust.adapter.otlp;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC: {@code TraceService/Export} and {@code LogsService/Export}. Messages are decoded (and
 * gzip-inflated, capped at the request limit) by gRPC on its I/O threads; the export runs on the
 * shared worker pool, which may block on storage.
 */
final class OtlpGrpcServer implements AutoCloseable {
  private final Server server;

  OtlpGrpcServer(
      String host,
      int port,
      OtlpSignal<?, ?> traces,
      OtlpSignal<?, ?> logs,
      Executor workers,
      int maxRequestBytes)
      throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .directExecutor()
            .maxInboundMessageSize(maxRequestBytes)
            .addService(
                service(
                    TraceServiceGrpc.getServiceDescriptor(),
                    TraceServiceGrpc.getExportMethod(),
                    traces,
                    workers))
            .addService(
                service(
                    LogsServiceGrpc.getServiceDescriptor(),
                    LogsServiceGrpc.getExportMethod(),
                    logs,
                    workers))
            .build()
            .start();
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // the method's types are the signal's, by OTLP
  private static <Q, R> ServerServiceDefinition service(
      ServiceDescriptor descriptor,
      MethodDescriptor<Q, R> method,
      OtlpSignal signal,
      Executor workers) {
    ServerCalls.UnaryMethod<Q, R> export =
        (request, observer) -> {
          try {
            workers.execute(() -> exportNow(signal, (Message) request, (StreamObserver) observer));
          } catch (RuntimeException e) { // workers full: refuse now, retryable
            observer.onError(OtlpErrorTranslator.translate(e).grpcStatus().asRuntimeException());
          }
        };
    return ServerServiceDefinition.builder(descriptor)
        .addMethod(method, ServerCalls.asyncUnaryCall(export))
        .build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void exportNow(
      OtlpSignal signal, Message request, StreamObserver<Message> observer) {
    Message response;
    try {
      response = (Message) signal.export().apply(request);
    } catch (RuntimeException e) {
      observer.onError(OtlpErrorTranslator.translate(e).grpcStatus().asRuntimeException());
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }
}
