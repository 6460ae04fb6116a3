package dev.glust.adapter.otlp.testing;

import io.grpc.CallOptions;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Sends fuzzed requests as they are, bytes included, over OTLP/HTTP and OTLP/gRPC, and tells which
 * answers a receiver may give to them: a client status, never a server error.
 */
public final class FuzzClient implements AutoCloseable {
  /** Every answer a payload may get: stored, bad data, too large, unsupported media type. */
  public static final Set<Integer> CLIENT_STATUSES = Set.of(200, 400, 413, 415);

  public static final Set<Status.Code> GRPC_CLIENT_CODES =
      Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED);

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /**
   * Claims gzip but passes the bytes through: the fuzzed body is already what the frame should
   * carry (gzip, broken gzip or no gzip at all).
   */
  private static final Codec PRECOMPRESSED =
      new Codec() {
        @Override
        public String getMessageEncoding() {
          return "gzip";
        }

        @Override
        public OutputStream compress(OutputStream os) {
          return os;
        }

        @Override
        public InputStream decompress(InputStream is) {
          return is;
        }
      };

  private final String httpBase;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ManagedChannel channel;

  public FuzzClient(String host, int httpPort, int grpcPort) {
    httpBase = "http://" + host + ":" + httpPort;
    CompressorRegistry compressors = CompressorRegistry.newEmptyInstance();
    compressors.register(PRECOMPRESSED);
    channel =
        NettyChannelBuilder.forAddress(host, grpcPort)
            .usePlaintext()
            .compressorRegistry(compressors)
            .build();
  }

  /** The HTTP status of the request sent to its signal's path. */
  public int http(FuzzRequest request) throws IOException, InterruptedException {
    return postHttp(request).statusCode();
  }

  public HttpResponse<byte[]> postHttp(FuzzRequest request)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(httpBase + request.signal().httpPath))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Encoding", request.contentEncoding())
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (!request.contentType().isEmpty()) {
      builder.header("Content-Type", request.contentType());
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The gRPC status code of the request sent to its signal's Export method. */
  public Status.Code grpc(FuzzRequest request) {
    try {
      callGrpc(request);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  /** The response message's bytes; a failure is thrown as {@link StatusRuntimeException}. */
  public byte[] callGrpc(FuzzRequest request) {
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(request.signal().grpcMethod)
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
    if (request.gzip()) {
      options = options.withCompression(PRECOMPRESSED.getMessageEncoding());
    }
    return ClientCalls.blockingUnaryCall(channel, method, options, request.body());
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
