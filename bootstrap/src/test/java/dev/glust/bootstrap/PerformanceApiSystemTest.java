package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's acceptance: a known workload over OTLP/HTTP, parents and children in separate requests
 * (children first), read back through every API that reports it. frontend serves 40 + 10 checkouts
 * (100 ms) and calls cart 40 times (cart: 10 ms) and payments 10 times (payments: 200 ms, 3 of them
 * errors). Counts must be exact, quantiles within 2.2 %.
 */
class PerformanceApiSystemTest {
  private static final long MINUTE = 60_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final int CART_CALLS = 40;
  private static final int PAYMENT_CALLS = 10;
  private static final int PAYMENT_ERRORS = 3;
  private static final double QUANTILE_ERROR = 0.022;

  /** Edges may be found by a job after the spans are stored: how long the test waits for them. */
  private static final long WAIT_NANOS = 90_000_000_000L;

  /** A whole minute, five minutes ago: the workload lies in it and the next one. */
  private final long base = (System.currentTimeMillis() * MS / MINUTE - 5) * MINUTE;

  @Test
  void aKnownWorkloadReadsBackExactlyThroughEveryApi() throws Exception {
    try (RunningGlust glust = new RunningGlust()) {
      send(glust);
      String range = "start=" + base + "&end=" + (base + 2 * MINUTE);

      JsonObject dependencies =
          await(
              glust,
              "/api/v1/dependencies?" + range,
              body -> body.getAsJsonArray("edges").size() == 2);
      assertThat(edges(dependencies))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "frontend>cart", CART_CALLS + "/0",
                  "frontend>payments", PAYMENT_CALLS + "/" + PAYMENT_ERRORS));

      JsonObject services =
          await(
              glust,
              "/api/v1/services/performance?" + range + "&step=1m",
              body -> body.getAsJsonArray("services").size() == 3);
      Map<String, JsonObject> byName = byName(services.getAsJsonArray("services"), "name");
      assertCalls(byName.get("frontend"), CART_CALLS + PAYMENT_CALLS, 0);
      assertCalls(byName.get("cart"), CART_CALLS, 0);
      assertCalls(byName.get("payments"), PAYMENT_CALLS, PAYMENT_ERRORS);
      assertQuantile(byName.get("cart").get("p95Ms").getAsDouble(), 10);
      assertQuantile(byName.get("payments").get("p95Ms").getAsDouble(), 200);
      assertThat(byName.get("cart").getAsJsonArray("series")).hasSize(3);

      JsonObject frontend =
          json(glust, "/api/v1/services/frontend/operations/performance?" + range);
      Map<String, JsonObject> operations = byName(frontend.getAsJsonArray("operations"), "name");
      assertCalls(operations.get("POST /checkout"), CART_CALLS + PAYMENT_CALLS, 0);
      assertCalls(operations.get("GET cart"), CART_CALLS, 0);
      assertCalls(operations.get("POST pay"), PAYMENT_CALLS, PAYMENT_ERRORS);

      // Jaeger: one point whose 10-minute window holds the whole workload
      String jaeger =
          "service=payments&endTs="
              + (base + 10 * MINUTE) / MS
              + "&lookback=0&step=60000&ratePer=600000";
      assertThat(point(json(glust, "/api/metrics/calls?" + jaeger)))
          .isCloseTo(PAYMENT_CALLS / 600.0, within(1e-9));
      assertThat(point(json(glust, "/api/metrics/errors?" + jaeger)))
          .isCloseTo((double) PAYMENT_ERRORS / PAYMENT_CALLS, within(1e-9));
      assertQuantile(point(json(glust, "/api/metrics/latencies?quantile=0.95&" + jaeger)), 200);
      JsonArray links =
          json(
                  glust,
                  "/api/dependencies?endTs="
                      + (base + 2 * MINUTE) / MS
                      + "&lookback="
                      + 2 * MINUTE / MS)
              .getAsJsonArray("data");
      Map<String, Long> callCounts = new HashMap<>();
      for (JsonElement link : links) {
        JsonObject l = link.getAsJsonObject();
        callCounts.put(
            l.get("parent").getAsString() + ">" + l.get("child").getAsString(),
            l.get("callCount").getAsLong());
      }
      assertThat(callCounts)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "frontend>cart", (long) CART_CALLS, "frontend>payments", (long) PAYMENT_CALLS));

      // the metrics API: the span metrics, summed and as a quantile
      String metrics = "&start=" + base + "&end=" + (base + 2 * MINUTE) + "&step=10m";
      assertThat(
              sum(
                  json(
                      glust,
                      "/api/v1/metrics/traces.span.metrics.calls/query?service=payments&agg=sum"
                          + metrics)))
          .isEqualTo((double) PAYMENT_CALLS);
      assertThat(
              sum(
                  json(
                      glust,
                      "/api/v1/metrics/traces.span.metrics.calls/query?service=payments&agg=sum"
                          + "&attr.status.code=STATUS_CODE_ERROR"
                          + metrics)))
          .isEqualTo((double) PAYMENT_ERRORS);
      JsonObject p95 =
          json(
              glust,
              "/api/v1/metrics/traces.span.metrics.duration/query?service=cart&agg=p95" + metrics);
      assertQuantile(
          p95.getAsJsonArray("series")
              .get(0)
              .getAsJsonObject()
              .getAsJsonArray("points")
              .get(0)
              .getAsJsonObject()
              .get("value")
              .getAsDouble(),
          10);
    }
  }

  @Test
  void badParametersAreAnsweredInEachApisShape() throws Exception {
    try (RunningGlust glust = new RunningGlust()) {
      for (String path :
          new String[] {
            "/api/metrics/calls", // no service
            "/api/metrics/latencies?service=a", // no quantile
            "/api/metrics/errors?service=a&spanKind=sideways",
            "/api/metrics/calls?service=a&step=5s",
            "/api/dependencies?lookback=-1"
          }) {
        HttpResponse<String> response = glust.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(body.get("data").isJsonNull()).as(path).isTrue();
        assertThat(body.getAsJsonArray("errors").get(0).getAsJsonObject().get("code").getAsInt())
            .as(path)
            .isEqualTo(400);
      }
      for (String[] pathAndParameter :
          new String[][] {
            {"/api/v1/services/performance?step=90s", "step"},
            {"/api/v1/services/a/operations/performance?start=yesterday", "start"},
            {"/api/v1/dependencies?start=0", "start"}
          }) {
        HttpResponse<String> response = glust.get(pathAndParameter[0]);
        assertThat(response.statusCode()).as(pathAndParameter[0]).isEqualTo(400);
        assertThat(
                JsonParser.parseString(response.body())
                    .getAsJsonObject()
                    .get("parameter")
                    .getAsString())
            .isEqualTo(pathAndParameter[1]);
      }
    }
  }

  /** Children first, each service in its own request: parents arrive after their children. */
  private void send(RunningGlust glust) throws Exception {
    JsonArray cart = new JsonArray();
    JsonArray payments = new JsonArray();
    JsonArray frontend = new JsonArray();
    int calls = CART_CALLS + PAYMENT_CALLS;
    for (int i = 0; i < calls; i++) {
      long start = base + (i % 2) * MINUTE + i * 100 * MS;
      String trace = String.format("%032x", 0x5e0000L + i);
      String root = String.format("%016x", 0x100000L + i);
      String client = String.format("%016x", 0x200000L + i);
      String server = String.format("%016x", 0x300000L + i);
      frontend.add(span(trace, root, null, "POST /checkout", 2, start, 100, false));
      if (i < CART_CALLS) {
        frontend.add(span(trace, client, root, "GET cart", 3, start + MS, 12, false));
        cart.add(span(trace, server, client, "GET /cart", 2, start + 2 * MS, 10, false));
      } else {
        boolean error = i >= calls - PAYMENT_ERRORS;
        frontend.add(span(trace, client, root, "POST pay", 3, start + MS, 202, error));
        payments.add(span(trace, server, client, "POST /pay", 2, start + 2 * MS, 200, error));
      }
    }
    post(glust, cart, "cart");
    post(glust, payments, "payments");
    post(glust, frontend, "frontend");
  }

  private static JsonObject span(
      String trace,
      String id,
      String parent,
      String name,
      int kind,
      long start,
      long millis,
      boolean error) {
    JsonObject span = new JsonObject();
    span.addProperty("traceId", trace);
    span.addProperty("spanId", id);
    if (parent != null) {
      span.addProperty("parentSpanId", parent);
    }
    span.addProperty("name", name);
    span.addProperty("kind", kind);
    span.addProperty("startTimeUnixNano", Long.toString(start));
    span.addProperty("endTimeUnixNano", Long.toString(start + millis * MS));
    JsonObject status = new JsonObject();
    status.addProperty("code", error ? 2 : 0);
    span.add("status", status);
    return span;
  }

  private static void post(RunningGlust glust, JsonArray spans, String service) throws Exception {
    HttpResponse<byte[]> response =
        glust.postOtlp(
            "/v1/traces",
            "application/json",
            OtlpJsonBodies.envelope("resourceSpans", "scopeSpans", "spans", spans, service)
                .toString()
                .getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode())
        .as(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
  }

  private static JsonObject json(RunningGlust glust, String path) throws Exception {
    HttpResponse<String> response = glust.get(path);
    assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  /**
   * The answer of {@code path} once {@code done} holds (stored rollups may come a little later).
   */
  private static JsonObject await(RunningGlust glust, String path, Predicate<JsonObject> done)
      throws Exception {
    long deadline = System.nanoTime() + WAIT_NANOS;
    JsonObject body = json(glust, path);
    while (!done.test(body) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      body = json(glust, path);
    }
    return body;
  }

  private static Map<String, JsonObject> byName(JsonArray items, String key) {
    Map<String, JsonObject> out = new HashMap<>();
    items.forEach(i -> out.put(i.getAsJsonObject().get(key).getAsString(), i.getAsJsonObject()));
    return out;
  }

  private static Map<String, String> edges(JsonObject graph) {
    Map<String, String> out = new HashMap<>();
    for (JsonElement e : graph.getAsJsonArray("edges")) {
      JsonObject edge = e.getAsJsonObject();
      out.put(
          edge.get("parent").getAsString() + ">" + edge.get("child").getAsString(),
          edge.get("calls").getAsLong() + "/" + edge.get("errors").getAsLong());
    }
    return out;
  }

  private static void assertCalls(JsonObject stats, long calls, long errors) {
    assertThat(stats.get("calls").getAsLong()).as(stats.toString()).isEqualTo(calls);
    assertThat(stats.get("errors").getAsLong()).as(stats.toString()).isEqualTo(errors);
  }

  private static void assertQuantile(double actual, double exact) {
    assertThat(actual).isCloseTo(exact, within(exact * QUANTILE_ERROR));
  }

  /** The value of the only point of the only metric of a Jaeger MetricFamily. */
  private static double point(JsonObject family) {
    JsonArray metrics = family.getAsJsonArray("metrics");
    assertThat(metrics).as(family.toString()).hasSize(1);
    return metrics
        .get(0)
        .getAsJsonObject()
        .getAsJsonArray("metricPoints")
        .get(0)
        .getAsJsonObject()
        .getAsJsonObject("gaugeValue")
        .get("doubleValue")
        .getAsDouble();
  }

  private static double sum(JsonObject result) {
    double sum = 0;
    for (JsonElement series : result.getAsJsonArray("series")) {
      for (JsonElement point : series.getAsJsonObject().getAsJsonArray("points")) {
        sum += point.getAsJsonObject().get("value").getAsDouble();
      }
    }
    return sum;
  }
}
