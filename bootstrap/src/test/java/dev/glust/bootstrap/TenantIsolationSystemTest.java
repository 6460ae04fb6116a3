package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two tenants send the same trace (same trace and span ids, logs of that trace, a metric of the
 * same name), each under its own service name and marker; every read endpoint, asked as one tenant,
 * shows that tenant's records and nothing of the other's.
 */
class TenantIsolationSystemTest {
  private static final String TRACE_ID = ExplorerSample.randomHex(16);
  private static final String ROOT = ExplorerSample.randomHex(8);
  private static final String CHILD = ExplorerSample.randomHex(8);
  private static final String METRIC = "tenant.isolation.requests";
  private static final List<String> TENANTS = List.of("acme", "beta");

  private static RunningGlust glust;

  @BeforeAll
  static void sendTheSameTraceForTwoTenants() throws Exception {
    glust = new RunningGlust();
    long now = ExplorerSample.nowNanos();
    for (String tenant : TENANTS) {
      post("/v1/traces", traces(tenant, now - 2_000_000_000L), tenant);
      post("/v1/logs", logs(tenant, now - 1_900_000_000L), tenant);
      post("/v1/metrics", metrics(tenant, now - 1_800_000_000L), tenant);
    }
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  static List<String> endpoints() {
    String trace = TRACE_ID;
    return List.of(
        "/api/v1/services",
        "/api/v1/services/{service}/operations",
        "/api/v1/traces/" + trace,
        "/api/v1/traces?service={service}",
        "/api/v1/traces?attr.marker={marker}",
        "/api/v1/logs",
        "/api/v1/logs?traceId=" + trace,
        "/api/v1/logs?q={marker}",
        "/api/v1/services/activity",
        "/api/v1/metrics",
        "/api/v1/metrics/" + METRIC + "/series",
        "/api/v1/metrics/" + METRIC + "/query",
        "/api/services",
        "/api/services/{service}/operations",
        "/api/operations?service={service}",
        "/api/traces/" + trace,
        "/api/traces?service={service}&lookback=1h");
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void eachTenantSeesItsOwnRecordsAndNoneOfTheOthers(String endpoint) throws Exception {
    for (String tenant : TENANTS) {
      String other = other(tenant);
      String own = glust.get(path(endpoint, tenant), "X-Scope-OrgID", tenant).body();
      assertThat(List.of(service(tenant), marker(tenant), value(tenant)))
          .as(endpoint + " as " + tenant + ": " + own)
          .anyMatch(own::contains);
      assertThat(own)
          .as(endpoint + " as " + tenant)
          .doesNotContain(service(other), marker(other), value(other));

      // asking about the other tenant's service or marker finds nothing of it
      String probe = glust.get(path(endpoint, other), "X-Scope-OrgID", tenant).body();
      assertThat(probe)
          .as(endpoint + " as " + tenant + " about " + other)
          .doesNotContain(marker(other), value(other));
    }
  }

  @Test
  void theDefaultTenantSeesNeither() throws Exception {
    for (String endpoint : endpoints()) {
      String body = glust.get(path(endpoint, "acme")).body();
      for (String tenant : TENANTS) {
        assertThat(body).as(endpoint).doesNotContain(marker(tenant), service(tenant));
      }
    }
  }

  @Test
  void theLogVolumeCountsTheTenantsRecordsOnly() throws Exception {
    for (String tenant : TENANTS) {
      String volume = glust.get("/api/v1/logs/histogram", "X-Scope-OrgID", tenant).body();
      assertThat(volume).as(tenant).contains("\"ERROR\":1").doesNotContain("\"ERROR\":2");
    }
  }

  @Test
  void theNewestRecordsAreTheTenantsOwn() throws Exception {
    assertThat(glust.get("/api/v1/newest", "X-Scope-OrgID", "acme").body())
        .contains("spanTimeUnixNano\":\"");
    assertThat(glust.get("/api/v1/newest", "X-Scope-OrgID", "nobody").body())
        .isEqualTo("{\"spanTimeUnixNano\":null,\"logTimeUnixNano\":null}");
  }

  @Test
  void theLiveTailShowsOnlyTheTenantsLogs() throws Exception {
    for (String tenant : TENANTS) {
      String events = tail(tenant);
      assertThat(events).contains("live " + marker(tenant)).doesNotContain(marker(other(tenant)));
    }
  }

  @Test
  void theTenantEndpointNamesTheTenantRead() throws Exception {
    assertThat(glust.get("/api/v1/tenant", "X-Scope-OrgID", "beta").body())
        .isEqualTo("{\"tenant\":\"beta\",\"choices\":[],\"anyTenant\":true}");
    assertThat(glust.get("/api/v1/tenant").body()).contains("\"tenant\":\"default\"");
    assertThat(glust.get("/api/v1/tenant", "X-Scope-OrgID", "no such/tenant").statusCode())
        .isEqualTo(400);
  }

  private static String other(String tenant) {
    return tenant.equals("acme") ? "beta" : "acme";
  }

  private static String service(String tenant) {
    return tenant + "-shop";
  }

  private static String marker(String tenant) {
    return "marker-" + tenant;
  }

  /** The gauge value each tenant sends: it shows in the metric query's answer. */
  private static String value(String tenant) {
    return tenant.equals("acme") ? "1111.25" : "2222.75";
  }

  private static String path(String endpoint, String tenant) {
    return endpoint.replace("{service}", service(tenant)).replace("{marker}", marker(tenant));
  }

  /**
   * The live tail's events: once it is ready, both tenants send a new log record, and the events
   * are read until the tenant's own record shows (and half a second more, for anything else).
   */
  private static String tail(String tenant) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + glust.server.getPort() + "/api/v1/logs/tail"))
            .header("X-Scope-OrgID", tenant)
            .header("Accept", "text/event-stream")
            .build();
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    StringBuilder events = new StringBuilder();
    try (InputStream body = response.body()) {
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      CompletableFuture<Void> reading =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (events) {
                      events.append(line).append('\n');
                    }
                  }
                } catch (java.io.IOException closed) {
                  // the stream is closed below
                }
              });
      await(events, "event: ready");
      for (String sender : TENANTS) {
        post("/v1/logs", logs(sender, ExplorerSample.nowNanos(), "live "), sender);
      }
      await(events, "live " + marker(tenant));
      Thread.sleep(500); // anything else the first poll found
      reading.cancel(true); // the reader ends when the try closes the stream
    }
    synchronized (events) {
      return events.toString();
    }
  }

  private static void await(StringBuilder events, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (events) {
        if (events.indexOf(text) >= 0) {
          return;
        }
      }
      Thread.sleep(50);
    }
  }

  private static void post(String path, JsonObject body, String tenant) throws Exception {
    HttpResponse<byte[]> response =
        glust.postOtlp(
            path,
            "application/json",
            body.toString().getBytes(StandardCharsets.UTF_8),
            "X-Scope-OrgID",
            tenant);
    assertThat(response.statusCode())
        .as(path + " " + new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
  }

  private static JsonObject traces(String tenant, long start) {
    JsonArray spans = new JsonArray();
    spans.add(span(ROOT, null, "GET /" + marker(tenant), start, tenant));
    spans.add(span(CHILD, ROOT, "SELECT " + marker(tenant), start + 1_000_000L, tenant));
    return OtlpJsonBodies.envelope("resourceSpans", "scopeSpans", "spans", spans, service(tenant));
  }

  private static JsonObject span(String id, String parent, String name, long start, String t) {
    JsonObject span = new JsonObject();
    span.addProperty("traceId", TRACE_ID);
    span.addProperty("spanId", id);
    if (parent != null) {
      span.addProperty("parentSpanId", parent);
    }
    span.addProperty("name", name);
    span.addProperty("kind", 2);
    span.addProperty("startTimeUnixNano", Long.toString(start));
    span.addProperty("endTimeUnixNano", Long.toString(start + 50_000_000L));
    span.add("attributes", OtlpJsonBodies.attributes("marker", marker(t)));
    return span;
  }

  private static JsonObject logs(String tenant, long time) {
    return logs(tenant, time, "");
  }

  private static JsonObject logs(String tenant, long time, String prefix) {
    JsonArray records = new JsonArray();
    JsonObject log = new JsonObject();
    log.addProperty("timeUnixNano", Long.toString(time));
    log.addProperty("severityNumber", 17);
    JsonObject body = new JsonObject();
    body.addProperty("stringValue", prefix + marker(tenant) + " failed");
    log.add("body", body);
    log.addProperty("traceId", TRACE_ID);
    log.addProperty("spanId", ROOT);
    log.add("attributes", OtlpJsonBodies.attributes("marker", marker(tenant)));
    records.add(log);
    return OtlpJsonBodies.envelope(
        "resourceLogs", "scopeLogs", "logRecords", records, service(tenant));
  }

  private static JsonObject metrics(String tenant, long time) {
    JsonObject point = new JsonObject();
    point.addProperty("timeUnixNano", Long.toString(time));
    point.addProperty("asDouble", Double.parseDouble(value(tenant)));
    // the key too, so the metric list (which shows label keys) tells the tenants apart
    point.add("attributes", OtlpJsonBodies.attributes(marker(tenant), marker(tenant)));
    JsonArray points = new JsonArray();
    points.add(point);
    JsonObject gauge = new JsonObject();
    gauge.add("dataPoints", points);
    JsonObject metric = new JsonObject();
    metric.addProperty("name", METRIC);
    metric.add("gauge", gauge);
    JsonArray metrics = new JsonArray();
    metrics.add(metric);
    return OtlpJsonBodies.envelope(
        "resourceMetrics", "scopeMetrics", "metrics", metrics, service(tenant));
  }
}
