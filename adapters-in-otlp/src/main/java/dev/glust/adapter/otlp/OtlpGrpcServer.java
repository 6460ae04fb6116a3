package dev.glust.adapter.otlp;

import com.google.protobuf.Message;
import dev.glust.application.port.in.PipelineFullException;
import dev.glust.domain.tenant.TenantId;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Decompressor;
import io.grpc.DecompressorRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/gRPC: {@code TraceService/Export}, {@code LogsService/Export} and {@code
 * MetricsService/Export}. Requests are decoded on gRPC's I/O threads with our own marshaller, so
 * that a malformed message is INVALID_ARGUMENT and an oversized one (after gzip)
 * RESOURCE_EXHAUSTED, where gRPC's default parsing would say UNKNOWN. The records go to the ingest
 * pipeline without blocking; the response is sent on commit.
 */
final class OtlpGrpcServer implements AutoCloseable {
  static final Metadata.Key<String> SELF_TELEMETRY =
      Metadata.Key.of(OtlpReceivers.SELF_TELEMETRY_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  /** The tenant the access interceptor decided for a call; every call passes it first. */
  static final Context.Key<TenantId> TENANT = Context.key("glust-tenant");

  /** Set on the calls that carry {@link #SELF_TELEMETRY}, so the export method can tell. */
  private static final Context.Key<Boolean> MARKED_SELF_TELEMETRY =
      Context.key("glust-self-telemetry");

  private final Server server;

  OtlpGrpcServer(
      String host,
      int port,
      List<OtlpSignal<?, ?>> signals,
      int maxRequestBytes,
      OtlpReceiverOptions options,
      DecodeWorkers workers)
      throws IOException {
    ExportMeter meter = new ExportMeter(options.observer(), "grpc", signals);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port));
    options
        .tls()
        .ifPresent(
            tls ->
                builder.useTransportSecurity(
                    tls.certificateChain().toFile(), tls.privateKey().toFile()));
    builder.intercept(new OtlpGrpcAccessInterceptor(options.access(), signals, meter));
    builder.intercept(OtlpGrpcServer::markSelfTelemetry);
    builder
        // calls run on the decode workers, so a call that waited too long is refused undecoded
        .executor(workers)
        .decompressorRegistry(DecompressorRegistry.getDefaultInstance().with(new LazyGzip(), true))
        // one byte of headroom: our marshaller sees the oversize and answers it properly
        .maxInboundMessageSize(maxRequestBytes + 1);
    for (OtlpSignal<?, ?> signal : signals) {
      builder.addService(
          service(
              signal.grpcService(), signal.grpcExport(), signal, maxRequestBytes, meter, workers));
    }
    server = builder.build().start();
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    stopAccepting();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Takes no new calls; calls in progress go on until they are answered. */
  void stopAccepting() {
    server.shutdown();
  }

  private static <Q, R> ServerCall.Listener<Q> markSelfTelemetry(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return headers.containsKey(SELF_TELEMETRY)
        ? Contexts.interceptCall(
            Context.current().withValue(MARKED_SELF_TELEMETRY, true), call, headers, next)
        : next.startCall(call, headers);
  }

  /** A decoded request, or why it could not be decoded. */
  private record Decoded(
      Message message, int wireBytes, RuntimeException failure, long startNanos) {}

  private static <Q, R> ServerServiceDefinition service(
      ServiceDescriptor descriptor,
      MethodDescriptor<Q, R> method,
      OtlpSignal<?, ?> signal,
      int maxRequestBytes,
      ExportMeter meter,
      DecodeWorkers workers) {
    MethodDescriptor<Decoded, R> decoding =
        method.toBuilder(
                new DecodingMarshaller(signal, maxRequestBytes, workers),
                method.getResponseMarshaller())
            .build();
    ServerCalls.UnaryMethod<Decoded, R> export =
        (request, observer) -> {
          Finish finish =
              new Finish(
                  meter,
                  signal,
                  request,
                  Boolean.TRUE.equals(MARKED_SELF_TELEMETRY.get()),
                  TENANT.get());
          if (request.failure() != null) {
            fail(observer, request.failure(), finish);
            return;
          }
          try {
            signal
                .exportMessage(
                    Objects.requireNonNull(TENANT.get(), "the access interceptor runs first"),
                    request.message(),
                    request.wireBytes())
                .whenComplete(
                    (response, failure) -> {
                      if (failure != null) {
                        fail(observer, failure, finish);
                        return;
                      }
                      finish.report(response, null);
                      reply(observer, response);
                    });
          } catch (RuntimeException e) { // pipeline full: refuse now, retryable
            fail(observer, e, finish);
          }
        };
    return ServerServiceDefinition.builder(descriptor.getName())
        .addMethod(decoding, ServerCalls.asyncUnaryCall(export))
        .build();
  }

  @SuppressWarnings("unchecked") // R is the signal's response type, by OTLP
  private static <R> void reply(StreamObserver<R> observer, Message response) {
    observer.onNext((R) response);
    observer.onCompleted();
  }

  private static void fail(StreamObserver<?> observer, Throwable failure, Finish finish) {
    OtlpError error = OtlpErrorTranslator.translate(failure);
    finish.report(null, error);
    observer.onError(error.grpcException());
  }

  /** What the meter is told when a call ends; the mark is read on the call's own thread. */
  private record Finish(
      ExportMeter meter,
      OtlpSignal<?, ?> signal,
      Decoded request,
      boolean selfTelemetry,
      TenantId tenant) {
    void report(Message response, OtlpError error) {
      meter.finished(
          signal.name(),
          request.startNanos(),
          request.message(),
          response,
          error,
          selfTelemetry,
          tenant);
    }
  }

  private static final class DecodingMarshaller implements MethodDescriptor.Marshaller<Decoded> {
    private final OtlpSignal<?, ?> signal;
    private final int maxRequestBytes;
    private final DecodeWorkers workers;

    DecodingMarshaller(OtlpSignal<?, ?> signal, int maxRequestBytes, DecodeWorkers workers) {
      this.signal = signal;
      this.maxRequestBytes = maxRequestBytes;
      this.workers = workers;
    }

    @Override
    public Decoded parse(InputStream stream) {
      long start = DecodeWorkers.arrivedAt();
      try {
        workers.refuseIfOverloaded();
        byte[] bytes = stream.readNBytes(maxRequestBytes + 1);
        if (bytes.length > maxRequestBytes) {
          return new Decoded(null, 0, new RequestTooLargeException(maxRequestBytes), start);
        }
        signal.checkCapacity(bytes.length);
        return new Decoded(signal.parseProtobuf(bytes), bytes.length, null, start);
      } catch (StatusRuntimeException e) { // gRPC's own size guard while inflating
        return new Decoded(null, 0, new RequestTooLargeException(maxRequestBytes), start);
      } catch (IOException e) {
        return new Decoded(null, 0, new MalformedRequestException("unreadable message", e), start);
      } catch (MalformedRequestException | PipelineFullException | ReceiverBusyException e) {
        return new Decoded(null, 0, e, start);
      }
    }

    @Override
    public InputStream stream(Decoded value) {
      return value.message().toByteString().newInput();
    }
  }

  /**
   * gzip that reads the gzip header on the first read, inside our marshaller: a frame that claims
   * gzip but is not gzip is then INVALID_ARGUMENT, where gRPC's own gzip fails while opening the
   * stream and answers UNKNOWN (found by the fuzz tests).
   */
  private static final class LazyGzip implements Decompressor {
    @Override
    public String getMessageEncoding() {
      return "gzip";
    }

    @Override
    public InputStream decompress(InputStream compressed) {
      return new InputStream() {
        private InputStream inflated;

        private InputStream inflated() throws IOException {
          if (inflated == null) {
            inflated = new GZIPInputStream(compressed);
          }
          return inflated;
        }

        @Override
        public int read() throws IOException {
          return inflated().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return inflated().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
          (inflated == null ? compressed : inflated).close();
        }
      };
    }
  }
}
