package dev.glust.adapter.otlp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes one connection's responses in the order its requests came. Requests are answered when
 * their records are committed, on other threads, so a pipelining HTTP/1.1 client (several requests
 * in flight on one connection) would otherwise get a later request's answer first and take it for
 * the earlier one's. Each request takes a ticket as it is read (on the event loop, so in arrival
 * order); an answer waits here until every earlier ticket has been answered.
 */
final class ResponseOrder {
  private static final AttributeKey<ResponseOrder> KEY =
      AttributeKey.valueOf(ResponseOrder.class, "responseOrder");

  private final Channel channel;
  // all fields are touched on the channel's event loop only
  private final Map<Long, Answer> waiting = new HashMap<>();
  private long nextTicket;
  private long nextToWrite;

  /** No answer after this ticket is written: the connection closes after it. */
  private long lastTicket = Long.MAX_VALUE;

  private boolean closeWhenAnswered;

  private record Answer(FullHttpResponse response, boolean keepAlive) {}

  private ResponseOrder(Channel channel) {
    this.channel = channel;
  }

  /** The order of this connection; on its event loop. */
  static ResponseOrder of(Channel channel) {
    ResponseOrder order = channel.attr(KEY).get();
    if (order == null) {
      order = new ResponseOrder(channel);
      channel.attr(KEY).set(order); // set on the event loop only: no race
    }
    return order;
  }

  /**
   * The place in line of a request just read; called on the event loop, once per request, by the
   * handler that will answer it.
   */
  static Slot take(Channel channel, HttpMessage request) {
    ResponseOrder order = of(channel);
    return new Slot(order, order.nextTicket++, HttpUtil.isKeepAlive(request));
  }

  /** One request's place in line: its answer goes here. */
  record Slot(ResponseOrder order, long ticket, boolean keepAlive) {
    /** Answers the request, from any thread; written once the earlier requests' answers are. */
    void answer(FullHttpResponse response) {
      order.answer(ticket, response, keepAlive);
    }
  }

  /** false {@code keepAlive} closes the connection after this answer (later ones are dropped). */
  private void answer(long ticket, FullHttpResponse response, boolean keepAlive) {
    response
        .headers()
        .set(
            HttpHeaderNames.CONNECTION,
            keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    Answer answer = new Answer(response, keepAlive);
    if (channel.eventLoop().inEventLoop()) {
      arrived(ticket, answer);
      return;
    }
    try {
      channel.eventLoop().execute(() -> arrived(ticket, answer));
    } catch (RejectedExecutionException e) { // shut down: the connection is gone anyway
      ReferenceCountUtil.release(response);
    }
  }

  /**
   * Answers with {@code Connection: close} but leaves the connection open: the caller closes it
   * with {@link #closeWhenAnswered()} once the client has finished sending (a lingering close).
   */
  void answerLast(Slot slot, FullHttpResponse response) {
    long ticket = slot.ticket();
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    lastTicket = Math.min(lastTicket, ticket);
    arrived(ticket, new Answer(response, true)); // on the event loop: called by a channel handler
  }

  /** Closes the connection as soon as every answer up to the last one is written. */
  void closeWhenAnswered() {
    closeWhenAnswered = true;
    if (nextToWrite > lastTicket) {
      channel.close();
    }
  }

  private void arrived(long ticket, Answer answer) {
    if (ticket > lastTicket || !channel.isActive()) {
      ReferenceCountUtil.release(answer.response());
      return;
    }
    waiting.put(ticket, answer);
    for (Answer next = waiting.remove(nextToWrite);
        next != null;
        next = waiting.remove(nextToWrite)) {
      long written = nextToWrite++;
      var future = channel.writeAndFlush(next.response());
      if (!next.keepAlive()) {
        lastTicket = Math.min(lastTicket, written);
        closeWhenAnswered = true;
      }
      if (written == lastTicket) {
        waiting.values().forEach(dropped -> ReferenceCountUtil.release(dropped.response()));
        waiting.clear();
        if (closeWhenAnswered) {
          future.addListener(ChannelFutureListener.CLOSE);
        }
        return;
      }
    }
  }
}
