package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's traffic, run for a few seconds in-process against a running Glust, read back through
 * the query API: traces across the shop's services, errors, correlated logs, metrics with
 * exemplars.
 */
class DemoSystemTest {
  private static RunningGlust glust;
  private static DemoTraffic.Sent sent;

  @BeforeAll
  static void runTheDemo() {
    glust = new RunningGlust();
    // the metric interval is short so that several exports happen; closing flushes all signals
    try (DemoShop shop =
        new DemoShop(glust.otlpGrpc(), Map.of(), Duration.ofSeconds(1), new SplittableRandom(42))) {
      sent = DemoTraffic.run(shop, 100, Optional.of(Duration.ofSeconds(4)), new AtomicBoolean());
    }
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  @Test
  void withApiKeysOnTheDemoSendsItsKey() throws Exception {
    try (RunningGlust secured =
        new RunningGlust(Map.of("glust.security.api-keys", "ingest-key:ingest,query-key:query"))) {
      // closing the shop flushes what its SDKs hold
      try (DemoShop shop =
          new DemoShop(
              secured.otlpGrpc(),
              DemoTraffic.Settings.parse("--api-key", "ingest-key").headers(),
              Duration.ofSeconds(1),
              new SplittableRandom(7))) {
        DemoTraffic.run(shop, 50, Optional.of(Duration.ofSeconds(1)), new AtomicBoolean());
      }
      JsonArray services =
          JsonParser.parseString(secured.get("/api/v1/services", "X-API-Key", "query-key").body())
              .getAsJsonObject()
              .getAsJsonArray("services");
      assertThat(services).hasSize(6);
    }
  }

  @Test
  void everyServiceReportsSpansAndLogs() throws Exception {
    assertThat(sent.requests()).isGreaterThan(200);
    JsonArray services = json("/api/v1/services").getAsJsonArray("services");
    Map<String, JsonObject> byName = new HashMap<>();
    services.forEach(s -> byName.put(name(s), s.getAsJsonObject()));
    assertThat(byName)
        .containsOnlyKeys("frontend", "cart", "checkout", "payment", "inventory", "email");
    byName.forEach((name, s) -> assertThat(s.get("spanCount").getAsLong()).as(name).isPositive());
    assertThat(byName.get("checkout").get("logCount").getAsLong()).isPositive();
  }

  @Test
  void aCheckoutIsOneTraceOfNestedSpansAcrossFiveServicesWithItsLogs() throws Exception {
    JsonObject trace =
        loadTrace(firstTrace("service=checkout&operation=" + encode("POST /orders")));
    List<JsonObject> spans = flatten(trace.getAsJsonArray("spans"));
    Set<String> services = new HashSet<>();
    spans.forEach(s -> services.add(s.get("serviceName").getAsString()));
    assertThat(services).hasSizeGreaterThanOrEqualTo(5);
    assertThat(trace.getAsJsonArray("spans")).as("one root").hasSize(1);
    assertThat(depth(trace.getAsJsonArray("spans").get(0).getAsJsonObject()))
        .as("frontend server > client > checkout server > client > payment server > …")
        .isGreaterThanOrEqualTo(6);
    // a server span's parent is the caller's client span, in another service
    Map<String, JsonObject> byId = new HashMap<>();
    spans.forEach(s -> byId.put(s.get("spanId").getAsString(), s));
    JsonObject paymentServer =
        spans.stream()
            .filter(s -> s.get("name").getAsString().equals("POST /charges"))
            .filter(s -> s.get("kind").getAsString().equals("SERVER"))
            .findFirst()
            .orElseThrow();
    JsonObject caller = byId.get(paymentServer.get("parentSpanId").getAsString());
    assertThat(caller.get("kind").getAsString()).isEqualTo("CLIENT");
    assertThat(caller.get("serviceName").getAsString()).isEqualTo("checkout");
    assertThat(attributeOf(paymentServer, "http.request.method")).isEqualTo("POST");
    assertThat(resource(paymentServer, "service.version")).isNotBlank();
    assertThat(resource(paymentServer, "service.instance.id")).isNotBlank();

    JsonArray logs = trace.getAsJsonArray("logs");
    assertThat(logs).isNotEmpty();
    for (JsonElement log : logs) {
      assertThat(byId).containsKey(log.getAsJsonObject().get("spanId").getAsString());
    }
  }

  @Test
  void failedRequestsHaveAnErrorSpanWithAnExceptionEventAndAnErrorLog() throws Exception {
    assertThat(sent.failed()).isPositive();
    // error traces are declined cards too (a 4xx is an error for the client span): find a 5xx
    JsonObject trace = null;
    JsonObject failed = null;
    for (JsonElement summary :
        json("/api/v1/traces?status=error&limit=100").getAsJsonArray("traces")) {
      trace = loadTrace(summary.getAsJsonObject().get("traceId").getAsString());
      failed =
          flatten(trace.getAsJsonArray("spans")).stream()
              .filter(s -> s.getAsJsonObject("status").get("code").getAsString().equals("ERROR"))
              .filter(s -> !s.getAsJsonArray("events").isEmpty())
              .findFirst()
              .orElse(null);
      if (failed != null) {
        break;
      }
    }
    assertThat(failed).as("an error span with an event").isNotNull();
    JsonObject event = failed.getAsJsonArray("events").get(0).getAsJsonObject();
    assertThat(event.get("name").getAsString()).isEqualTo("exception");
    assertThat(attributeOf(event, "exception.stacktrace")).contains("\tat ");
    assertThat(trace.getAsJsonArray("logs"))
        .anySatisfy(
            log ->
                assertThat(log.getAsJsonObject().get("severityText").getAsString())
                    .isEqualTo("ERROR"));
  }

  @Test
  void requestDurationsHaveExemplarsThatLeadToTheirTraces() throws Exception {
    JsonObject result = json("/api/v1/metrics/http.server.request.duration/query?service=checkout");
    List<String> traceIds = new ArrayList<>();
    for (JsonElement series : result.getAsJsonArray("series")) {
      for (JsonElement exemplar : series.getAsJsonObject().getAsJsonArray("exemplars")) {
        traceIds.add(exemplar.getAsJsonObject().get("traceId").getAsString());
      }
    }
    assertThat(traceIds).isNotEmpty();
    assertThat(glust.get("/api/v1/traces/" + traceIds.get(0)).statusCode()).isEqualTo(200);
    JsonArray requestSeries =
        json("/api/v1/metrics/http.server.requests/series?service=frontend")
            .getAsJsonArray("series");
    assertThat(requestSeries).isNotEmpty();
  }

  private static String firstTrace(String query) throws Exception {
    JsonArray traces = json("/api/v1/traces?limit=5&" + query).getAsJsonArray("traces");
    assertThat(traces).as(query).isNotEmpty();
    return traces.get(0).getAsJsonObject().get("traceId").getAsString();
  }

  private static JsonObject loadTrace(String traceId) throws Exception {
    return json("/api/v1/traces/" + traceId);
  }

  private static JsonObject json(String path) throws Exception {
    HttpResponse<String> response = glust.get(path);
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static List<JsonObject> flatten(JsonArray nodes) {
    List<JsonObject> all = new ArrayList<>();
    for (JsonElement node : nodes) {
      all.add(node.getAsJsonObject());
      all.addAll(flatten(node.getAsJsonObject().getAsJsonArray("children")));
    }
    return all;
  }

  private static int depth(JsonObject node) {
    return 1
        + StreamSupport.stream(node.getAsJsonArray("children").spliterator(), false)
            .mapToInt(child -> depth(child.getAsJsonObject()))
            .max()
            .orElse(0);
  }

  private static String resource(JsonObject span, String key) {
    return span.getAsJsonObject("resource").get(key).getAsString();
  }

  private static String attributeOf(JsonObject holder, String key) {
    return holder.getAsJsonObject("attributes").get(key).getAsString();
  }

  private static String name(JsonElement service) {
    return service.getAsJsonObject().get("name").getAsString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
