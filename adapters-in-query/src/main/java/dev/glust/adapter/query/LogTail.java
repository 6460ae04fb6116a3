package dev.glust.adapter.query;

import dev.glust.application.port.in.query.log.SearchLogsQuery;
import dev.glust.application.port.model.LogSearch;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.sse.Event;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import reactor.core.publisher.FluxSink;

/**
 * One live-tail subscriber. It only reads through the public log search, newest first, over a
 * window around now; records it has not sent yet go to a bounded buffer that drains as fast as the
 * client takes them. Ingestion never waits for it: a client too slow to keep up is dropped with a
 * {@code dropped} event instead of holding records.
 *
 * <p>The window reaches {@link #WINDOW_NANOS} back, so records exported late (SDK batching,
 * retries) still show up; records seen are remembered for as long as they stay in the window. Two
 * records identical in every field (time to the nanosecond included) are shown once.
 */
final class LogTail {
  static final long WINDOW_NANOS = 30_000_000_000L;

  /** Records a client may fall behind by, and the most one poll reads. */
  static final int BUFFER_RECORDS = 1000;

  private static final long HEARTBEAT_NANOS = 15_000_000_000L;

  private final SearchLogsQuery logs;
  private final TenantId tenant;
  private final Function<TimeRange, LogSearch> filters;
  private final LongSupplier clock;
  private final FluxSink<Event<Map<String, Object>>> sink;
  private final Function<LogRecord, Map<String, Object>> render;

  /** The JSON of each record sent (or present when the tail opened), with its time. */
  private final Map<Map<String, Object>, Long> seen = new HashMap<>();

  private final ArrayDeque<Event<Map<String, Object>>> pending = new ArrayDeque<>();
  private int pendingRecords;
  private boolean started;
  private boolean closed;
  private boolean storageFailing;
  private long lastSentUnixNano;

  LogTail(
      SearchLogsQuery logs,
      TenantId tenant,
      Function<TimeRange, LogSearch> filters,
      LongSupplier clock,
      FluxSink<Event<Map<String, Object>>> sink) {
    this(logs, tenant, filters, clock, sink, ApiJson::log);
  }

  /**
   * With the JSON each record is sent as; {@code render} answers null for a record the search found
   * but the tail's client does not want (filters the search cannot express).
   */
  LogTail(
      SearchLogsQuery logs,
      TenantId tenant,
      Function<TimeRange, LogSearch> filters,
      LongSupplier clock,
      FluxSink<Event<Map<String, Object>>> sink,
      Function<LogRecord, Map<String, Object>> render) {
    this.logs = logs;
    this.tenant = tenant;
    this.filters = filters;
    this.clock = clock;
    this.sink = sink;
    this.render = render;
  }

  /** Reads what arrived since the last poll. Runs on the tail scheduler, never concurrently. */
  void poll() {
    if (isClosed()) {
      return;
    }
    long now = clock.getAsLong();
    List<LogRecord> newestFirst;
    try {
      newestFirst =
          logs.searchLogs(
                  tenant, filters.apply(new TimeRange(now - WINDOW_NANOS, now + WINDOW_NANOS)))
              .items();
    } catch (RuntimeException e) {
      synchronized (this) {
        if (!storageFailing) {
          storageFailing = true;
          enqueue(notice("unavailable", "cannot read logs now (" + e.getMessage() + "); retrying"));
        }
        drain();
      }
      return;
    }
    synchronized (this) {
      storageFailing = false;
      receive(newestFirst, now);
      if (pendingRecords > BUFFER_RECORDS) {
        drop();
        return;
      }
      if (pending.isEmpty() && now - lastSentUnixNano > HEARTBEAT_NANOS) {
        enqueue(notice("heartbeat", "still tailing"));
      }
      drain();
    }
  }

  private void receive(List<LogRecord> newestFirst, long now) {
    seen.values().removeIf(time -> time < now - WINDOW_NANOS);
    int fresh = 0;
    for (int i = newestFirst.size() - 1; i >= 0; i--) { // oldest first, as a tail reads
      LogRecord record = newestFirst.get(i);
      Map<String, Object> json = render.apply(record);
      if (json == null) {
        continue;
      }
      if (seen.putIfAbsent(json, record.effectiveTimeUnixNano()) == null && started) {
        fresh++;
        pendingRecords++;
        pending.add(Event.of(json).name("log"));
      }
    }
    if (!started) {
      started = true; // what exists when the tail opens is the page's business, not the tail's
      enqueue(notice("ready", "tailing"));
    } else if (fresh == BUFFER_RECORDS) {
      enqueue(
          notice(
              "gap",
              "more than " + BUFFER_RECORDS + " new records in one poll; some were skipped"));
    }
  }

  /** Sends what the client has asked for; called after each poll and on each client request. */
  synchronized void drain() {
    while (!closed && !pending.isEmpty() && sink.requestedFromDownstream() > 0) {
      Event<Map<String, Object>> event = pending.poll();
      if ("log".equals(event.getName())) {
        pendingRecords--;
      }
      lastSentUnixNano = clock.getAsLong();
      sink.next(event);
    }
  }

  private void drop() {
    closed = true;
    pending.clear();
    // beyond the client's demand: the sink holds this one last event for it
    sink.next(
        notice(
            "dropped",
            "live tail stopped: the client fell more than "
                + BUFFER_RECORDS
                + " records behind; narrow the filters or reconnect"));
    sink.complete();
  }

  synchronized void close() {
    closed = true;
    pending.clear();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  private void enqueue(Event<Map<String, Object>> event) {
    pending.add(event);
  }

  private static Event<Map<String, Object>> notice(String name, String message) {
    return Event.<Map<String, Object>>of(Map.of("message", message)).name(name);
  }
}
