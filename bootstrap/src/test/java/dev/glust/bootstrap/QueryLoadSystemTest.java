package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Heavy queries never starve ingest: with a small ingest pool and more concurrent whole-range text
 * searches than connections, every export is still answered 200 (queries have a pool of their own).
 */
class QueryLoadSystemTest {
  private static final int QUERY_THREADS = 12;
  private static final int EXPORTS = 40;

  @Test
  void everyExportIsStoredWhileQueriesHammerTheDatabase() throws Exception {
    try (RunningGlust glust =
        new RunningGlust(
            Map.of(
                "glust.db.pool-size", 3,
                "glust.db.query-pool-size", 3,
                "glust.db.connect-timeout", "300ms",
                "glust.pipeline.writers", 2))) {
      glust.db.seedLogs(300_000);
      String search =
          "/api/v1/logs?limit=100&q=zq&start="
              + URLEncoder.encode(
                  Instant.now().minus(Duration.ofDays(30)).toString(), StandardCharsets.UTF_8);
      assertThat(glust.get(search).statusCode()).isEqualTo(200);

      AtomicBoolean ingesting = new AtomicBoolean(true);
      AtomicInteger queriesAnswered = new AtomicInteger();
      ExecutorService queries = Executors.newFixedThreadPool(QUERY_THREADS);
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < QUERY_THREADS; i++) {
        running.add(
            queries.submit(
                () -> {
                  while (ingesting.get()) {
                    glust.get(search); // 200, or 503 when the query pool is busy: both fine
                    queriesAnswered.incrementAndGet();
                  }
                  return null;
                }));
      }
      List<Integer> exportStatuses = new ArrayList<>();
      try {
        Thread.sleep(500); // the query threads hold every connection they can get by now
        for (int i = 0; i < EXPORTS; i++) {
          HttpResponse<byte[]> response =
              glust.postOtlp("/v1/logs", "application/json", logs(i).getBytes());
          exportStatuses.add(response.statusCode());
        }
      } finally {
        ingesting.set(false);
        for (Future<?> query : running) {
          query.get();
        }
        queries.shutdown();
      }

      assertThat(queriesAnswered.get()).isGreaterThan(QUERY_THREADS);
      assertThat(exportStatuses).hasSize(EXPORTS).containsOnly(200);
      assertThat(glust.db.queryLong("SELECT count(*) FROM logs WHERE service_name = 'ingest'"))
          .isEqualTo(EXPORTS * 10L);
    }
  }

  private static String logs(int request) {
    long now = System.currentTimeMillis() * 1_000_000L;
    StringBuilder records = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      if (i > 0) {
        records.append(',');
      }
      records.append(
          "{\"timeUnixNano\":\""
              + (now + i)
              + "\",\"body\":{\"stringValue\":\"export "
              + request
              + " record "
              + i
              + "\"}}");
    }
    return "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        + "\"value\":{\"stringValue\":\"ingest\"}}]},\"scopeLogs\":[{\"logRecords\":["
        + records
        + "]}]}]}";
  }

  @Test
  void aQueryLongerThanTheQueryTimeoutIsAnswered503SayingSo() throws Exception {
    try (RunningGlust glust = new RunningGlust(Map.of("glust.query.timeout", "1ms"))) {
      glust.db.seedLogs(200_000);

      HttpResponse<String> response =
          glust.get(
              "/api/v1/logs?q=zq&start="
                  + URLEncoder.encode(
                      Instant.now().minus(Duration.ofDays(1)).toString(), StandardCharsets.UTF_8));

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      assertThat(response.body()).contains("query timeout");
    }
  }
}
