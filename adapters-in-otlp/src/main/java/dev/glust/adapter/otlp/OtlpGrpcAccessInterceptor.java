package dev.glust.adapter.otlp;

import dev.glust.application.port.in.AccessDecision;
import dev.glust.application.port.in.CheckAccessUseCase;
import dev.glust.application.port.in.Scope;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * OTLP/gRPC's door: checks the call's API key ({@code authorization: Bearer <key>} or {@code
 * x-api-key} metadata) and rate limit before its message is read; refuses with UNAUTHENTICATED,
 * PERMISSION_DENIED or RESOURCE_EXHAUSTED (+ RetryInfo), and sends the client's {@code
 * x-ratelimit-*} metadata with every answer.
 */
final class OtlpGrpcAccessInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> TENANT =
      Metadata.Key.of(
          CheckAccessUseCase.TENANT_HEADER.toLowerCase(Locale.ROOT),
          Metadata.ASCII_STRING_MARSHALLER);

  private final CheckAccessUseCase access;
  private final List<OtlpSignal<?, ?>> signals;
  private final ExportMeter meter;

  OtlpGrpcAccessInterceptor(
      CheckAccessUseCase access, List<OtlpSignal<?, ?>> signals, ExportMeter meter) {
    this.access = access;
    this.signals = List.copyOf(signals);
    this.meter = meter;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    AccessDecision decision =
        access.check(
            headers.get(AUTHORIZATION),
            headers.get(API_KEY),
            headers.get(TENANT),
            Scope.INGEST,
            clientAddress(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
    Metadata rateLimit = new Metadata();
    decision
        .rateLimit()
        .ifPresent(
            status ->
                OtlpRateLimitHeaders.of(status)
                    .forEach(
                        (name, value) ->
                            rateLimit.put(
                                Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value)));
    if (!decision.allowed()) {
      OtlpError error = OtlpErrorTranslator.access(decision);
      StatusRuntimeException refusal = error.grpcException();
      Metadata trailers = refusal.getTrailers() == null ? new Metadata() : refusal.getTrailers();
      trailers.merge(rateLimit);
      call.close(refusal.getStatus(), trailers);
      String service = call.getMethodDescriptor().getServiceName();
      boolean selfTelemetry = headers.containsKey(OtlpGrpcServer.SELF_TELEMETRY);
      for (OtlpSignal<?, ?> signal : signals) {
        if (signal.grpcService().getName().equals(service)) {
          meter.finished(signal.name(), start, null, null, error, selfTelemetry, null);
        }
      }
      return new ServerCall.Listener<>() {};
    }
    Context admitted = Context.current().withValue(OtlpGrpcServer.TENANT, decision.tenant());
    if (decision.rateLimit().isEmpty()) {
      return Contexts.interceptCall(admitted, call, headers, next);
    }
    return Contexts.interceptCall(
        admitted,
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          private boolean headersSent;

          @Override
          public void sendHeaders(Metadata responseHeaders) {
            responseHeaders.merge(rateLimit);
            headersSent = true;
            super.sendHeaders(responseHeaders);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            if (!headersSent) { // a trailers-only answer (an error) carries them as trailers
              trailers.merge(rateLimit);
            }
            super.close(status, trailers);
          }
        },
        headers,
        next);
  }

  private static String clientAddress(SocketAddress address) {
    return address instanceof InetSocketAddress
        ? ((InetSocketAddress) address).getAddress().getHostAddress()
        : String.valueOf(address);
  }
}
