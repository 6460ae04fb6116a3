package dev.glust.adapter.otlp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The Netty server behind OTLP/HTTP. */
final class OtlpHttpServer implements AutoCloseable {
  private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
  private final Channel channel;

  /**
   * @param tls when present, connections speak TLS
   * @param accessHandler a new per-connection access (and tenant) check before the handler
   */
  OtlpHttpServer(
      String host,
      int port,
      OtlpHttpHandler handler,
      int maxRequestBytes,
      Optional<SslContext> tls,
      Supplier<OtlpHttpAccessHandler> accessHandler)
      throws InterruptedException {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    tls.ifPresent(context -> ch.pipeline().addLast(context.newHandler(ch.alloc())));
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new CappedAggregator(maxRequestBytes));
                    ch.pipeline().addLast(accessHandler.get());
                    ch.pipeline().addLast(handler);
                  }
                });
    channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Takes no new connections; open ones stay, so waiting requests can still be answered. */
  void stopAccepting() {
    channel.close().syncUninterruptibly();
  }

  @Override
  public void close() {
    stopAccepting();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * Caps the bytes as they arrive (a compressed body over the limit cannot decompress under it) and
   * answers 413 with an OTLP status body instead of Netty's bare one.
   */
  private static final class CappedAggregator extends HttpObjectAggregator {
    private static final int LINGER_SECONDS = 5;
    private final int maxRequestBytes;
    private ResponseOrder order; // set once a request was too large: the connection then closes

    CappedAggregator(int maxRequestBytes) {
      super(maxRequestBytes);
      this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      String type = OtlpHttpHandler.mediaType(oversized.headers().get("Content-Type"));
      String replyType = OtlpHttpHandler.PROTOBUF.equals(type) ? type : OtlpHttpHandler.JSON;
      OtlpError error =
          OtlpErrorTranslator.translate(new RequestTooLargeException(maxRequestBytes));
      FullHttpResponse answer = OtlpHttpHandler.error(replyType, error);
      order = ResponseOrder.of(ctx.channel());
      order.answerLast(ResponseOrder.take(ctx.channel(), oversized), answer);
      HttpUtil.setKeepAlive(oversized, false);
      // Lingering close: the rest of the body is still on the wire. Closing now would reset the
      // connection under a client that is still writing, which then never reads the 413 and
      // retries as after a network error (found by the fuzz tests). So the aggregator discards
      // the rest of the body, and the connection closes when it is in, or after LINGER at most.
      ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      boolean last = msg instanceof LastHttpContent;
      super.channelRead(ctx, msg);
      if (last && order != null) {
        order.closeWhenAnswered(); // after any earlier request's answer, in order
      }
    }
  }
}
