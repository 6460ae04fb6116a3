package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoints the web explorer added, over real HTTP against the whole application: the log
 * volume histogram, service activity and the live tail (Server-Sent Events).
 */
class ExplorerApiSystemTest {
  private static RunningGlust glust;
  private static ExplorerSample sample;

  @BeforeAll
  static void start() throws Exception {
    glust = new RunningGlust();
    sample = new ExplorerSample();
    sample.send(glust);
  }

  private static JsonObject getJson(String path) throws Exception {
    HttpResponse<String> response = glust.get(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  @Test
  void theHistogramCountsMatchingRecordsPerSliceAndLevel() throws Exception {
    JsonObject all =
        getJson(
            "/api/v1/logs/histogram?buckets=60&service="
                + ExplorerSample.BACKGROUND
                + "&start="
                + hourAgo());
    JsonArray buckets = all.getAsJsonArray("buckets");
    assertThat(buckets.size()).isEqualTo(60);
    long total = 0;
    for (JsonElement b : buckets) {
      total += b.getAsJsonObject().get("total").getAsLong();
    }
    assertThat(total).isEqualTo(sample.backgroundCount());

    JsonObject errors =
        getJson(
            "/api/v1/logs/histogram?buckets=10&service=payments&minSeverity=ERROR&start="
                + hourAgo());
    JsonObject last = null;
    long errorTotal = 0;
    for (JsonElement b : errors.getAsJsonArray("buckets")) {
      errorTotal += b.getAsJsonObject().get("total").getAsLong();
      if (b.getAsJsonObject().get("total").getAsLong() > 0) {
        last = b.getAsJsonObject();
      }
    }
    assertThat(errorTotal).isEqualTo(1);
    assertThat(last.getAsJsonObject("counts").toString()).isEqualTo("{\"ERROR\":1}");
  }

  @Test
  void histogramParametersAreChecked() throws Exception {
    for (String query : List.of("buckets=0", "buckets=1001", "buckets=many", "minSeverity=LOUD")) {
      HttpResponse<String> response = glust.get("/api/v1/logs/histogram?" + query);
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(response.body()).as(query).contains("\"parameter\"");
    }
  }

  @Test
  void serviceActivityCountsSpansLogsAndErrors() throws Exception {
    JsonArray services =
        getJson("/api/v1/services/activity?start=" + hourAgo()).getAsJsonArray("services");
    JsonObject payments = null;
    for (JsonElement s : services) {
      if (s.getAsJsonObject().get("name").getAsString().equals("payments")) {
        payments = s.getAsJsonObject();
      }
    }
    assertThat(payments.toString())
        .isEqualTo(
            "{\"name\":\"payments\",\"spanCount\":2,\"errorSpanCount\":1,\"logCount\":2,"
                + "\"errorLogCount\":1}");
  }

  private static String hourAgo() {
    return Long.toString(ExplorerSample.nowNanos() - 3_600_000_000_000L);
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  /** The stream's lines, read on their own thread. */
  private static BlockingQueue<String> subscribe(String query) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + glust.server.getPort() + "/api/v1/logs/tail?" + query))
            .header("Accept", "text/event-stream")
            .build();
    HttpClient.newHttpClient()
        .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
        .thenAccept(
            response -> {
              lines.add("status " + response.statusCode());
              try (Stream<String> body = response.body()) {
                body.forEach(lines::add);
              }
            });
    return lines;
  }

  private static void awaitLine(BlockingQueue<String> lines, String wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null) {
        seen.add(line);
        if (line.contains(wanted)) {
          return;
        }
      }
    }
    throw new AssertionError("no line with " + wanted + " in " + seen);
  }

  /** Every data line of "log" events that arrives within the wait. */
  private static List<String> logsWithin(BlockingQueue<String> lines, Duration wait)
      throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> logs = new ArrayList<>();
    boolean inLog = false;
    while (System.nanoTime() < deadline) {
      String line = lines.poll(50, TimeUnit.MILLISECONDS);
      if (line == null) {
        continue;
      }
      if (line.startsWith("event:")) {
        inLog = line.substring(6).trim().equals("log");
      } else if (inLog && line.startsWith("data:")) {
        logs.add(line);
      }
    }
    return logs;
  }

  @Test
  void aSubscriberReceivesTheNewRecordsThatMatchItsFilters() throws Exception {
    BlockingQueue<String> lines = subscribe("service=tail-a&q=needle");
    awaitLine(lines, "status 200");
    awaitLine(lines, "ready");

    ExplorerSample.sendLog(glust, "tail-a", 9, "needle one");
    ExplorerSample.sendLog(glust, "tail-b", 9, "needle of another service");
    ExplorerSample.sendLog(glust, "tail-a", 9, "hay");
    ExplorerSample.sendLog(glust, "tail-a", 17, "needle two");

    List<String> received = logsWithin(lines, Duration.ofSeconds(3));
    assertThat(received).hasSize(2);
    assertThat(received.get(0)).contains("\"needle one\"").contains("\"serviceName\":\"tail-a\"");
    assertThat(received.get(1)).contains("\"needle two\"").contains("\"severityNumber\":17");
  }

  @Test
  void badFiltersAreRefusedBeforeTheStreamStarts() throws Exception {
    HttpResponse<String> response = glust.get("/api/v1/logs/tail?minSeverity=LOUD");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"parameter\":\"minSeverity\"");
  }

  /**
   * A client that never reads: once the socket buffers are full it falls behind, is dropped with a
   * message, and every export meanwhile is acknowledged.
   */
  @Test
  void aStalledSubscriberDoesNotBlockIngestionAndIsDropped() throws Exception {
    try (Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", glust.server.getPort()));
      OutputStream out = stalled.getOutputStream();
      out.write(
          ("GET /api/v1/logs/tail?service=flood HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Accept: text/event-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(1000); // the tail has taken its baseline

      String padding = "x".repeat(1000);
      long started = System.nanoTime();
      for (int request = 0; request < 40; request++) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          records.add(
              "{\"timeUnixNano\": \""
                  + ExplorerSample.nowNanos()
                  + "\", \"severityNumber\": 9, \"body\": {\"stringValue\": \"flood "
                  + request
                  + "/"
                  + i
                  + " "
                  + padding
                  + "\"}}");
        }
        String body =
            "{\"resourceLogs\": [{\"resource\": {\"attributes\": [{\"key\": \"service.name\","
                + " \"value\": {\"stringValue\": \"flood\"}}]}, \"scopeLogs\": [{\"logRecords\": ["
                + String.join(",", records)
                + "]}]}]}";
        assertThat(
                glust
                    .postOtlp("/v1/logs", "application/json", body.getBytes(StandardCharsets.UTF_8))
                    .statusCode())
            .isEqualTo(200);
        Thread.sleep(50); // spread over several polls, as a busy service would send
      }
      Duration ingest = Duration.ofNanos(System.nanoTime() - started);
      assertThat(ingest).isLessThan(Duration.ofSeconds(60));

      // Now read what the server sent before it gave up on this client.
      stalled.setSoTimeout(500);
      InputStream in = stalled.getInputStream();
      StringBuilder received = new StringBuilder();
      byte[] buffer = new byte[65536];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && received.indexOf("event: dropped") < 0) {
        try {
          int n = in.read(buffer);
          if (n < 0) {
            break;
          }
          received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        } catch (SocketTimeoutException quiet) {
          // nothing yet
        }
      }
      assertThat(received.toString())
          .contains("event: ready")
          .contains("event: dropped")
          .contains("fell more than 1000 records behind");
    }
  }
}
