package dev.glust.adapter.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.in.query.log.SearchLogsQuery;
import dev.glust.application.port.model.LogSearch;
import dev.glust.application.port.model.Page;
import dev.glust.application.port.model.PageRequest;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.log.LogRecord;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.testing.SampleTelemetry;
import io.micronaut.http.sse.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

class LogTailTest {
  private static final long NOW = 1_700_000_000_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(NOW);

  /** Storage as the search port sees it: newest first, within the range, up to the limit. */
  private final List<LogRecord> stored = new ArrayList<>();

  private RuntimeException failure;

  /** The tail's tenant: the fake holds records of this tenant only. */
  private static final TenantId ACME = new TenantId("acme");

  private final SearchLogsQuery search =
      (tenant, s) -> {
        if (failure != null) {
          throw failure;
        }
        return new Page<>(
            stored.stream()
                .filter(r -> tenant.equals(ACME))
                .filter(r -> r.effectiveTimeUnixNano() >= s.range().startUnixNano())
                .filter(r -> r.effectiveTimeUnixNano() <= s.range().endUnixNano())
                .sorted(Comparator.comparingLong(LogRecord::effectiveTimeUnixNano).reversed())
                .limit(s.page().limit())
                .toList(),
            Optional.empty());
      };

  private static LogSearch filters(TimeRange range) {
    return new LogSearch(
        Optional.empty(),
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        range,
        PageRequest.first(LogTail.BUFFER_RECORDS));
  }

  private static LogRecord log(String body, long time) {
    LogRecord sample = SampleTelemetry.log(AnyValue.of(body));
    return new LogRecord(
        time,
        time,
        9,
        "INFO",
        AnyValue.of(body),
        sample.attributes(),
        0,
        null,
        null,
        "",
        sample.resource(),
        sample.scope());
  }

  /** A subscriber that asks for {@code initial} events and records what it gets. */
  private static final class Client extends BaseSubscriber<Event<Map<String, Object>>> {
    final List<Event<Map<String, Object>>> events = new ArrayList<>();
    private final long initial;
    boolean completed;

    Client(long initial) {
      this.initial = initial;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      if (initial > 0) {
        request(initial);
      }
    }

    @Override
    protected void hookOnNext(Event<Map<String, Object>> event) {
      events.add(event);
    }

    @Override
    protected void hookOnComplete() {
      completed = true;
    }

    List<String> names() {
      return events.stream().map(Event::getName).toList();
    }

    List<Object> bodies() {
      return events.stream()
          .filter(e -> "log".equals(e.getName()))
          .map(e -> e.getData().get("body"))
          .toList();
    }
  }

  private LogTail open(Client client) {
    return open(client, ApiJson::log);
  }

  private LogTail open(Client client, Function<LogRecord, Map<String, Object>> render) {
    AtomicReference<LogTail> tail = new AtomicReference<>();
    Flux.<Event<Map<String, Object>>>create(
            sink -> {
              tail.set(new LogTail(search, ACME, LogTailTest::filters, clock::get, sink, render));
              sink.onRequest(n -> tail.get().drain());
            },
            FluxSink.OverflowStrategy.BUFFER)
        .subscribe(client);
    return tail.get();
  }

  @Test
  void sendsOnlyRecordsThatArriveAfterItOpenedEachOnce() {
    stored.add(log("before", NOW - SECOND));
    Client client = new Client(Long.MAX_VALUE);
    LogTail tail = open(client);

    tail.poll();
    assertThat(client.names()).containsExactly("ready");

    stored.add(log("new", NOW));
    clock.addAndGet(SECOND / 2);
    tail.poll();
    tail.poll();
    // exported late: older than "new", yet unseen, so still sent
    stored.add(log("late", NOW - SECOND / 2));
    tail.poll();

    assertThat(client.bodies()).containsExactly("new", "late");
    assertThat(client.completed).isFalse();
  }

  @Test
  void anotherApisRenderingShapesTheRecordsAndSkipsThoseItDropsWithNull() {
    Client client = new Client(Long.MAX_VALUE);
    LogTail tail =
        open(
            client,
            r -> {
              String body = ((AnyValue.StringValue) r.body()).value();
              return body.startsWith("keep") ? Map.of("body", body.toUpperCase()) : null;
            });
    tail.poll();
    stored.add(log("keep me", NOW));
    stored.add(log("drop me", NOW + 1));
    clock.addAndGet(SECOND / 2);
    tail.poll();
    tail.poll();

    assertThat(client.bodies()).containsExactly("KEEP ME");
  }

  @Test
  void aClientThatFallsTooFarBehindIsDroppedWithAMessage() {
    Client client = new Client(1);
    LogTail tail = open(client);
    tail.poll(); // the one event asked for: ready

    for (int i = 0; i < LogTail.BUFFER_RECORDS / 2 + 1; i++) {
      stored.add(log("a" + i, NOW + i));
    }
    tail.poll();
    assertThat(tail.isClosed()).isFalse();
    for (int i = 0; i < LogTail.BUFFER_RECORDS / 2 + 1; i++) {
      stored.add(log("b" + i, NOW + SECOND + i));
    }
    tail.poll();

    assertThat(tail.isClosed()).isTrue();
    client.request(Long.MAX_VALUE);
    assertThat(client.names()).containsExactly("ready", "dropped");
    assertThat(client.events.get(1).getData().get("message").toString())
        .contains("fell more than " + LogTail.BUFFER_RECORDS + " records behind");
    assertThat(client.completed).isTrue();
    tail.poll(); // a poll already scheduled finds the tail closed and does nothing
    assertThat(client.names()).hasSize(2);
  }

  @Test
  void storageTroubleIsToldOnceAndTheTailCarriesOn() {
    Client client = new Client(Long.MAX_VALUE);
    LogTail tail = open(client);
    tail.poll();
    failure = new StorageUnavailableException("database down", null);
    tail.poll();
    tail.poll();
    failure = null;
    stored.add(log("back", NOW));
    tail.poll();

    assertThat(client.names()).containsExactly("ready", "unavailable", "log");
  }

  @Test
  void aQuietTailSendsHeartbeatsSoDeadClientsAreNoticed() {
    Client client = new Client(Long.MAX_VALUE);
    LogTail tail = open(client);
    tail.poll();
    clock.addAndGet(16 * SECOND);
    tail.poll();
    tail.poll();

    assertThat(client.names()).containsExactly("ready", "heartbeat");
  }
}
