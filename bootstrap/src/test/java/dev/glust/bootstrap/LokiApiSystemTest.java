package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Grafana's Loki data source against a running Glust: known logs sent over OTLP come back through
 * {@code /loki/api/v1} for a table of LogQL queries, in the exact JSON shapes Grafana parses
 * (streams with categorized structured metadata, matrices, vectors, errors), with Grafana's health
 * check and log volume query, the label look-ups, tenants apart, and the live tail over WebSocket.
 */
class LokiApiSystemTest {
  private static final long T0 = 1_700_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final String TRACE_A = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN_A = "b7ad6b7169203331";
  private static final String TRACE_B = "5b8efff798038103d269b633813fc60c";
  private static final String JSON_LINE =
      "{\"msg\":\"timeout\",\"status\":504,\"user\":{\"id\":\"u1\"}}";
  private static final String LOGFMT_LINE = "level=warn msg=\"slow call\" duration_ms=1200";
  private static final String MINUTE = "&start=" + T0 * SECOND + "&end=" + (T0 + 60) * SECOND;

  private static RunningGlust glust;

  @BeforeAll
  static void sendKnownLogs() throws Exception {
    glust = new RunningGlust();
    JsonArray checkout = new JsonArray();
    checkout.add(log(T0 + 10, 9, "INFO", "order placed id=1", TRACE_A, SPAN_A, "/cart"));
    checkout.add(log(T0 + 20, 17, "ERROR", "payment failed: card declined", TRACE_B, null, null));
    checkout.add(log(T0 + 30, 17, "ERROR", JSON_LINE, null, null, null));
    JsonArray payments = new JsonArray();
    payments.add(log(T0 + 40, 13, "WARN", LOGFMT_LINE, null, null, null));
    payments.add(log(T0 + 50, 9, "INFO", "Order placed id=2", null, null, null));
    send(resourceLogs(resource("checkout", checkout), resource("payments", payments)));
    JsonArray other = new JsonArray();
    other.add(log(T0 + 15, 9, "INFO", "another tenant's order", null, null, null));
    send(resourceLogs(resource("checkout", other)), "X-Scope-OrgID", "other");
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '§',
      value = {
        "{service_name=\"checkout\"} => 3",
        "{service_name=\"checkout\"} |= \"order\" => 1",
        "{service_name=~\".+\"} |= \"placed\" => 2",
        "{service_name=~\".+\"} |~ \"(?i)order\" => 2",
        "{service_name=\"checkout\"} != \"payment\" |= \"e\" => 2",
        "{service_name=\"checkout\"} !~ \"pay|time\" => 1",
        "{level=\"error\"} => 2",
        "{level=~\"warn|info\"} => 3",
        "{severity_text=\"WARN\"} => 1",
        "{deployment_environment=\"prod\"} => 5",
        "{service_name!=\"checkout\", level=~\".+\"} => 2",
        "{trace_id=\"" + TRACE_A + "\"} => 1",
        "{service_name=\"checkout\"} | json | status >= 500 => 1",
        "{service_name=\"checkout\"} | json | user_id=\"u1\" => 1",
        "{service_name=\"payments\"} | logfmt | duration_ms > 1000 and msg=\"slow call\" => 1",
        "{service_name=~\".+\"} | http_route=\"/cart\" => 1",
        "{service_name=~\".+\"} | level=\"error\" or level=\"warn\" => 3",
      })
  void logQueriesFindTheKnownLines(String query, int lines) throws Exception {
    JsonObject data = ok("/loki/api/v1/query_range?query=" + encode(query) + MINUTE);
    assertThat(data.get("resultType").getAsString()).isEqualTo("streams");
    int found = 0;
    for (JsonElement stream : data.getAsJsonArray("result")) {
      found += stream.getAsJsonObject().getAsJsonArray("values").size();
    }
    assertThat(found).isEqualTo(lines);
  }

  @Test
  void aLogLineCarriesItsTraceAsStructuredMetadataWhenGrafanaAsksForCategories() throws Exception {
    String path =
        "/loki/api/v1/query_range?query="
            + encode("{service_name=\"checkout\"} |= \"order\"")
            + MINUTE;
    JsonObject body =
        json(glust.get(path, "X-Loki-Response-Encoding-Flags", "categorize-labels"), 200);
    JsonObject data = body.getAsJsonObject("data");
    JsonObject stats = data.remove("stats").getAsJsonObject();
    assertThat(stats.getAsJsonObject("summary").get("totalEntriesReturned").getAsLong())
        .isEqualTo(1);
    assertThat(stats.getAsJsonObject("summary").keySet())
        .contains("totalBytesProcessed", "totalLinesProcessed", "execTime");
    assertThat(body)
        .isEqualTo(
            JsonParser.parseString(
                """
                {"status":"success","data":{"resultType":"streams","result":[{
                  "stream":{"service_name":"checkout","level":"info","severity_text":"INFO",
                            "deployment_environment":"prod"},
                  "values":[["1700000010000000000","order placed id=1",
                    {"structuredMetadata":{"trace_id":"%s","span_id":"%s","http_route":"/cart"}}]]}],
                  "encodingFlags":["categorize-labels"]}}
                """
                    .formatted(TRACE_A, SPAN_A)));

    // without the flag (Loki 2 clients): pairs, and no per-line metadata among the stream labels
    JsonObject plain = ok(path);
    JsonObject stream = plain.getAsJsonArray("result").get(0).getAsJsonObject();
    assertThat(stream.getAsJsonObject("stream").has("trace_id")).isFalse();
    assertThat(stream.getAsJsonArray("values").get(0).getAsJsonArray().size()).isEqualTo(2);
    assertThat(plain.has("encodingFlags")).isFalse();
  }

  @Test
  void grafanasHealthCheckAnswersOneSampleOfTwo() throws Exception {
    // what Grafana's check sends: an instant query at the end of the range 1 s .. 4 s
    JsonObject body =
        json(
            glust.get(
                "/loki/api/v1/query?query="
                    + encode("vector(1)+vector(1)")
                    + "&time=4000000000&direction=backward"),
            200);
    body.getAsJsonObject("data").remove("stats");
    assertThat(body)
        .isEqualTo(
            JsonParser.parseString(
                """
                {"status":"success","data":{"resultType":"vector",
                 "result":[{"metric":{},"value":[4000000000,"2"]}]}}
                """));
  }

  @Test
  void grafanasLogVolumeQueryIsAMatrixByLevel() throws Exception {
    String volume =
        "sum by (level, detected_level) (count_over_time({service_name=\"checkout\"} | drop"
            + " __error__[10s]))";
    JsonObject body =
        json(
            glust.get(
                "/loki/api/v1/query_range?query=" + encode(volume) + MINUTE + "&step=10000ms"),
            200);
    body.getAsJsonObject("data").remove("stats");
    assertThat(body)
        .isEqualTo(
            JsonParser.parseString(
                """
                {"status":"success","data":{"resultType":"matrix","result":[
                 {"metric":{"level":"error"},"values":[[1700000020,"1"],[1700000030,"1"]]},
                 {"metric":{"level":"info"},"values":[[1700000010,"1"]]}]}}
                """));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '§',
      value = {
        "sum by (level) (count_over_time({service_name=~\".+\"}[1m])) => {level=error}=2 {level=info}=2 {level=warn}=1",
        "sum(rate({service_name=\"checkout\"}[1m])) => {}=0.05",
        "topk(1, sum by (service_name) (count_over_time({service_name=~\".+\"}[1m]))) => {service_name=checkout}=3",
        "sum(bytes_over_time({service_name=\"payments\"}[1m])) => {}=60",
        "max(count_over_time({service_name=~\".+\"}[1m])) * 10 - 1 => {}=19",
        "count(count_over_time({service_name=~\".+\"}[1m])) => {}=4",
        "sum by (status) (count_over_time({service_name=\"checkout\"} | json | status=\"504\" [1m])) => {status=504}=1",
      })
  void metricQueriesAnswerVectors(String query, String expected) throws Exception {
    JsonObject data =
        ok("/loki/api/v1/query?query=" + encode(query) + "&time=" + (T0 + 60) * SECOND);
    assertThat(data.get("resultType").getAsString()).isEqualTo("vector");
    StringBuilder samples = new StringBuilder();
    for (JsonElement e : data.getAsJsonArray("result")) {
      JsonObject sample = e.getAsJsonObject();
      StringBuilder labels = new StringBuilder();
      sample
          .getAsJsonObject("metric")
          .entrySet()
          .forEach(
              l ->
                  labels
                      .append(labels.isEmpty() ? "" : ",")
                      .append(l.getKey())
                      .append('=')
                      .append(l.getValue().getAsString()));
      samples
          .append(samples.isEmpty() ? "" : " ")
          .append('{')
          .append(labels)
          .append("}=")
          .append(sample.getAsJsonArray("value").get(1).getAsString());
    }
    assertThat(samples.toString()).isEqualTo(expected);
  }

  @Test
  void queriesOutsideTheSubsetAre400InLokisShapeNamingTheConstruct() throws Exception {
    HttpResponse<String> response =
        glust.get(
            "/loki/api/v1/query_range?query="
                + encode("{service_name=\"x\"} | line_format \"{{.a}}\"")
                + MINUTE);
    assertThat(json(response, 400))
        .isEqualTo(
            JsonParser.parseString(
                """
                {"code":400,"status":"error","message":"parse error at line 1, col 22: \
                the line_format stage is not supported by Glust's LogQL subset"}
                """));
    assertThat(
            json(
                    glust.get("/loki/api/v1/query_range?query=" + encode("{a=\"b\"}") + "&limit=0"),
                    400)
                .get("message")
                .getAsString())
        .isEqualTo("invalid parameter \"limit\": must be between 1 and 5000, got 0");
    assertThat(
            json(glust.get("/loki/api/v1/query_range?start=1"), 400).get("message").getAsString())
        .isEqualTo("invalid parameter \"query\": required");
  }

  @Test
  void tenantsStayApart() throws Exception {
    String path =
        "/loki/api/v1/query_range?query=" + encode("{service_name=\"checkout\"}") + MINUTE;
    JsonObject other = json(glust.get(path, "X-Scope-OrgID", "other"), 200).getAsJsonObject("data");
    JsonArray values =
        other.getAsJsonArray("result").get(0).getAsJsonObject().getAsJsonArray("values");
    assertThat(values.size()).isEqualTo(1);
    assertThat(values.get(0).getAsJsonArray().get(1).getAsString())
        .isEqualTo("another tenant's order");
  }

  @Test
  void directionAndLimitPickTheNewestOrTheOldest() throws Exception {
    String query =
        "/loki/api/v1/query_range?query="
            + encode("{deployment_environment=\"prod\"}")
            + MINUTE
            + "&limit=1";
    assertThat(firstLine(ok(query))).isEqualTo("Order placed id=2");
    assertThat(firstLine(ok(query + "&direction=forward"))).isEqualTo("order placed id=1");
    // RFC 3339 and unix seconds bound the range as nanoseconds do
    String rfc =
        "/loki/api/v1/query_range?query="
            + encode("{deployment_environment=\"prod\"}")
            + "&start=2023-11-14T22:13:35Z&end=1700000045&limit=10";
    assertThat(firstLine(ok(rfc))).isEqualTo(LOGFMT_LINE);
  }

  @Test
  void anInstantLogQueryReadsTheHourBeforeItAndRangeQueriesMayBeFormPosted() throws Exception {
    JsonObject instant =
        ok(
            "/loki/api/v1/query?query="
                + encode("{service_name=\"payments\"}")
                + "&time="
                + (T0 + 45) * SECOND);
    assertThat(instant.get("resultType").getAsString()).isEqualTo("streams");
    assertThat(firstLine(instant)).isEqualTo(LOGFMT_LINE);

    HttpResponse<String> posted =
        HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + glust.server.getPort()
                                + "/loki/api/v1/query_range"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "query=" + encode("{service_name=\"payments\"} |= \"Order\"") + MINUTE))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(firstLine(json(posted, 200).getAsJsonObject("data"))).isEqualTo("Order placed id=2");
  }

  private static String firstLine(JsonObject data) {
    return data.getAsJsonArray("result")
        .get(0)
        .getAsJsonObject()
        .getAsJsonArray("values")
        .get(0)
        .getAsJsonArray()
        .get(1)
        .getAsString();
  }

  @Test
  void labelsValuesSeriesIndexStatsAndBuildInfo() throws Exception {
    assertThat(okArray("/loki/api/v1/labels?" + MINUTE.substring(1)).toString())
        .isEqualTo("[\"deployment_environment\",\"level\",\"service_name\",\"severity_text\"]");
    assertThat(okArray("/loki/api/v1/label/level/values?" + MINUTE.substring(1)).toString())
        .isEqualTo("[\"error\",\"info\",\"warn\"]");
    assertThat(okArray("/loki/api/v1/label/service_name/values?" + MINUTE.substring(1)).toString())
        .isEqualTo("[\"checkout\",\"payments\"]");
    assertThat(
            okArray("/loki/api/v1/series?match[]=" + encode("{level=\"error\"}") + MINUTE)
                .toString())
        .isEqualTo(
            "[{\"deployment_environment\":\"prod\",\"level\":\"error\",\"service_name\":\"checkout\",\"severity_text\":\"ERROR\"}]");
    assertThat(
            json(
                glust.get(
                    "/loki/api/v1/index/stats?query="
                        + encode("{service_name=\"payments\"}")
                        + MINUTE),
                200))
        .isEqualTo(
            JsonParser.parseString("{\"streams\":2,\"chunks\":2,\"entries\":2,\"bytes\":60}"));
    JsonObject build = json(glust.get("/loki/api/v1/status/buildinfo"), 200);
    assertThat(build.get("version").getAsString()).startsWith("3.");
  }

  @Test
  void theLiveTailSendsNewLinesOverWebSocketInLokisFrame() throws Exception {
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(
                    "ws://127.0.0.1:"
                        + glust.server.getPort()
                        + "/loki/api/v1/tail?query="
                        + encode("{service_name=\"tailed\"} |= \"live\"")),
                new WebSocket.Listener() {
                  private final StringBuilder text = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      frames.add(text.toString());
                      text.setLength(0);
                    }
                    webSocket.request(1);
                    return CompletableFuture.completedFuture(null);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try {
      Thread.sleep(1500); // the tail's first poll marks what exists: only later lines are new
      ExplorerSample.sendLog(glust, "tailed", 9, "not this one");
      ExplorerSample.sendLog(glust, "tailed", 17, "live line");
      String frame = frames.poll(15, TimeUnit.SECONDS);
      assertThat(frame).as("a tail frame").isNotNull();
      JsonObject parsed = JsonParser.parseString(frame).getAsJsonObject();
      assertThat(parsed.get("dropped_entries").isJsonNull()).isTrue();
      JsonObject stream = parsed.getAsJsonArray("streams").get(0).getAsJsonObject();
      assertThat(stream.getAsJsonObject("stream").get("service_name").getAsString())
          .isEqualTo("tailed");
      assertThat(stream.getAsJsonObject("stream").get("level").getAsString()).isEqualTo("error");
      JsonArray value = stream.getAsJsonArray("values").get(0).getAsJsonArray();
      assertThat(value.get(1).getAsString()).isEqualTo("live line");
      assertThat(Long.parseLong(value.get(0).getAsString())).isGreaterThan(T0 * SECOND);
      assertThat(frames.poll(1, TimeUnit.SECONDS)).as("the line the query drops").isNull();
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }
  }

  private static JsonObject ok(String path) throws Exception {
    return json(glust.get(path), 200).getAsJsonObject("data");
  }

  private static JsonArray okArray(String path) throws Exception {
    return json(glust.get(path), 200).getAsJsonArray("data");
  }

  private static JsonObject json(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static JsonObject log(
      long seconds,
      int severity,
      String severityText,
      String body,
      String traceId,
      String spanId,
      String route) {
    JsonObject log = new JsonObject();
    log.addProperty("timeUnixNano", Long.toString(seconds * SECOND));
    log.addProperty("severityNumber", severity);
    log.addProperty("severityText", severityText);
    JsonObject text = new JsonObject();
    text.addProperty("stringValue", body);
    log.add("body", text);
    if (traceId != null) {
      log.addProperty("traceId", traceId);
    }
    if (spanId != null) {
      log.addProperty("spanId", spanId);
    }
    if (route != null) {
      log.add("attributes", OtlpJsonBodies.attributes("http.route", route));
    }
    return log;
  }

  private static JsonObject resource(String service, JsonArray logs) {
    JsonArray attributes = OtlpJsonBodies.attributes("service.name", service);
    attributes.addAll(OtlpJsonBodies.attributes("deployment.environment", "prod"));
    JsonObject resource = new JsonObject();
    resource.add("attributes", attributes);
    JsonObject scope = new JsonObject();
    scope.add("logRecords", logs);
    JsonArray scopes = new JsonArray();
    scopes.add(scope);
    JsonObject out = new JsonObject();
    out.add("resource", resource);
    out.add("scopeLogs", scopes);
    return out;
  }

  private static JsonObject resourceLogs(JsonObject... resources) {
    JsonArray all = new JsonArray();
    for (JsonObject r : resources) {
      all.add(r);
    }
    JsonObject body = new JsonObject();
    body.add("resourceLogs", all);
    return body;
  }

  private static void send(JsonObject body, String... headers) throws Exception {
    HttpResponse<byte[]> response =
        glust.postOtlp(
            "/v1/logs",
            "application/json",
            body.toString().getBytes(StandardCharsets.UTF_8),
            headers);
    assertThat(response.statusCode()).isEqualTo(200);
  }
}
