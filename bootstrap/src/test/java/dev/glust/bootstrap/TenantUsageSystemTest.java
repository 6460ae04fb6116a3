package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two tenants, each with its own ingest key, send spans, logs and metrics; {@code
 * /api/v1/tenants/usage} counts them per tenant and signal for a key with the admin scope only, and
 * a retried export changes no count.
 */
class TenantUsageSystemTest {
  private static final String KEYS =
      "ingest-a:ingest@acme,ingest-b:ingest@beta,q:query@acme,ops:query+admin@*";

  /** Spans, log records and data points each tenant sends. */
  private static final Map<String, int[]> SENT =
      Map.of("acme", new int[] {3, 2, 4}, "beta", new int[] {1, 5, 2});

  private static RunningGlust glust;

  @BeforeAll
  static void sendForTwoTenants() throws Exception {
    glust = new RunningGlust(Map.of("glust.security.api-keys", KEYS));
    long now = ExplorerSample.nowNanos();
    for (int pass = 0; pass < 2; pass++) { // the second pass is a retried export of the same
      send("acme", "ingest-a", now);
      send("beta", "ingest-b", now);
    }
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  @Test
  void anAdminKeySeesEachTenantsRecordsPerSignalOnceAndTheirBytes() throws Exception {
    HttpResponse<String> response =
        glust.get("/api/v1/tenants/usage", "Authorization", "Bearer ops");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

    Map<String, Long> records = new TreeMap<>();
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    for (JsonElement element :
        JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("usage")) {
      JsonObject row = element.getAsJsonObject();
      String key = row.get("tenant").getAsString() + " " + row.get("signal").getAsString();
      records.merge(key, row.get("records").getAsLong(), Long::sum);
      assertThat(row.get("day").getAsString()).as(key).isIn(today, previousDay(today));
      assertThat(row.get("writtenBytes").getAsLong()).as(key).isPositive();
      assertThat(row.get("storedBytesEstimate").getAsLong()).as(key).isPositive();
    }
    assertThat(records)
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "acme traces", 3L,
                    "acme logs", 2L,
                    "acme metrics", 4L,
                    "beta traces", 1L,
                    "beta logs", 5L,
                    "beta metrics", 2L)));
  }

  @Test
  void aQueryKeyIsForbiddenAndNoKeyUnauthorized() throws Exception {
    assertThat(glust.get("/api/v1/tenants/usage", "Authorization", "Bearer q").statusCode())
        .isEqualTo(403);
    assertThat(glust.get("/api/v1/tenants/usage").statusCode()).isEqualTo(401);
    // the scope goes with the route, however the path is spelled
    assertThat(glust.get("/api/v1//tenants/usage", "Authorization", "Bearer q").statusCode())
        .isIn(403, 404);
  }

  @Test
  void aRangeBeyondTheMaximumIsRefused() throws Exception {
    assertThat(
            glust
                .get(
                    "/api/v1/tenants/usage?start=2020-01-01T00:00:00Z",
                    "Authorization",
                    "Bearer ops")
                .statusCode())
        .isEqualTo(400);
  }

  private static String previousDay(String day) {
    return LocalDate.parse(day).minusDays(1).toString();
  }

  private static void send(String tenant, String key, long now) throws Exception {
    int[] counts = SENT.get(tenant);
    post("/v1/traces", key, spans(tenant, counts[0], now));
    post("/v1/logs", key, logs(tenant, counts[1], now));
    post("/v1/metrics", key, points(tenant, counts[2], now));
  }

  private static void post(String path, String key, JsonObject body) throws Exception {
    HttpResponse<byte[]> response =
        glust.postOtlp(
            path,
            "application/json",
            body.toString().getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + key);
    assertThat(response.statusCode())
        .as(path + " " + new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
  }

  private static JsonObject spans(String tenant, int count, long now) {
    String trace = tenant.equals("acme") ? "a".repeat(32) : "b".repeat(32);
    JsonArray spans = new JsonArray();
    for (int i = 0; i < count; i++) {
      JsonObject span = new JsonObject();
      span.addProperty("traceId", trace);
      span.addProperty("spanId", String.format("%016x", i + 1));
      span.addProperty("name", "GET /" + i);
      span.addProperty("startTimeUnixNano", Long.toString(now - i * 1_000_000L));
      span.addProperty("endTimeUnixNano", Long.toString(now - i * 1_000_000L + 5_000_000L));
      spans.add(span);
    }
    return OtlpJsonBodies.envelope("resourceSpans", "scopeSpans", "spans", spans, tenant + "-shop");
  }

  private static JsonObject logs(String tenant, int count, long now) {
    JsonArray records = new JsonArray();
    for (int i = 0; i < count; i++) {
      JsonObject log = new JsonObject();
      log.addProperty("timeUnixNano", Long.toString(now - i * 1_000_000L));
      log.addProperty("severityNumber", 9);
      JsonObject body = new JsonObject();
      body.addProperty("stringValue", "usage " + tenant + " " + i);
      log.add("body", body);
      records.add(log);
    }
    return OtlpJsonBodies.envelope(
        "resourceLogs", "scopeLogs", "logRecords", records, tenant + "-shop");
  }

  private static JsonObject points(String tenant, int count, long now) {
    JsonArray dataPoints = new JsonArray();
    IntStream.range(0, count)
        .forEach(
            i -> {
              JsonObject point = new JsonObject();
              point.addProperty("timeUnixNano", Long.toString(now - i * 1_000_000_000L));
              point.addProperty("asDouble", i + 0.5);
              dataPoints.add(point);
            });
    JsonObject gauge = new JsonObject();
    gauge.add("dataPoints", dataPoints);
    JsonObject metric = new JsonObject();
    metric.addProperty("name", "usage.requests");
    metric.add("gauge", gauge);
    JsonArray metrics = new JsonArray();
    metrics.add(metric);
    return OtlpJsonBodies.envelope(
        "resourceMetrics", "scopeMetrics", "metrics", metrics, tenant + "-shop");
  }
}
