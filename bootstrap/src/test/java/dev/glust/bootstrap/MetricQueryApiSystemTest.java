package dev.glust.bootstrap;

import static dev.glust.bootstrap.MetricSample.MINUTE;
import static dev.glust.bootstrap.MetricSample.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glust.adapter.postgres.testing.MetricRows;
import dev.glust.domain.metric.MetricKind;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The metrics query API over real HTTP against the whole application and known stored rows. */
class MetricQueryApiSystemTest {
  private static final long BASE = 1_700_000_400L * SECOND; // a multiple of 10 min, 2023-11-14
  private static RunningGlust glust;
  private static MetricSample sample;

  @BeforeAll
  static void start() throws Exception {
    glust = new RunningGlust(Map.of("glust.security.api-keys", "query-key:query"));
    sample = new MetricSample(BASE, ExplorerSample.randomHex(16));
    sample.write(glust);
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return glust.get(path, "X-API-Key", "query-key");
  }

  private static JsonObject getJson(String path, int status) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static String range() {
    return "start=" + (BASE + MINUTE) + "&end=" + (BASE + 10 * MINUTE - SECOND);
  }

  @Test
  void listsTheMetricsWithKindsUnitsAndLabelKeys() throws Exception {
    JsonArray metrics =
        getJson("/api/v1/metrics?start=" + BASE + "&end=" + (BASE + MINUTE), 200)
            .getAsJsonArray("metrics");
    assertThat(metrics.size()).isEqualTo(3);
    JsonObject requests = metrics.get(1).getAsJsonObject();
    assertThat(requests.get("name").getAsString()).isEqualTo("http.server.requests");
    assertThat(requests.get("kind").getAsString()).isEqualTo("sum");
    assertThat(requests.get("temporality").getAsString()).isEqualTo("cumulative");
    assertThat(requests.get("monotonic").getAsBoolean()).isTrue();
    assertThat(requests.get("unit").getAsString()).isEqualTo("{request}");
    assertThat(requests.get("labelKeys").toString())
        .isEqualTo("[\"http.request.method\",\"http.response.status_code\"]");
    assertThat(requests.get("seriesCount").getAsInt()).isEqualTo(2);
    assertThat(metrics.get(0).getAsJsonObject().get("kind").getAsString()).isEqualTo("histogram");

    assertThat(
            getJson("/api/v1/metrics?service=nobody&start=" + BASE + "&end=" + (BASE + MINUTE), 200)
                .get("metrics")
                .toString())
        .isEqualTo("[]");
  }

  @Test
  void listsSeriesFilteredByLabels() throws Exception {
    JsonObject all = getJson("/api/v1/metrics/http.server.requests/series?" + range(), 200);
    assertThat(all.getAsJsonArray("series").size()).isEqualTo(2);
    assertThat(all.get("more").getAsBoolean()).isFalse();

    JsonObject get =
        getJson(
            "/api/v1/metrics/http.server.requests/series?attr.http.request.method=GET&"
                + "attr.http.response.status_code=200&"
                + range(),
            200);
    JsonObject only = get.getAsJsonArray("series").get(0).getAsJsonObject();
    assertThat(get.getAsJsonArray("series").size()).isEqualTo(1);
    assertThat(only.get("id").getAsString()).hasSize(32);
    assertThat(only.get("labels").toString())
        .isEqualTo("{\"http.request.method\":\"GET\",\"http.response.status_code\":200}");
    assertThat(only.getAsJsonObject("resource").get("service.name").getAsString())
        .isEqualTo("checkout");

    JsonObject limited =
        getJson("/api/v1/metrics/http.server.requests/series?limit=1&" + range(), 200);
    assertThat(limited.getAsJsonArray("series").size()).isEqualTo(1);
    assertThat(limited.get("more").getAsBoolean()).isTrue();
  }

  private static List<Double> values(JsonObject series) {
    List<Double> out = new ArrayList<>();
    for (JsonElement p : series.getAsJsonArray("points")) {
      out.add(p.getAsJsonObject().get("value").getAsDouble());
    }
    return out;
  }

  @Test
  void rateOfTheCounterPerMethodSurvivesTheReset() throws Exception {
    JsonObject result =
        getJson(
            "/api/v1/metrics/http.server.requests/query?step=1m&agg=rate&by=http.request.method&"
                + range(),
            200);
    assertThat(result.get("agg").getAsString()).isEqualTo("rate");
    assertThat(result.get("startUnixNano").getAsString()).isEqualTo(Long.toString(BASE + MINUTE));
    assertThat(result.get("stepNanos").getAsLong()).isEqualTo(MINUTE);
    assertThat(result.get("buckets").getAsInt()).isEqualTo(9);
    JsonArray series = result.getAsJsonArray("series");
    assertThat(series.size()).isEqualTo(2);
    JsonObject get = series.get(0).getAsJsonObject();
    assertThat(get.get("labels").toString()).isEqualTo("{\"http.request.method\":\"GET\"}");
    assertThat(values(get)).hasSize(9).allSatisfy(v -> assertThat(v).isEqualTo(1.0));
    assertThat(values(series.get(1).getAsJsonObject()))
        .hasSize(9)
        .allSatisfy(v -> assertThat(v).isEqualTo(0.5));

    JsonObject exemplar = get.getAsJsonArray("exemplars").get(0).getAsJsonObject();
    assertThat(exemplar.get("traceId").getAsString()).isEqualTo(sample.exemplarTraceId);
    assertThat(exemplar.get("spanId").getAsString()).isEqualTo("eee19b7ec3c1b174");
    assertThat(exemplar.get("timeUnixNano").getAsString())
        .isEqualTo(Long.toString(BASE + 360 * SECOND));

    JsonObject total =
        getJson("/api/v1/metrics/http.server.requests/query?step=60s&" + range(), 200);
    assertThat(total.get("agg").getAsString()).isEqualTo("rate");
    assertThat(values(total.getAsJsonArray("series").get(0).getAsJsonObject()))
        .allSatisfy(v -> assertThat(v).isEqualTo(1.5));
  }

  @Test
  void histogramQuantilesMatchTheKnownDistribution() throws Exception {
    for (String[] c : new String[][] {{"p50", "50.0"}, {"p90", "90.0"}, {"p99", "99.0"}}) {
      JsonObject result =
          getJson(
              "/api/v1/metrics/http.server.duration/query?step=2m&agg=" + c[0] + "&" + range(),
              200);
      assertThat(values(result.getAsJsonArray("series").get(0).getAsJsonObject()))
          .as(c[0])
          .isNotEmpty()
          .allSatisfy(v -> assertThat(v).isCloseTo(Double.parseDouble(c[1]), within()));
    }
    JsonObject avg =
        getJson(
            "/api/v1/metrics/process.memory.usage/query?step=10m&start="
                + BASE
                + "&end="
                + (BASE + 10 * MINUTE - 1),
            200);
    assertThat(avg.get("agg").getAsString()).isEqualTo("avg");
    assertThat(values(avg.getAsJsonArray("series").get(0).getAsJsonObject()))
        .containsExactly(129.5);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  @Test
  void badParametersAre400UnknownMetricsAre404() throws Exception {
    String q = "/api/v1/metrics/http.server.requests/query?";
    String[][] cases = {
      {q + "step=0&" + range(), "step"},
      {q + "step=1ms&" + range(), "step"},
      {q + "step=soon&" + range(), "step"},
      {q + "agg=median&" + range(), "agg"},
      {q + "agg=p99&" + range(), "agg"},
      {q + "agg=p100&" + range(), "agg"},
      {"/api/v1/metrics/process.memory.usage/query?agg=rate&" + range(), "agg"},
      {q + "start=" + BASE + "&end=" + (BASE - 1), "start"},
      {q + "start=yesterday", "start"},
      {"/api/v1/metrics/http.server.requests/series?limit=0", "limit"},
      {"/api/v1/metrics/http.server.requests/series?limit=1001", "limit"},
      {"/api/v1/metrics?end=" + URLEncoder.encode("not a time", StandardCharsets.UTF_8), "end"},
    };
    for (String[] c : cases) {
      JsonObject error = getJson(c[0], 400);
      assertThat(error.get("parameter").getAsString()).as(c[0]).isEqualTo(c[1]);
      assertThat(error.get("error").getAsString()).as(c[0]).isNotBlank();
    }
    assertThat(
            getJson("/api/v1/metrics/nothing.here/query?" + range(), 404)
                .get("error")
                .getAsString())
        .isEqualTo("metric nothing.here not found");
    getJson("/api/v1/metrics/nothing.here/series", 404);
    // known, but nothing in the range: no points
    JsonObject empty =
        getJson(
            "/api/v1/metrics/process.memory.usage/query?start="
                + (BASE - 100 * MINUTE)
                + "&end="
                + (BASE - 90 * MINUTE),
            200);
    assertThat(empty.get("series").toString()).isEqualTo("[]");
  }

  @Test
  void aNameWithASlashIsOnePathSegmentWhenEncoded() throws Exception {
    long t = BASE - 100 * MINUTE;
    try (MetricRows rows = new MetricRows(glust.db)) {
      String id = rows.series("app/queue.depth", MetricKind.GAUGE).seen(t, t + MINUTE).insert();
      rows.number(id, t + SECOND, 0, 42, "[]");
    }
    JsonObject result =
        getJson("/api/v1/metrics/app%2Fqueue.depth/query?start=" + t + "&end=" + (t + MINUTE), 200);
    assertThat(result.get("metric").getAsString()).isEqualTo("app/queue.depth");
    assertThat(values(result.getAsJsonArray("series").get(0).getAsJsonObject()))
        .containsExactly(42.0);
  }

  @Test
  void theQueryScopeIsRequired() throws Exception {
    assertThat(glust.get("/api/v1/metrics").statusCode()).isEqualTo(401);
    assertThat(glust.get("/api/v1/metrics/http.server.requests/query").statusCode()).isEqualTo(401);
    assertThat(get("/openapi.yml").body()).contains("/api/v1/metrics/{name}/query:");
  }
}
