package dev.glust.adapter.query;

import dev.glust.application.port.in.query.log.SearchLogsQuery;
import dev.glust.application.port.model.LogSearch;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.sse.Event;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The open live tails: each polls the log search every {@link #POLL_MILLIS} ms on a small scheduler
 * of its own, so tails cost query threads, never ingest threads; at most {@link #MAX_TAILS} at
 * once.
 */
@Singleton
public class LogTails {
  static final long POLL_MILLIS = 500;
  static final int MAX_TAILS = 32;

  private final SearchLogsQuery logs;
  private final AtomicInteger open = new AtomicInteger();
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          2,
          task -> {
            Thread t = new Thread(task, "glust-log-tail");
            t.setDaemon(true);
            return t;
          });

  LogTails(SearchLogsQuery logs) {
    this.logs = logs;
  }

  Publisher<Event<Map<String, Object>>> open(
      TenantId tenant, Function<TimeRange, LogSearch> filters) {
    return open(tenant, filters, ApiJson::log);
  }

  /**
   * A tail for another API's clients (the Loki-compatible one): records as {@code render} shapes
   * them, events named {@code log}; null from {@code render} skips a record.
   */
  public Publisher<Event<Map<String, Object>>> open(
      TenantId tenant,
      Function<TimeRange, LogSearch> filters,
      Function<LogRecord, Map<String, Object>> render) {
    return Flux.create(
        sink -> {
          if (open.incrementAndGet() > MAX_TAILS) {
            open.decrementAndGet();
            sink.next(
                Event.<Map<String, Object>>of(
                        Map.of(
                            "message", "too many live tails open (" + MAX_TAILS + "); try later"))
                    .name("dropped"));
            sink.complete();
            return;
          }
          LogTail tail = new LogTail(logs, tenant, filters, Clock::nowUnixNano, sink, render);
          ScheduledFuture<?> polling =
              scheduler.scheduleWithFixedDelay(tail::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
          sink.onRequest(n -> tail.drain());
          sink.onDispose(
              () -> {
                polling.cancel(false);
                tail.close();
                open.decrementAndGet();
              });
        },
        // Only the final "dropped" notice is ever sent beyond demand; LogTail bounds the rest.
        FluxSink.OverflowStrategy.BUFFER);
  }

  int openTails() {
    return open.get();
  }

  @PreDestroy
  void close() {
    scheduler.shutdownNow();
  }
}
