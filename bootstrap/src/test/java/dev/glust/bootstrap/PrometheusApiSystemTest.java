package dev.glust.bootstrap;

import static dev.glust.bootstrap.MetricSample.MINUTE;
import static dev.glust.bootstrap.MetricSample.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glust.adapter.postgres.testing.MetricRows;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.MetricKind;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Prometheus-compatible API over real HTTP against the whole application and the known metrics
 * of {@link MetricSample} (ten minutes from {@link #BASE}, a point every 10 s), plus an exponential
 * histogram {@code payload.size} (delta, scale 0, one observation in each of (1,2], (2,4], (4,8]
 * and (8,16] per point): a table of PromQL queries and their answers, the exact JSON Grafana's
 * Prometheus data source parses, its health check, and answers that agree with the native metrics
 * API on the same data.
 */
class PrometheusApiSystemTest {
  private static final long BASE = 1_700_000_400L * SECOND; // a multiple of 10 min, 2023-11-14
  private static final long BASE_SECONDS = BASE / SECOND;
  private static final String LABELS =
      "\"job\":\"checkout\",\"otel_scope_name\":\"test-scope\",\"otel_scope_version\":\"1.0\","
          + "\"service_name\":\"checkout\"";
  private static RunningGlust glust;
  private static MetricSample sample;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    glust = new RunningGlust(Map.of("glust.security.api-keys", "query-key:query@*"));
    sample = new MetricSample(BASE, ExplorerSample.randomHex(16));
    sample.write(glust);
    try (MetricRows rows = new MetricRows(glust.db)) {
      String payload =
          rows.series("payload.size", MetricKind.EXPONENTIAL_HISTOGRAM)
              .temporality(AggregationTemporality.DELTA)
              .unit("By")
              .seen(BASE, BASE + 10 * MINUTE)
              .insert();
      for (int i = 0; i < MetricSample.POINTS; i++) {
        long t = BASE + i * 10 * SECOND;
        rows.exponentialHistogram(
            payload, t, t - 10 * SECOND, 0, 0, 0, new long[] {1, 1, 1, 1}, 0, new long[0]);
      }
    }
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return glust.get(path, "X-API-Key", "query-key");
  }

  private static HttpResponse<String> postForm(String path, String form) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + glust.server.getPort() + path))
            .header("X-API-Key", "query-key")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static JsonObject data(HttpResponse<String> response) {
    return successful(response).getAsJsonObject("data");
  }

  private static JsonArray dataArray(HttpResponse<String> response) {
    return successful(response).getAsJsonArray("data");
  }

  private static JsonObject successful(HttpResponse<String> response) {
    JsonObject body = json(response, 200);
    assertThat(body.get("status").getAsString()).isEqualTo("success");
    return body;
  }

  private static JsonObject instant(String query, long timeSeconds) throws Exception {
    return data(get("/prometheus/api/v1/query?query=" + encode(query) + "&time=" + timeSeconds));
  }

  @Test
  void grafanasHealthCheckPostsOnePlusOne() throws Exception {
    HttpResponse<String> response =
        postForm("/prometheus/api/v1/query", "query=1%2B1&time=" + BASE_SECONDS + ".5");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":["
                + BASE_SECONDS
                + ".5,\"2\"]}}");
    assertThat(instant("vector(1)+vector(1)", BASE_SECONDS).toString())
        .isEqualTo(
            "{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                + BASE_SECONDS
                + ",\"2\"]}]}");
    assertThat(data(get("/prometheus/api/v1/status/buildinfo")).get("version").getAsString())
        .startsWith("2.");
  }

  @Test
  void instantAndRangeAnswersHaveTheExactShapes() throws Exception {
    long t = BASE_SECONDS + 60;
    assertThat(get("/prometheus/api/v1/query?query=process_memory_usage_bytes&time=" + t).body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{"
                + "\"__name__\":\"process_memory_usage_bytes\","
                + LABELS
                + "},\"value\":["
                + t
                + ",\"106\"]}]}}");
    HttpResponse<String> range =
        postForm(
            "/prometheus/api/v1/query_range",
            "query=process_memory_usage_bytes&start=" + t + "&end=" + (t + 20) + "&step=10s");
    assertThat(range.body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{"
                + "\"__name__\":\"process_memory_usage_bytes\","
                + LABELS
                + "},\"values\":[["
                + t
                + ",\"106\"],["
                + (t + 10)
                + ",\"107\"],["
                + (t + 20)
                + ",\"108\"]]}]}}");
    assertThat(
            data(get(
                    "/prometheus/api/v1/query?query="
                        + encode("process_memory_usage_bytes[25s]")
                        + "&time="
                        + t))
                .get("resultType")
                .getAsString())
        .isEqualTo("matrix");
  }

  /** The value of the single series a query answers at a time, or NaN for no series at all. */
  private static double single(String query, long timeSeconds) throws Exception {
    JsonArray result = instant(query, timeSeconds).getAsJsonArray("result");
    if (result.isEmpty()) {
      return Double.NaN;
    }
    assertThat(result.size()).as(query).isEqualTo(1);
    return Double.parseDouble(
        result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
  }

  @ParameterizedTest(name = "{0} at +{1}s = {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sum(rate(http_server_requests_total[1m])) | 120 | 1.5",
        "sum(rate(http_server_requests_total{http_request_method=\"GET\"}[1m])) | 330 | 1",
        "sum(increase(http_server_requests_total{http_request_method!=\"GET\"}[1m])) | 120 | 30",
        "sum(irate(http_server_requests_total{http_request_method=~\"P.*\"}[1m])) | 120 | 0.5",
        "sum(rate(http_server_requests_total{http_request_method!~\"P.*\"}[1m] offset 1m)) | 180 | 1",
        "count(http_server_requests_total) | 120 | 2",
        "max(http_server_requests_total) / 10 | 0 | 10",
        "sum by (job) (rate(http_server_requests_total[1m])) * 60 | 120 | 90",
        "topk(1, rate(http_server_requests_total[1m])) | 120 | 1",
        "bottomk(1, rate(http_server_requests_total[1m])) | 120 | 0.5",
        "min(delta(process_memory_usage_bytes[1m])) | 120 | 6",
        "avg(process_memory_usage_bytes) > 100 | 60 | 106",
        "avg(process_memory_usage_bytes) > bool 1000 | 60 | 0",
        "process_memory_usage_bytes offset 1m | 120 | 106",
        "histogram_quantile(0.5, sum by (le) (rate(http_server_duration_milliseconds_bucket[1m])))"
            + " | 120 | 50",
        "histogram_quantile(0.9, sum by (le) (increase(http_server_duration_milliseconds_bucket[1m])))"
            + " | 120 | 90",
        "histogram_quantile(0.5, sum by (le) (rate(payload_size_bytes_bucket[1m]))) | 120 | 4",
        "histogram_quantile(0.9, sum by (le) (rate(payload_size_bytes_bucket[1m]))) | 120 | 12.8",
        "sum(rate(payload_size_bytes_count[1m])) | 120 | 0.4",
        "http_server_duration_milliseconds_sum - http_server_duration_milliseconds_sum offset 10s"
            + " | 120 | 500",
        "no_such_metric | 120 | NaN",
        "process_memory_usage_bytes | 1000 | NaN",
      })
  void promqlQueriesAnswerTheKnownValues(String query, long offsetSeconds, double expected)
      throws Exception {
    double actual = single(query, BASE_SECONDS + offsetSeconds);
    if (Double.isNaN(expected)) {
      assertThat(actual).as(query).isNaN();
    } else {
      assertThat(actual).as(query).isCloseTo(expected, within(1e-9));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sum(x) and y | the set operator \"and\" is not supported",
        "rate(x[5m:1m]) | a subquery is not supported",
        "label_replace(x, \"a\", \"b\", \"c\", \"d\") | the function \"label_replace\"",
        "sum(x[5m]) | expected type instant vector",
        "x{ | unexpected end of input",
      })
  void unsupportedOrBrokenQueriesAre400BadData(String query, String message) throws Exception {
    for (HttpResponse<String> response :
        List.of(
            get("/prometheus/api/v1/query?query=" + encode(query)),
            postForm(
                "/prometheus/api/v1/query_range",
                "query="
                    + encode(query)
                    + "&start="
                    + BASE_SECONDS
                    + "&end="
                    + (BASE_SECONDS + 60)
                    + "&step=15"))) {
      JsonObject body = json(response, 400);
      assertThat(body.get("status").getAsString()).isEqualTo("error");
      assertThat(body.get("errorType").getAsString()).isEqualTo("bad_data");
      assertThat(body.get("error").getAsString()).contains(message);
    }
    JsonObject step =
        json(get("/prometheus/api/v1/query_range?query=1&start=0&end=100000&step=1"), 400);
    assertThat(step.get("error").getAsString()).contains("11,000 points");
    assertThat(json(get("/prometheus/api/v1/query"), 400).get("error").getAsString())
        .contains("missing parameter \"query\"");
  }

  private static List<Double> values(JsonObject series, String valuesKey) {
    List<Double> out = new ArrayList<>();
    for (JsonElement point : series.getAsJsonArray(valuesKey)) {
      JsonElement value =
          point.isJsonArray()
              ? point.getAsJsonArray().get(1)
              : point.getAsJsonObject().get("value");
      out.add(Double.parseDouble(value.getAsString()));
    }
    return out;
  }

  /**
   * The native API's buckets {@code [b, b + step)} against PromQL evaluated at {@code b + 50 s},
   * the bucket's last point: a rate over the step's window extrapolates to the same increase the
   * native API counts, the gauge reads the bucket's one point, and quantiles agree.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http.server.requests/query?agg=rate&by=http.request.method&step=1m"
            + " | sum by (http_request_method) (rate(http_server_requests_total[1m])) | 50 | 60",
        "process.memory.usage/query?agg=avg&step=10s | process_memory_usage_bytes | 0 | 10",
        "http.server.duration/query?agg=p95&step=1m"
            + " | histogram_quantile(0.95, sum by (le) (rate(http_server_duration_milliseconds_bucket[1m])))"
            + " | 50 | 60",
        "payload.size/query?agg=p90&step=1m"
            + " | histogram_quantile(0.9, sum by (le) (increase(payload_size_bytes_bucket[1m])))"
            + " | 50 | 60",
      })
  void answersAgreeWithTheNativeMetricsApi(
      String nativeQuery, String promql, long lastPointSeconds, long stepSeconds) throws Exception {
    long start = BASE + MINUTE;
    long end = BASE + 9 * MINUTE - SECOND;
    JsonObject nativeResult =
        json(get("/api/v1/metrics/" + nativeQuery + "&start=" + start + "&end=" + end), 200);
    JsonArray nativeSeries = nativeResult.getAsJsonArray("series");
    long firstEval = start / SECOND + lastPointSeconds;
    JsonArray promSeries =
        data(postForm(
                "/prometheus/api/v1/query_range",
                "query="
                    + encode(promql)
                    + "&start="
                    + firstEval
                    + "&end="
                    + (end / SECOND)
                    + "&step="
                    + stepSeconds))
            .getAsJsonArray("result");
    assertThat(promSeries.size()).isEqualTo(nativeSeries.size()).isPositive();
    for (int i = 0; i < nativeSeries.size(); i++) {
      List<Double> expected = values(nativeSeries.get(i).getAsJsonObject(), "points");
      List<Double> actual = values(promSeries.get(i).getAsJsonObject(), "values");
      assertThat(actual).as(promql).hasSameSizeAs(expected);
      for (int j = 0; j < expected.size(); j++) {
        assertThat(actual.get(j)).as(promql + " #" + j).isCloseTo(expected.get(j), within(1e-9));
      }
    }
  }

  private static String range() {
    return "start=" + BASE_SECONDS + "&end=" + (BASE_SECONDS + 600);
  }

  @Test
  void labelsValuesSeriesAndMetadataComeTranslated() throws Exception {
    JsonArray names = dataArray(get("/prometheus/api/v1/labels?" + range()));
    assertThat(names.toString())
        .contains(
            "\"__name__\"",
            "\"http_request_method\"",
            "\"http_response_status_code\"",
            "\"http_route\"",
            "\"job\"",
            "\"le\"",
            "\"service_name\"");
    assertThat(dataArray(get("/prometheus/api/v1/label/__name__/values?" + range())).toString())
        .contains(
            "\"http_server_duration_milliseconds_bucket\"",
            "\"http_server_duration_milliseconds_count\"",
            "\"http_server_duration_milliseconds_sum\"",
            "\"http_server_requests_total\"",
            "\"payload_size_bytes_bucket\"",
            "\"process_memory_usage_bytes\"");
    assertThat(
            dataArray(
                    get(
                        "/prometheus/api/v1/label/http_request_method/values?"
                            + range()
                            + "&match[]="
                            + encode("http_server_requests_total")))
                .toString())
        .isEqualTo("[\"GET\",\"POST\"]");
    JsonArray series =
        dataArray(
            postForm(
                "/prometheus/api/v1/series",
                range()
                    + "&match[]="
                    + encode("http_server_requests_total{http_request_method=\"GET\"}")));
    assertThat(series.toString())
        .isEqualTo(
            "[{\"__name__\":\"http_server_requests_total\",\"http_request_method\":\"GET\","
                + "\"http_response_status_code\":\"200\","
                + LABELS
                + "}]");
    // bucket series come with their le bounds, read from the points
    assertThat(
            dataArray(
                    get(
                        "/prometheus/api/v1/series?"
                            + range()
                            + "&match[]="
                            + encode("http_server_duration_milliseconds_bucket")))
                .size())
        .isEqualTo(11);
    assertThat(
            dataArray(
                    get(
                        "/prometheus/api/v1/label/le/values?"
                            + range()
                            + "&match[]="
                            + encode("payload_size_bytes_bucket")))
                .toString())
        .isEqualTo("[\"+Inf\",\"0\",\"1\",\"16\",\"2\",\"4\",\"8\"]");
    assertThat(
            dataArray(
                    get(
                        "/prometheus/api/v1/labels?"
                            + range()
                            + "&match[]="
                            + encode("process_memory_usage_bytes")))
                .toString())
        .isEqualTo(
            "[\"__name__\",\"job\",\"otel_scope_name\",\"otel_scope_version\","
                + "\"service_name\"]");
    JsonObject metadata = data(get("/prometheus/api/v1/metadata?" + range()));
    assertThat(metadata.getAsJsonArray("http_server_requests_total").toString())
        .isEqualTo("[{\"type\":\"counter\",\"help\":\"HTTP requests served\",\"unit\":\"\"}]");
    assertThat(metadata.getAsJsonArray("http_server_duration_milliseconds").toString())
        .isEqualTo(
            "[{\"type\":\"histogram\",\"help\":\"Duration of HTTP server requests\",\"unit\":\"\"}]");
    assertThat(json(get("/prometheus/api/v1/series?" + range()), 400).get("error").getAsString())
        .contains("no match[]");
  }

  @Test
  void exemplarsCarryTheTraceIdForGrafanasTraceLink() throws Exception {
    JsonArray exemplars =
        dataArray(
            get(
                "/prometheus/api/v1/query_exemplars?query="
                    + encode("sum(rate(http_server_requests_total[1m]))")
                    + "&"
                    + range()));
    assertThat(exemplars.toString())
        .isEqualTo(
            "[{\"seriesLabels\":{\"__name__\":\"http_server_requests_total\","
                + "\"http_request_method\":\"GET\",\"http_response_status_code\":\"200\","
                + LABELS
                + "},\"exemplars\":[{\"labels\":{\"span_id\":\"eee19b7ec3c1b174\",\"trace_id\":\""
                + sample.exemplarTraceId
                + "\"},\"value\":\"1\",\"timestamp\":"
                + (BASE_SECONDS + 360)
                + "}]}]");
  }

  /**
   * Mutated queries and parameters over HTTP (the engine's own jqwik fuzz is PromQueryFuzzTest):
   * every answer is a success or a 400 in Prometheus' envelope, never a 5xx.
   */
  @Test
  void mutatedRequestsNeverAnswer5xx() throws Exception {
    List<String> queries =
        List.of(
            "sum by (http_request_method) (rate(http_server_requests_total[1m]))",
            "histogram_quantile(0.9, sum by (le) (rate(payload_size_bytes_bucket[1m])))",
            "topk(1, process_memory_usage_bytes offset 1m) > bool 100");
    String alphabet = "{}[]()\"'=!~<>+-*/^,.:0159msh_ azle\\@#%";
    java.util.Random random = new java.util.Random(21);
    for (int i = 0; i < 300; i++) {
      StringBuilder q = new StringBuilder(queries.get(i % queries.size()));
      for (int m = 0; m < 1 + random.nextInt(3); m++) {
        int at = random.nextInt(q.length() + 1);
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        if (random.nextBoolean() || at == q.length()) {
          q.insert(at, c);
        } else {
          q.setCharAt(at, c);
        }
      }
      String[] times = {"" + BASE_SECONDS, "1e99", "-5", "x", "2023-11-14T22:13:20Z", ""};
      String[] steps = {"15", "0", "-1", "1m", "1e-9999", "15s5m", ""};
      String form =
          "query="
              + encode(q.toString())
              + "&start="
              + times[random.nextInt(times.length)]
              + "&end="
              + (BASE_SECONDS + 600)
              + "&step="
              + steps[random.nextInt(steps.length)];
      for (HttpResponse<String> response :
          List.of(
              postForm("/prometheus/api/v1/query_range", form),
              get("/prometheus/api/v1/query?" + form),
              get("/prometheus/api/v1/series?match[]=" + encode(q.toString())))) {
        assertThat(response.statusCode()).as(form + " → " + response.body()).isLessThan(500);
        if (response.statusCode() != 200) {
          assertThat(response.statusCode()).as(form).isEqualTo(400);
          assertThat(JsonParser.parseString(response.body()).getAsJsonObject().get("errorType"))
              .as(form)
              .isNotNull();
        }
      }
    }
  }

  @Test
  void theTenantHeaderAndApiKeysApply() throws Exception {
    HttpResponse<String> refused = glust.get("/prometheus/api/v1/query?query=1");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(JsonParser.parseString(refused.body()).getAsJsonObject().get("status").getAsString())
        .isEqualTo("error");
    JsonArray otherTenant =
        JsonParser.parseString(
                glust
                    .get(
                        "/prometheus/api/v1/query?query=process_memory_usage_bytes&time="
                            + (BASE_SECONDS + 60),
                        "X-API-Key",
                        "query-key",
                        "X-Scope-OrgID",
                        "someone-else")
                    .body())
            .getAsJsonObject()
            .getAsJsonObject("data")
            .getAsJsonArray("result");
    assertThat(otherTenant).isEmpty();
  }
}
