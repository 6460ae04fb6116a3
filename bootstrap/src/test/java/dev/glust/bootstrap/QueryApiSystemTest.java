package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Telemetry sent with the OTel SDK comes back through the native and the Jaeger API exactly. */
class QueryApiSystemTest {
  private static final String SERVICE = "query-e2e";

  /** Around the sample's fixed times (November 2023), as unix nanoseconds. */
  private static final String RANGE = "start=1699999999000000000&end=1700000001000000000";

  private static RunningGlust glust;
  private static SdkSample.Recorded sent;

  @BeforeAll
  static void ingest() throws Exception {
    glust = new RunningGlust();
    sent = SdkSample.record(SERVICE);
    SpanExporter spans = OtlpGrpcSpanExporter.builder().setEndpoint(glust.otlpGrpc()).build();
    LogRecordExporter logs =
        OtlpHttpLogRecordExporter.builder().setEndpoint(glust.otlpHttp() + "/v1/logs").build();
    assertThat(spans.export(sent.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(logs.export(sent.logs()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    spans.shutdown();
    logs.shutdown();
  }

  @AfterAll
  static void stop() {
    glust.close();
  }

  private static JsonObject getJson(String path, int status) throws Exception {
    HttpResponse<String> response = glust.get(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  @Test
  void aTraceComesBackAsATreeWithExactFieldsAndItsLogs() throws Exception {
    SpanData root = sent.root();
    JsonObject trace = getJson("/api/v1/traces/" + root.getTraceId().toUpperCase(), 200);

    assertThat(trace.get("traceId").getAsString()).isEqualTo(root.getTraceId());
    JsonArray roots = trace.getAsJsonArray("spans");
    assertThat(roots.size()).isEqualTo(1);
    JsonObject rootJson = roots.get(0).getAsJsonObject();
    assertSpan(rootJson, root);
    assertThat(rootJson.get("orphan").getAsBoolean()).isFalse();
    assertThat(rootJson.get("kind").getAsString()).isEqualTo("SERVER");
    assertThat(rootJson.getAsJsonObject("status").get("code").getAsString()).isEqualTo("ERROR");
    assertThat(rootJson.getAsJsonObject("status").get("message").getAsString())
        .isEqualTo("payment failed");
    assertThat(
            rootJson
                .getAsJsonArray("events")
                .get(0)
                .getAsJsonObject()
                .get("timeUnixNano")
                .getAsString())
        .isEqualTo(Long.toString(root.getEvents().get(0).getEpochNanos()));
    assertThat(
            rootJson.getAsJsonArray("links").get(0).getAsJsonObject().get("traceId").getAsString())
        .isEqualTo(root.getLinks().get(0).getSpanContext().getTraceId());
    StoredJson.assertAttributes(
        rootJson.getAsJsonObject("resource").toString(), root.getResource().getAttributes());
    JsonObject child = rootJson.getAsJsonArray("children").get(0).getAsJsonObject();
    SpanData childData =
        sent.spans().stream()
            .filter(s -> s.getName().equals("SELECT orders"))
            .findFirst()
            .orElseThrow();
    assertSpan(child, childData);
    assertThat(child.get("parentSpanId").getAsString()).isEqualTo(root.getSpanId());

    JsonArray logs = trace.getAsJsonArray("logs");
    assertThat(logs.size()).isEqualTo(1);
    LogRecordData log = sent.logs().get(0);
    JsonObject logJson = logs.get(0).getAsJsonObject();
    assertThat(logJson.get("timeUnixNano").getAsString())
        .isEqualTo(Long.toString(log.getTimestampEpochNanos()));
    assertThat(logJson.get("observedTimeUnixNano").getAsString())
        .isEqualTo(Long.toString(log.getObservedTimestampEpochNanos()));
    assertThat(logJson.get("severityNumber").getAsInt())
        .isEqualTo(log.getSeverity().getSeverityNumber());
    assertThat(logJson.get("body").getAsString()).isEqualTo("card declined");
    assertThat(logJson.get("spanId").getAsString()).isEqualTo(root.getSpanId());
    StoredJson.assertAttributes(
        logJson.getAsJsonObject("attributes").toString(), log.getAttributes());
  }

  private static void assertSpan(JsonObject json, SpanData expected) {
    assertThat(json.get("spanId").getAsString()).isEqualTo(expected.getSpanId());
    assertThat(json.get("name").getAsString()).isEqualTo(expected.getName());
    assertThat(json.get("serviceName").getAsString()).isEqualTo(SERVICE);
    assertThat(json.get("startTimeUnixNano").getAsString())
        .isEqualTo(Long.toString(expected.getStartEpochNanos()));
    assertThat(json.get("endTimeUnixNano").getAsString())
        .isEqualTo(Long.toString(expected.getEndEpochNanos()));
    assertThat(json.get("durationNanos").getAsLong())
        .isEqualTo(expected.getEndEpochNanos() - expected.getStartEpochNanos());
    StoredJson.assertAttributes(
        json.getAsJsonObject("attributes").toString(), expected.getAttributes());
    assertThat(json.getAsJsonObject("scope").get("name").getAsString()).isEqualTo(SdkSample.SCOPE);
  }

  @Test
  void searchesFindWhatWasSent() throws Exception {
    SpanData root = sent.root();
    JsonObject traces =
        getJson(
            "/api/v1/traces?service="
                + SERVICE
                + "&attr.http.status_code=500&status=error&"
                + RANGE,
            200);
    JsonObject summary = traces.getAsJsonArray("traces").get(0).getAsJsonObject();
    assertThat(traces.getAsJsonArray("traces").size()).isEqualTo(1);
    assertThat(summary.get("traceId").getAsString()).isEqualTo(root.getTraceId());
    assertThat(summary.get("rootSpanName").getAsString()).isEqualTo("GET /checkout");
    assertThat(summary.get("spanCount").getAsInt()).isEqualTo(2);
    assertThat(summary.get("errorCount").getAsInt()).isEqualTo(1);
    assertThat(summary.get("startTimeUnixNano").getAsString())
        .isEqualTo(Long.toString(root.getStartEpochNanos()));
    assertThat(traces.get("nextCursor").isJsonNull()).isTrue();

    JsonObject paged = getJson("/api/v1/traces?service=" + SERVICE + "&limit=1&" + RANGE, 200);
    assertThat(paged.getAsJsonArray("traces").size()).isEqualTo(1);
    String cursor =
        URLEncoder.encode(paged.get("nextCursor").getAsString(), StandardCharsets.UTF_8);
    JsonObject second =
        getJson(
            "/api/v1/traces?service=" + SERVICE + "&limit=1&" + RANGE + "&cursor=" + cursor, 200);
    assertThat(
            second
                .getAsJsonArray("traces")
                .get(0)
                .getAsJsonObject()
                .get("rootSpanName")
                .getAsString())
        .isNotEqualTo(
            paged
                .getAsJsonArray("traces")
                .get(0)
                .getAsJsonObject()
                .get("rootSpanName")
                .getAsString());

    JsonObject logs =
        getJson("/api/v1/logs?service=" + SERVICE + "&minSeverity=error&q=DECLINED&" + RANGE, 200);
    assertThat(logs.getAsJsonArray("logs").size()).isEqualTo(1);
    JsonObject structured =
        getJson(
            "/api/v1/logs?service=" + SERVICE + "&minSeverity=INFO&attr.order.id=42&" + RANGE, 200);
    assertThat(structured.getAsJsonArray("logs").size()).isEqualTo(1);
    JsonObject all = getJson("/api/v1/logs?service=" + SERVICE + "&" + RANGE, 200);
    // newest first: the structured body, bytes as base64 in the API
    JsonObject body =
        all.getAsJsonArray("logs").get(0).getAsJsonObject().get("body").getAsJsonObject();
    assertThat(body.get("event").getAsString()).isEqualTo("login");
    assertThat(body.get("raw").getAsString()).isEqualTo("AQID");
    assertThat(body.get("tries").getAsString()).isEqualTo("3");
    assertThat(body.get("nested").toString()).isEqualTo("[true,1.5]");

    JsonObject services = getJson("/api/v1/services?" + RANGE, 200);
    assertThat(services.toString())
        .contains("{\"name\":\"" + SERVICE + "\",\"spanCount\":3,\"logCount\":2}");
    JsonObject operations = getJson("/api/v1/services/" + SERVICE + "/operations?" + RANGE, 200);
    assertThat(operations.toString()).contains("{\"name\":\"SELECT orders\",\"kind\":\"CLIENT\"}");
  }

  @Test
  void jaegerClientsGetJaegersShape() throws Exception {
    SpanData root = sent.root();
    JsonObject trace = getJson("/api/traces/" + root.getTraceId(), 200);
    assertThat(trace.get("errors").isJsonNull()).isTrue();
    JsonObject data = trace.getAsJsonArray("data").get(0).getAsJsonObject();
    assertThat(data.get("traceID").getAsString()).isEqualTo(root.getTraceId());
    JsonObject span = data.getAsJsonArray("spans").get(0).getAsJsonObject();
    assertThat(span.get("spanID").getAsString()).isEqualTo(root.getSpanId());
    assertThat(span.get("startTime").getAsLong()).isEqualTo(root.getStartEpochNanos() / 1000);
    assertThat(span.get("operationName").getAsString()).isEqualTo("GET /checkout");
    String process = span.get("processID").getAsString();
    assertThat(
            data.getAsJsonObject("processes")
                .getAsJsonObject(process)
                .get("serviceName")
                .getAsString())
        .isEqualTo(SERVICE);

    JsonObject search =
        getJson(
            "/api/traces?service="
                + SERVICE
                + "&start=1699999999000000&end=1700000001000000&limit=20"
                + "&tags="
                + URLEncoder.encode("{\"http.method\":\"GET\"}", StandardCharsets.UTF_8),
            200);
    assertThat(search.getAsJsonArray("data").size()).isEqualTo(1);
    assertThat(getJson("/api/services", 200).getAsJsonArray("data").toString()).contains(SERVICE);
    assertThat(
            getJson("/api/services/" + SERVICE + "/operations", 200).getAsJsonArray("data").size())
        .isZero();
    // (the sample is from 2023: outside Jaeger's default 2-day lookback for operations)

    JsonObject missing = getJson("/api/traces/00000000000000000000000000000abc", 404);
    assertThat(missing.getAsJsonArray("errors").get(0).getAsJsonObject().get("code").getAsInt())
        .isEqualTo(404);
    JsonObject bad = getJson("/api/traces?limit=5", 400);
    assertThat(bad.getAsJsonArray("errors").get(0).getAsJsonObject().get("msg").getAsString())
        .contains("service");
    JsonObject tooLong = getJson("/api/traces?service=s&lookback=1000h", 400);
    assertThat(tooLong.getAsJsonArray("errors").get(0).getAsJsonObject().get("msg").getAsString())
        .contains("may span at most");
  }

  @Test
  void badParametersAre400NamingTheParameterAndUnknownTracesAre404() throws Exception {
    for (String[] c :
        List.of(
            new String[] {"/api/v1/traces/xyz", "traceId"},
            new String[] {"/api/v1/traces?start=yesterday", "start"},
            new String[] {"/api/v1/traces?limit=1001", "limit"},
            new String[] {"/api/v1/traces?minDuration=fast", "minDuration"},
            new String[] {"/api/v1/traces?status=ok", "status"},
            new String[] {"/api/v1/traces?cursor=bogus", "cursor"},
            new String[] {"/api/v1/logs?minSeverity=LOUD", "minSeverity"},
            new String[] {"/api/v1/logs?traceId=12", "traceId"},
            new String[] {"/api/v1/logs?start=5&end=1", "start"},
            new String[] {"/api/v1/logs?q=x&start=0", "start"}, // longer than the max range
            new String[] {"/api/v1/services?start=0", "start"})) {
      JsonObject error = getJson(c[0], 400);
      assertThat(error.get("parameter").getAsString()).as(c[0]).isEqualTo(c[1]);
    }
    getJson("/api/v1/traces/0102030405060708090a0b0c0d0e0f10", 404);
    assertThat(glust.get("/openapi.yml").body()).startsWith("openapi: 3.0.3");
  }
}
