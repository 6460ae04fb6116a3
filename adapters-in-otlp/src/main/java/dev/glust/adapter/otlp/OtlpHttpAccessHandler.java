package dev.glust.adapter.otlp;

import dev.glust.application.port.in.AccessDecision;
import dev.glust.application.port.in.CheckAccessUseCase;
import dev.glust.application.port.in.RateLimitStatus;
import dev.glust.application.port.in.Scope;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * OTLP/HTTP's door: checks each request's API key and rate limit before it is decoded, answers a
 * refusal itself (401, 403, 429 with Retry-After), and puts the client's {@code X-RateLimit-*}
 * headers on every answer. One instance per connection: it remembers the bucket of the request
 * being answered (OTLP clients send one request at a time per connection; a pipelining client's
 * answers may carry the headers of its latest request).
 */
final class OtlpHttpAccessHandler extends ChannelDuplexHandler {
  private final CheckAccessUseCase access;
  private final List<OtlpSignal<?, ?>> signals;
  private final ExportMeter meter;
  private RateLimitStatus rateLimit;

  OtlpHttpAccessHandler(
      CheckAccessUseCase access, List<OtlpSignal<?, ?>> signals, ExportMeter meter) {
    this.access = access;
    this.signals = signals;
    this.meter = meter;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest)) {
      ctx.fireChannelRead(msg);
      return;
    }
    FullHttpRequest request = (FullHttpRequest) msg;
    long start = System.nanoTime();
    HttpHeaders headers = request.headers();
    AccessDecision decision =
        access.check(
            headers.get(HttpHeaderNames.AUTHORIZATION),
            headers.get("X-API-Key"),
            headers.get(CheckAccessUseCase.TENANT_HEADER),
            Scope.INGEST,
            clientAddress(ctx));
    rateLimit = decision.rateLimit().orElse(null);
    if (decision.allowed()) {
      // read by OtlpHttpHandler within this call: the channel's requests pass one at a time
      ctx.channel().attr(OtlpHttpHandler.TENANT).set(decision.tenant());
      ctx.fireChannelRead(request);
      return;
    }
    try {
      OtlpError error = OtlpErrorTranslator.access(decision);
      String type = OtlpHttpHandler.mediaType(headers.get(HttpHeaderNames.CONTENT_TYPE));
      FullHttpResponse response =
          OtlpHttpHandler.error(
              OtlpHttpHandler.PROTOBUF.equals(type) ? type : OtlpHttpHandler.JSON, error);
      addRateLimitHeaders(response);
      ResponseOrder.take(ctx.channel(), request).answer(response);
      OtlpSignal<?, ?> signal = OtlpHttpHandler.route(signals, request.uri());
      if (signal != null) {
        meter.finished(
            signal.name(),
            start,
            null,
            null,
            error,
            headers.contains(OtlpReceivers.SELF_TELEMETRY_HEADER),
            null);
      }
    } finally {
      request.release();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse) {
      addRateLimitHeaders((HttpResponse) msg);
    }
    ctx.write(msg, promise);
  }

  private void addRateLimitHeaders(HttpResponse response) {
    if (rateLimit != null) {
      OtlpRateLimitHeaders.of(rateLimit).forEach(response.headers()::set);
    }
  }

  private static String clientAddress(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress
        ? ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress()
        : String.valueOf(ctx.channel().remoteAddress());
  }
}
