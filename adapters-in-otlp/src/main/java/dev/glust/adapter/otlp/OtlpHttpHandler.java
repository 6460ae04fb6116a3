package dev.glust.adapter.otlp;

import com.google.protobuf.Message;
import com.google.rpc.Status;
import dev.glust.domain.tenant.TenantId;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP: routes {@code POST /v1/traces}, {@code /v1/logs} and {@code /v1/metrics} on the event
 * loop, decodes protobuf or JSON (gzip, zstd or deflate allowed) on the decode workers and hands
 * the records to the ingest pipeline without blocking; the reply (in the request's content type) is
 * written when the pipeline has committed them.
 */
@ChannelHandler.Sharable
final class OtlpHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpHandler.class);
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  private final List<OtlpSignal<?, ?>> signals;
  private final int maxRequestBytes;
  private final ExportMeter meter;
  private final DecodeWorkers workers;

  OtlpHttpHandler(
      List<OtlpSignal<?, ?>> signals,
      int maxRequestBytes,
      ExportMeter meter,
      DecodeWorkers workers) {
    this.signals = List.copyOf(signals);
    this.maxRequestBytes = maxRequestBytes;
    this.meter = meter;
    this.workers = workers;
  }

  /** The tenant OtlpHttpAccessHandler decided for the request it passes on, taken at once. */
  static final AttributeKey<TenantId> TENANT = AttributeKey.valueOf("glust-tenant");

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    TenantId tenant =
        Objects.requireNonNull(
            ctx.channel().attr(TENANT).getAndSet(null), "the access handler runs first");
    ResponseOrder.Slot slot = ResponseOrder.take(ctx.channel(), request);
    String contentType = mediaType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    String replyType = PROTOBUF.equals(contentType) ? PROTOBUF : JSON;
    OtlpSignal<?, ?> signal = route(signals, request.uri());
    if (signal == null) {
      slot.answer(error(replyType, OtlpErrorTranslator.http(404, "unknown path " + request.uri())));
      return;
    }
    if (!HttpMethod.POST.equals(request.method())) {
      FullHttpResponse response =
          error(
              replyType,
              OtlpErrorTranslator.http(405, "only POST is allowed on " + signal.httpPath()));
      response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.POST.name());
      slot.answer(response);
      return;
    }
    request.retain(); // released by the worker: the event loop moves on to the next read
    try {
      workers.execute(
          () -> {
            try {
              export(slot, tenant, request, signal, contentType, replyType);
            } finally {
              request.release();
            }
          });
    } catch (RejectedExecutionException e) { // shutting down: nothing decodes any more
      request.release();
      slot.answer(error(replyType, OtlpErrorTranslator.translate(new ReceiverBusyException())));
    }
  }

  private void export(
      ResponseOrder.Slot slot,
      TenantId tenant,
      FullHttpRequest request,
      OtlpSignal<?, ?> signal,
      String contentType,
      String replyType) {
    long start = DecodeWorkers.arrivedAt();
    boolean selfTelemetry = request.headers().contains(OtlpReceivers.SELF_TELEMETRY_HEADER);
    Message decoded = null;
    try {
      workers.refuseIfOverloaded();
      checkContentType(contentType);
      byte[] body = body(request); // 413 for an oversized body comes before "full, retry"
      signal.checkCapacity(body.length);
      decoded = PROTOBUF.equals(contentType) ? signal.parseProtobuf(body) : signal.parseJson(body);
      Message exported = decoded;
      signal
          .exportMessage(tenant, decoded, body.length)
          .whenComplete(
              (response, failure) -> {
                OtlpError error = failure == null ? null : OtlpErrorTranslator.translate(failure);
                meter.finished(
                    signal.name(), start, exported, response, error, selfTelemetry, tenant);
                slot.answer(error == null ? ok(replyType, response) : error(replyType, error));
              });
    } catch (RuntimeException e) { // malformed, too large, unsupported, busy or pipeline full
      OtlpError error = OtlpErrorTranslator.translate(e);
      meter.finished(signal.name(), start, decoded, null, error, selfTelemetry, tenant);
      slot.answer(error(replyType, error));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("closing OTLP/HTTP connection after an I/O error", cause);
    ctx.close();
  }

  /** The signal a request URI names, or null. */
  static OtlpSignal<?, ?> route(List<OtlpSignal<?, ?>> signals, String uri) {
    String path = new QueryStringDecoder(uri).path();
    String normalized = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    for (OtlpSignal<?, ?> signal : signals) {
      if (signal.httpPath().equals(normalized)) {
        return signal;
      }
    }
    return null;
  }

  private static void checkContentType(String contentType) {
    if (!PROTOBUF.equals(contentType) && !JSON.equals(contentType)) {
      throw new UnsupportedMediaTypeException(
          "Content-Type must be " + PROTOBUF + " or " + JSON + ", got '" + contentType + "'");
    }
  }

  /** Decompresses with a hard cap, so a small compression bomb cannot inflate beyond the limit. */
  private byte[] body(FullHttpRequest request) {
    ContentEncoding encoding =
        ContentEncoding.of(request.headers().get(HttpHeaderNames.CONTENT_ENCODING));
    try (InputStream in = encoding.decode(new ByteBufInputStream(request.content()))) {
      byte[] body = in.readNBytes(maxRequestBytes + 1);
      if (body.length > maxRequestBytes) {
        throw new RequestTooLargeException(maxRequestBytes);
      }
      return body;
    } catch (IOException e) {
      throw new MalformedRequestException(
          "body is not valid " + encoding + ": " + e.getMessage(), e);
    }
  }

  static FullHttpResponse error(String replyType, OtlpError error) {
    Status status =
        Status.newBuilder().setCode(error.grpcCode().value()).setMessage(error.message()).build();
    FullHttpResponse response =
        respond(HttpResponseStatus.valueOf(error.httpStatus()), replyType, status);
    if (error.retryable()) {
      response.headers().set(HttpHeaderNames.RETRY_AFTER, error.retryAfterSeconds());
    }
    return response;
  }

  private static FullHttpResponse ok(String replyType, Message message) {
    return respond(HttpResponseStatus.OK, replyType, message);
  }

  private static FullHttpResponse respond(
      HttpResponseStatus status, String replyType, Message message) {
    byte[] bytes =
        PROTOBUF.equals(replyType)
            ? message.toByteArray()
            : OtlpJson.print(message).getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, replyType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return response;
  }

  /** {@code application/json; charset=utf-8} → {@code application/json}. */
  static String mediaType(String header) {
    if (header == null) {
      return "";
    }
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }
}
