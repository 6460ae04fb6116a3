package dev.glust.adapter.query.loki;

import dev.glust.adapter.query.LogTails;
import dev.glust.adapter.query.loki.LogQl.LogExpr;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.PageRequest;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.sse.Event;
import io.micronaut.json.JsonMapper;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * Loki's live tail, {@code GET /loki/api/v1/tail?query=…} upgraded to a WebSocket: every new line
 * the query matches, as a frame {@code {"streams":[…],"dropped_entries":null}}. The source is the
 * explorer's live tail ({@link LogTails}: its poller, its bound on open tails and its dropping of
 * clients that fall behind); the query's pipeline picks the lines. Lines that existed when the tail
 * opened are the range query's business, not the tail's.
 */
@ServerWebSocket(LokiApiController.BASE + "/tail")
class LokiTailSocket {
  private final LogTails tails;
  private final JsonMapper json;
  private final Map<String, BaseSubscriber<Event<Map<String, Object>>>> open =
      new ConcurrentHashMap<>();

  LokiTailSocket(LogTails tails, JsonMapper json) {
    this.tails = tails;
    this.json = json;
  }

  @OnOpen
  void open(WebSocketSession session, HttpRequest<?> request) {
    Optional<TenantId> tenant = request.getAttribute(LokiApiController.TENANT, TenantId.class);
    if (tenant.isEmpty()) {
      // the access filter did not pass this request: no tenant means no reading
      session.close(CloseReason.POLICY_VIOLATION);
      return;
    }
    LogExpr query;
    try {
      query = LogQlParser.parseLog(request.getParameters().getFirst("query").orElse(""));
    } catch (LogQlException e) {
      session.close(new CloseReason(CloseReason.UNSUPPORTED_DATA.getCode(), clip(e.getMessage())));
      return;
    }
    LogPipeline pipeline = new LogPipeline(query, json);
    BaseSubscriber<Event<Map<String, Object>>> subscriber = new Forwarder(session);
    open.put(session.getId(), subscriber);
    tails
        .open(tenant.get(), range -> search(query, range), record -> frame(pipeline, record))
        .subscribe(subscriber);
  }

  @OnMessage
  void message(String ignored, WebSocketSession session) {
    // Loki's tail takes nothing from its clients
  }

  @OnClose
  void close(WebSocketSession session) {
    BaseSubscriber<Event<Map<String, Object>>> subscriber = open.remove(session.getId());
    if (subscriber != null) {
      subscriber.dispose();
    }
  }

  private static LogSearch search(LogExpr query, TimeRange range) {
    PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
    LogSearch pushed = LogScan.pushedDown(query, range, page);
    return pushed != null
        ? pushed
        : LogScan.pushedDown(LokiQueries.EVERYTHING, range, page); // the pipeline drops all
  }

  /** One line as Loki's tail frame; null when the query's pipeline drops it. */
  private static Map<String, Object> frame(LogPipeline pipeline, LogRecord record) {
    LogPipeline.Passed passed = pipeline.apply(LokiEntries.of(record));
    if (passed == null) {
      return null;
    }
    Map<String, Object> stream = new LinkedHashMap<>();
    stream.put("stream", passed.seriesLabels());
    stream.put("values", List.of(LokiJson.value(passed, false)));
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("streams", List.of(stream));
    frame.put("dropped_entries", null);
    return frame;
  }

  /** A close reason travels in a control frame of at most 125 bytes. */
  private static String clip(String reason) {
    return reason.length() <= 100 ? reason : reason.substring(0, 100);
  }

  /** Sends each line once the previous one left, so a slow client falls behind, not the server. */
  private final class Forwarder extends BaseSubscriber<Event<Map<String, Object>>> {
    private final WebSocketSession session;

    Forwarder(WebSocketSession session) {
      this.session = session;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      request(1);
    }

    @Override
    protected void hookOnNext(Event<Map<String, Object>> event) {
      if ("dropped".equals(event.getName())) {
        session.close(new CloseReason(CloseReason.GOING_AWAY.getCode(), "client too slow"));
        return;
      }
      if (!"log".equals(event.getName())) {
        request(1); // ready, heartbeat, gap and storage notices have no Loki frame
        return;
      }
      String text;
      try {
        text = json.writeValueAsString(event.getData());
      } catch (IOException e) {
        request(1);
        return;
      }
      session
          .sendAsync(text)
          .whenComplete(
              (sent, failure) -> {
                if (failure == null) {
                  request(1);
                } else {
                  dispose();
                }
              });
    }

    @Override
    protected void hookOnComplete() {
      if (session.isOpen()) {
        session.close(CloseReason.NORMAL);
      }
    }
  }
}
