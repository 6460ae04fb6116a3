package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A known checkout trace of four spans over three services (the payment span failed, with an event)
 * and five log records correlated to it, sent as OTLP/JSON with times around now.
 */
final class ExplorerSample {
  static final String ROOT_NAME = "POST /checkout";
  static final String FAILED_NAME = "charge card";
  static final String BACKGROUND = "inventory";

  final String traceId = randomHex(16);
  final String root = randomHex(8);
  final String cart = randomHex(8);
  final String payment = randomHex(8);
  final String query = randomHex(8);
  private final long start = nowNanos() - 3_000_000_000L;
  private int backgroundCount;

  static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1; // never all zero
    return HexFormat.of().formatHex(id);
  }

  static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  void send(RunningGlust glust) throws Exception {
    JsonArray resources = new JsonArray();
    resources.add(
        resourceSpans(
            "checkout", span(root, null, ROOT_NAME, 0, 250, "http.status_code", 502, null)));
    resources.add(
        resourceSpans("cart", span(cart, root, "GET /cart", 10, 60, "cart.items", 3, null)));
    JsonObject failed =
        span(payment, root, FAILED_NAME, 70, 230, "payment.provider", "acme", "card declined");
    JsonObject retry = new JsonObject();
    retry.addProperty("timeUnixNano", Long.toString(start + 150_000_000L));
    retry.addProperty("name", "retry");
    failed.getAsJsonArray("events").add(retry);
    resources.add(
        resourceSpans(
            "payments",
            failed,
            span(query, payment, "SELECT payments", 80, 120, "db.system", "postgresql", null)));
    JsonObject traces = new JsonObject();
    traces.add("resourceSpans", resources);
    post(glust, "/v1/traces", traces);

    JsonArray logs = new JsonArray();
    logs.add(log("checkout", start + 5_000_000L, 9, "checkout started for cart c-9", root));
    logs.add(log("cart", start + 30_000_000L, 5, "cart loaded", cart));
    logs.add(log("payments", start + 140_000_000L, 13, "payment provider slow, retrying", payment));
    logs.add(log("payments", start + 225_000_000L, 17, "card declined by acme", payment));
    logs.add(log("checkout", start + 248_000_000L, 17, "checkout failed: 502", root));
    // an hour of unrelated background records, so the volume histogram has a shape
    for (int minute = 1; minute < 58; minute++) {
      for (int i = 0; i <= minute * 7 % 5; i++) {
        int severity = i == 3 ? 17 : i == 2 ? 13 : 9;
        long time = start - minute * 60_000_000_000L + i * 1_000_000_000L;
        logs.add(log(BACKGROUND, time, severity, "stock level checked", null, null));
      }
    }
    JsonObject body = new JsonObject();
    body.add("resourceLogs", logs);
    post(glust, "/v1/logs", body);
    backgroundCount = logs.size() - 5;
  }

  /** How many records of the background service {@link #BACKGROUND} {@link #send} stores. */
  int backgroundCount() {
    return backgroundCount;
  }

  /** A log record of {@code service} without trace context, stamped now. */
  static void sendLog(
      RunningGlust glust, String service, int severity, String text, String... headers)
      throws Exception {
    JsonArray logs = new JsonArray();
    logs.add(log(service, nowNanos(), severity, text, null, null));
    JsonObject body = new JsonObject();
    body.add("resourceLogs", logs);
    post(glust, "/v1/logs", body, headers);
  }

  /** A trace of one span per service, each the child of the one before, in this order. */
  void sendChain(RunningGlust glust, List<String> services) throws Exception {
    JsonArray resources = new JsonArray();
    String parent = null;
    for (int i = 0; i < services.size(); i++) {
      String id = randomHex(8);
      resources.add(
          resourceSpans(
              services.get(i), span(id, parent, "step " + i, i * 10, 200 - i * 10, "i", i, null)));
      parent = id;
    }
    JsonObject traces = new JsonObject();
    traces.add("resourceSpans", resources);
    post(glust, "/v1/traces", traces);
  }

  private static void post(RunningGlust glust, String path, JsonObject body, String... headers)
      throws Exception {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(glust.postOtlp(path, "application/json", bytes, headers).statusCode())
        .isEqualTo(200);
  }

  private JsonObject span(
      String id,
      String parent,
      String name,
      int startMs,
      int endMs,
      String key,
      Object value,
      String error) {
    JsonObject s = new JsonObject();
    s.addProperty("traceId", traceId);
    s.addProperty("spanId", id);
    if (parent != null) {
      s.addProperty("parentSpanId", parent);
    }
    s.addProperty("name", name);
    s.addProperty("kind", 2);
    s.addProperty("startTimeUnixNano", Long.toString(start + startMs * 1_000_000L));
    s.addProperty("endTimeUnixNano", Long.toString(start + endMs * 1_000_000L));
    JsonArray attributes = new JsonArray();
    attributes.add(attribute(key, value));
    s.add("attributes", attributes);
    s.add("events", new JsonArray());
    if (error != null) {
      JsonObject status = new JsonObject();
      status.addProperty("code", 2);
      status.addProperty("message", error);
      s.add("status", status);
    }
    return s;
  }

  private static JsonObject attribute(String key, Object value) {
    JsonObject typed = new JsonObject();
    if (value instanceof Integer) {
      typed.addProperty("intValue", value.toString());
    } else {
      typed.addProperty("stringValue", value.toString());
    }
    JsonObject a = new JsonObject();
    a.addProperty("key", key);
    a.add("value", typed);
    return a;
  }

  private static JsonObject resource(String service) {
    JsonArray attributes = new JsonArray();
    attributes.add(attribute("service.name", service));
    JsonObject r = new JsonObject();
    r.add("attributes", attributes);
    return r;
  }

  private static JsonObject resourceSpans(String service, JsonObject... spans) {
    JsonArray list = new JsonArray();
    for (JsonObject s : spans) {
      list.add(s);
    }
    return envelope(service, "scopeSpans", "spans", list);
  }

  /** {@code {"resource": …, "<scopesKey>": [{"<itemsKey>": items}]}} */
  private static JsonObject envelope(
      String service, String scopesKey, String itemsKey, JsonArray items) {
    JsonObject scope = new JsonObject();
    scope.add(itemsKey, items);
    JsonArray scopes = new JsonArray();
    scopes.add(scope);
    JsonObject out = new JsonObject();
    out.add("resource", resource(service));
    out.add(scopesKey, scopes);
    return out;
  }

  private JsonObject log(String service, long time, int severity, String text, String spanId) {
    return log(service, time, severity, text, traceId, spanId);
  }

  private static JsonObject log(
      String service, long time, int severity, String text, String traceId, String spanId) {
    JsonObject record = new JsonObject();
    record.addProperty("timeUnixNano", Long.toString(time));
    record.addProperty("severityNumber", severity);
    JsonObject body = new JsonObject();
    body.addProperty("stringValue", text);
    record.add("body", body);
    if (traceId != null) {
      record.addProperty("traceId", traceId);
      record.addProperty("spanId", spanId);
    }
    JsonArray records = new JsonArray();
    records.add(record);
    return envelope(service, "scopeLogs", "logRecords", records);
  }
}
