package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The services dashboard (docs/grafana/glust-services-dashboard.json) asks Glust's Prometheus- and
 * Loki-compatible APIs only what they answer: every panel's query and the service variable's, with
 * Grafana's variables filled in as Grafana would, answers data on a known workload (spans of {@link
 * ServiceWorkload}, and logs of one service with errors).
 */
class GrafanaDashboardSystemTest {
  private static final Path DASHBOARD =
      Path.of("..", "docs", "grafana", "glust-services-dashboard.json");
  private static final String TENANT = ServiceWorkload.TENANT;

  private static RunningGlust glust;
  private static long end;

  @BeforeAll
  static void start() throws Exception {
    glust = new RunningGlust();
    new ServiceWorkload().send(glust);
    sendLogs();
    end = ExplorerSample.nowNanos() / 1_000_000_000L;
    // the pipelines commit within a second or so; wait for the logs to be searchable
    for (int i = 0; i < 100 && lokiRange("{service_name=\"cart\"}").isEmpty(); i++) {
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  private static void sendLogs() throws Exception {
    JsonArray records = new JsonArray();
    long now = ExplorerSample.nowNanos();
    for (int i = 0; i < 20; i++) {
      JsonObject record = new JsonObject();
      record.addProperty("timeUnixNano", String.valueOf(now - (i + 1) * 60_000_000_000L));
      record.addProperty("severityNumber", i % 4 == 0 ? 17 : 9);
      record.addProperty("severityText", i % 4 == 0 ? "ERROR" : "INFO");
      JsonObject body = new JsonObject();
      body.addProperty("stringValue", i % 4 == 0 ? "cart store timed out" : "cart read");
      record.add("body", body);
      records.add(record);
    }
    String json =
        "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
            + "\"value\":{\"stringValue\":\"cart\"}}]},\"scopeLogs\":[{\"logRecords\":"
            + records
            + "}]}]}";
    HttpResponse<byte[]> response =
        glust.postOtlp(
            "/v1/logs",
            "application/json",
            json.getBytes(StandardCharsets.UTF_8),
            "X-Scope-OrgID",
            TENANT);
    assertThat(response.statusCode()).isEqualTo(200);
  }

  private static JsonObject dashboard() throws Exception {
    return JsonParser.parseString(Files.readString(DASHBOARD)).getAsJsonObject();
  }

  /**
   * A panel query with Grafana's variables filled in: all services; rate windows of 20 minutes,
   * because a rate needs two points of a series in its window and this workload's failing calls are
   * minutes apart (the span rollups have a point per minute that had calls).
   */
  private static String filled(String expression) {
    return expression
        .replace("$service", ".+")
        .replace("$__rate_interval", "20m")
        .replace("$__auto", "5m");
  }

  private static JsonObject successful(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
    assertThat(body.get("status").getAsString()).isEqualTo("success");
    return body;
  }

  private static String range(String query) {
    long start = end - 3600;
    return "?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8)
        + "&start="
        + start
        + "&end="
        + end
        + "&step=300";
  }

  private static JsonArray prometheusRange(String query) throws Exception {
    return successful(
            glust.get("/prometheus/api/v1/query_range" + range(query), "X-Scope-OrgID", TENANT))
        .getAsJsonObject("data")
        .getAsJsonArray("result");
  }

  private static JsonArray lokiRange(String query) throws Exception {
    return successful(glust.get("/loki/api/v1/query_range" + range(query), "X-Scope-OrgID", TENANT))
        .getAsJsonObject("data")
        .getAsJsonArray("result");
  }

  private static JsonObject panel(String title) throws Exception {
    for (JsonElement panel : dashboard().getAsJsonArray("panels")) {
      if (panel.getAsJsonObject().get("title").getAsString().equals(title)) {
        return panel.getAsJsonObject();
      }
    }
    throw new AssertionError("no panel " + title);
  }

  /** A panel's (first) query. */
  private static String query(JsonObject panel) {
    return panel.getAsJsonArray("targets").get(0).getAsJsonObject().get("expr").getAsString();
  }

  @Test
  void everyPanelQueryAnswersData() throws Exception {
    List<String> answered = new ArrayList<>();
    for (JsonElement panel : dashboard().getAsJsonArray("panels")) {
      JsonObject p = panel.getAsJsonObject();
      String source = p.getAsJsonObject("datasource").get("uid").getAsString();
      for (JsonElement target : p.getAsJsonArray("targets")) {
        String query = filled(target.getAsJsonObject().get("expr").getAsString());
        JsonArray result =
            switch (source) {
              case "glust-prometheus" -> prometheusRange(query);
              case "glust-loki" -> lokiRange(query);
              default -> throw new AssertionError("not a Glust data source: " + source);
            };
        assertThat(result).as(p.get("title").getAsString() + ": " + query).isNotEmpty();
        answered.add(p.get("title").getAsString());
      }
    }
    assertThat(answered).hasSize(5);
  }

  @Test
  void theServiceVariableListsTheServices() throws Exception {
    JsonObject variable =
        dashboard().getAsJsonObject("templating").getAsJsonArray("list").get(0).getAsJsonObject();
    assertThat(variable.get("definition").getAsString())
        .isEqualTo("label_values(traces_span_metrics_calls_total, service_name)");
    // what Grafana's Prometheus data source asks for label_values(metric, label)
    JsonArray services =
        successful(
                glust.get(
                    "/prometheus/api/v1/label/service_name/values?match[]="
                        + URLEncoder.encode(
                            "traces_span_metrics_calls_total", StandardCharsets.UTF_8)
                        + "&start="
                        + (end - 3600)
                        + "&end="
                        + end,
                    "X-Scope-OrgID",
                    TENANT))
            .getAsJsonArray("data");
    assertThat(services.asList().stream().map(JsonElement::getAsString))
        .containsExactlyInAnyOrder("frontend", "cart", "payments");
  }

  @Test
  void theErrorRatioShowsTheFailingServiceOnly() throws Exception {
    Map<String, Double> errorRatio = new HashMap<>();
    for (JsonElement series : prometheusRange(filled(query(panel("Error ratio by service"))))) {
      JsonObject s = series.getAsJsonObject();
      double max = 0;
      for (JsonElement value : s.getAsJsonArray("values")) {
        max = Math.max(max, Double.parseDouble(value.getAsJsonArray().get(1).getAsString()));
      }
      errorRatio.put(s.getAsJsonObject("metric").get("service_name").getAsString(), max);
    }
    // only payments fails; its ratio is somewhere above 0 in some window
    assertThat(errorRatio).containsKey("payments");
    assertThat(errorRatio.get("payments")).isGreaterThan(0);
    assertThat(errorRatio.getOrDefault("cart", 0.0)).isZero();
  }
}
