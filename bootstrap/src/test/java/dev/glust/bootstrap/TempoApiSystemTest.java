package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 22's acceptance: a known workload of {@value #TRACES} traces, read back through Tempo's API
 * by a table of TraceQL queries whose expected traces are stated independently (as predicates on
 * the trace's index), each also asked of the native search where it can say the same; then the
 * shapes Grafana's Tempo data source reads, and refusals.
 *
 * <p>Trace {@code i} (a minute apart): a root {@code frontend} span named {@link #ROOTS}[i % 4] of
 * 100 + 10·i ms, SERVER, http.method, http.status_code (500 and error status when i % 5 == 0, else
 * 200), http.route "/cart" for the cart; when i is even a CLIENT child {@code db.query} of the db
 * service (20 ms, db.system, db.rows = i), with an INTERNAL grandchild {@code pool.acquire} (2 ms)
 * when i % 4 == 0; when i % 3 == 0 a SERVER child {@code charge} of payments (50 ms, payment.amount
 * = 9.5·i, payment.retry = i % 6 == 0, failed "card declined" when i % 6 == 3).
 */
class TempoApiSystemTest {
  private static final String TENANT = "tempo-test";
  private static final int TRACES = 24;
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1000 * MS;
  private static final String[] ROOTS = {"GET /home", "GET /cart", "POST /checkout", "GET /search"};

  private final long base = System.currentTimeMillis() * MS - 40 * 60 * SECOND;
  private final HttpClient http = HttpClient.newHttpClient();

  private static String traceId(int i) {
    return String.format("%032x", 0x7e0000L + i);
  }

  private static int spanCount(int i) {
    return 1 + (i % 2 == 0 ? 1 : 0) + (i % 4 == 0 ? 1 : 0) + (i % 3 == 0 ? 1 : 0);
  }

  private static double averageMs(int i) {
    double sum =
        100 + 10 * i + (i % 2 == 0 ? 20 : 0) + (i % 4 == 0 ? 2 : 0) + (i % 3 == 0 ? 50 : 0);
    return sum / spanCount(i);
  }

  /** A TraceQL query, the traces it matches, and the native search saying the same (or null). */
  private record Row(String traceQl, IntPredicate expected, String nativeSearch) {}

  private static Row row(String traceQl, IntPredicate expected) {
    return new Row(traceQl, expected, null);
  }

  private static Row row(String traceQl, IntPredicate expected, String nativeSearch) {
    return new Row(traceQl, expected, nativeSearch);
  }

  private static final List<Row> TABLE =
      List.of(
          row("{}", i -> true),
          row("{ true }", i -> true),
          row("{ name = \"GET /home\" }", i -> i % 4 == 0, "operation=GET%20/home"),
          row("{ span:name = \"GET /cart\" }", i -> i % 4 == 1, "operation=GET%20/cart"),
          row("{ name != \"charge\" }", i -> true),
          row("{ name =~ \"GET /.*\" }", i -> i % 4 != 2),
          row("{ name !~ \"GET /.*|POST /checkout\" }", i -> i % 2 == 0 || i % 3 == 0),
          row("{ name = \"GET /home\" || name = \"GET /cart\" }", i -> i % 4 <= 1),
          row("{ resource.service.name = \"payments\" }", i -> i % 3 == 0, "service=payments"),
          row(
              "{ resource.service.name = \"db\" && name = \"pool.acquire\" }",
              i -> i % 4 == 0,
              "service=db&operation=pool.acquire"),
          row(
              "{ resource.service.name = \"frontend\" && span.http.status_code >= 500 }",
              i -> i % 5 == 0,
              "service=frontend&attr.http.status_code=500"),
          row("{ span.http.status_code = 200 }", i -> i % 5 != 0, "attr.http.status_code=200"),
          row("{ span.http.status_code != 200 }", i -> i % 5 == 0),
          row("{ span.http.status_code > 200 && span.http.status_code < 600 }", i -> i % 5 == 0),
          row("{ .http.method = \"POST\" }", i -> i % 4 == 2, "attr.http.method=POST"),
          row("{ span.http.route = nil && name = \"GET /cart\" }", i -> false),
          row("{ span.http.route != nil }", i -> i % 4 == 1),
          row("{ span.db.rows >= 10 }", i -> i % 2 == 0 && i >= 10),
          row("{ span.db.rows <= 4 }", i -> i % 2 == 0 && i <= 4),
          row("{ span.payment.amount > 100 }", i -> i % 3 == 0 && 9.5 * i > 100),
          row("{ span.payment.amount = 28.5 }", i -> i == 3, "attr.payment.amount=28.5"),
          row("{ span.payment.retry = true }", i -> i % 6 == 0, "attr.payment.retry=true"),
          row("{ span.payment.retry = false }", i -> i % 6 == 3, "attr.payment.retry=false"),
          row("{ status = error }", i -> i % 5 == 0 || i % 6 == 3, "status=error"),
          row("{ status != error && name = \"charge\" }", i -> i % 6 == 0),
          row("{ status = unset && resource.service.name = \"frontend\" }", i -> i % 5 != 0),
          row("{ statusMessage = \"card declined\" }", i -> i % 6 == 3),
          row("{ kind = client }", i -> i % 2 == 0),
          row("{ kind = internal }", i -> i % 4 == 0),
          row(
              "{ kind = server && resource.service.name = \"payments\" }",
              i -> i % 3 == 0,
              "service=payments"),
          row("{ duration > 250ms }", i -> 100 + 10 * i > 250, "minDuration=251ms"),
          row(
              "{ duration >= 50ms && duration < 60ms }",
              i -> i % 3 == 0,
              "minDuration=50ms&maxDuration=59ms"),
          row("{ duration < 5ms }", i -> i % 4 == 0, "maxDuration=4ms"),
          row("{ traceDuration > 300ms }", i -> 100 + 10 * i > 300),
          row("{ rootName = \"GET /search\" }", i -> i % 4 == 3),
          row(
              "{ rootServiceName = \"frontend\" && resource.service.name = \"db\" }",
              i -> i % 2 == 0,
              "service=db"),
          row("{ name = \"GET /home\" } && { name = \"charge\" }", i -> i % 12 == 0),
          row("{ name = \"GET /home\" } || { name = \"charge\" }", i -> i % 4 == 0 || i % 3 == 0),
          row(
              "{ resource.service.name = \"frontend\" } > { name = \"db.query\" }",
              i -> i % 2 == 0),
          row("{ resource.service.name = \"frontend\" } > { name = \"pool.acquire\" }", i -> false),
          row(
              "{ resource.service.name = \"frontend\" } >> { name = \"pool.acquire\" }",
              i -> i % 4 == 0),
          row("{ name = \"db.query\" } > { kind = internal }", i -> i % 4 == 0),
          row("{ kind = server } > { kind = server }", i -> i % 3 == 0),
          row("{} | count() > 2", i -> spanCount(i) > 2),
          row("{ resource.service.name = \"db\" } | count() = 2", i -> i % 4 == 0),
          row("{} | avg(duration) > 150ms", i -> averageMs(i) > 150),
          row("{ name = \"GET /home\" || name = \"charge\" } | count() >= 2", i -> i % 12 == 0),
          row(
              "({ name = \"GET /cart\" } || { name = \"GET /search\" }) && { status = error }",
              i -> (i % 4 == 1 || i % 4 == 3) && (i % 5 == 0 || i % 6 == 3)),
          row("{ (name = \"charge\" || name = \"db.query\") && duration > 30ms }", i -> i % 3 == 0),
          row(
              "{ span.http.status_code >= 500 } | max(duration) > 200ms",
              i -> i % 5 == 0 && 100 + 10 * i > 200));

  @Test
  void traceQlTableGrafanaShapesAndRefusals() throws Exception {
    try (RunningGlust glust = new RunningGlust()) {
      send(glust);
      String range = "&start=" + (base / SECOND - 60) + "&end=" + (base / SECOND + 3600);
      String nativeRange = "&start=" + (base - 60 * SECOND) + "&end=" + (base + 3600 * SECOND);

      assertThat(TABLE).hasSizeGreaterThanOrEqualTo(40);
      for (Row row : TABLE) {
        Set<String> expected =
            IntStream.range(0, TRACES)
                .filter(row.expected())
                .mapToObj(TempoApiSystemTest::traceId)
                .collect(Collectors.toCollection(TreeSet::new));
        JsonObject found =
            json(glust, "/tempo/api/search?limit=100&q=" + encode(row.traceQl()) + range);
        assertThat(ids(found.getAsJsonArray("traces"), "traceID"))
            .as(row.traceQl())
            .isEqualTo(expected);
        if (row.nativeSearch() != null) {
          JsonObject nativeFound =
              json(glust, "/api/v1/traces?limit=100&" + row.nativeSearch() + nativeRange);
          assertThat(ids(nativeFound.getAsJsonArray("traces"), "traceId"))
              .as("native " + row.nativeSearch() + " vs " + row.traceQl())
              .isEqualTo(expected);
        }
      }

      searchAnswersInGrafanasShape(glust, range);
      tracesByIdInOtlp(glust);
      tagsForTheQueryEditor(glust, range);
      refusalsNameTheConstruct(glust, range);

      // another tenant sees none of it
      HttpResponse<String> other =
          glust.get("/tempo/api/search?q=" + encode("{}") + range, "X-Scope-OrgID", "someone-else");
      assertThat(JsonParser.parseString(other.body()).getAsJsonObject().getAsJsonArray("traces"))
          .isEmpty();
    }
  }

  private void searchAnswersInGrafanasShape(RunningGlust glust, String range) throws Exception {
    // newest first, limited; spss bounds the spans shown, matched counts them all
    JsonArray newest =
        json(glust, "/tempo/api/search?limit=3&q=" + encode("{}") + range).getAsJsonArray("traces");
    assertThat(newest)
        .extracting(t -> t.getAsJsonObject().get("traceID").getAsString())
        .containsExactly(traceId(23), traceId(22), traceId(21));
    JsonObject hit =
        json(
                glust,
                "/tempo/api/search?spss=1&q="
                    + encode("{ resource.service.name = \"db\" && span.db.rows >= 20 }")
                    + range)
            .getAsJsonArray("traces")
            .get(0)
            .getAsJsonObject();
    assertThat(hit.get("traceID").getAsString()).isEqualTo(traceId(22));
    assertThat(hit.get("rootServiceName").getAsString()).isEqualTo("frontend");
    assertThat(hit.get("rootTraceName").getAsString()).isEqualTo(ROOTS[22 % 4]);
    assertThat(hit.get("startTimeUnixNano").getAsString()).isEqualTo(Long.toString(start(22)));
    assertThat(hit.get("durationMs").getAsLong()).isEqualTo(100 + 10 * 22);
    JsonObject spanSet = hit.getAsJsonArray("spanSets").get(0).getAsJsonObject();
    assertThat(hit.getAsJsonObject("spanSet")).isEqualTo(spanSet);
    assertThat(spanSet.get("matched").getAsInt()).isEqualTo(1);
    JsonObject span = spanSet.getAsJsonArray("spans").get(0).getAsJsonObject();
    assertThat(span.get("spanID").getAsString()).isEqualTo(spanId(22, 2));
    assertThat(span.get("name").getAsString()).isEqualTo("db.query");
    assertThat(span.get("startTimeUnixNano").getAsString())
        .isEqualTo(Long.toString(start(22) + MS));
    assertThat(span.get("durationNanos").getAsString()).isEqualTo(Long.toString(20 * MS));
    Map<String, JsonElement> attributes = new HashMap<>();
    for (JsonElement a : span.getAsJsonArray("attributes")) {
      attributes.put(
          a.getAsJsonObject().get("key").getAsString(), a.getAsJsonObject().get("value"));
    }
    assertThat(attributes.get("service.name").getAsJsonObject().get("stringValue").getAsString())
        .isEqualTo("db");
    assertThat(attributes.get("db.rows").getAsJsonObject().get("intValue").getAsString())
        .isEqualTo("22");
    JsonObject twoSpans =
        json(
                glust,
                "/tempo/api/search?spss=1&q="
                    + encode("{ resource.service.name = \"db\" }")
                    + range)
            .getAsJsonArray("traces")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("spanSets")
            .get(0)
            .getAsJsonObject();
    assertThat(twoSpans.get("matched").getAsInt()).isEqualTo(1); // trace 22: db.query only
    // the older tags form, and min/maxDuration on the trace
    assertThat(
            ids(
                json(
                        glust,
                        "/tempo/api/search?limit=100&tags="
                            + encode("service.name=payments http.status_code=500")
                            + range)
                    .getAsJsonArray("traces"),
                "traceID"))
        .isEmpty(); // one span must carry both: none does
    assertThat(
            ids(
                json(
                        glust,
                        "/tempo/api/search?limit=100&tags="
                            + encode("name=\"GET /home\" http.status_code=500")
                            + "&minDuration=250ms&maxDuration=1s"
                            + range)
                    .getAsJsonArray("traces"),
                "traceID"))
        .containsExactly(traceId(20));
  }

  private void tracesByIdInOtlp(RunningGlust glust) throws Exception {
    String id = traceId(12);
    HttpResponse<byte[]> v1 = bytes(glust, "/tempo/api/traces/" + id, "application/protobuf");
    assertThat(v1.statusCode()).isEqualTo(200);
    assertThat(v1.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/protobuf");
    assertThat(spanNames(ExportTraceServiceRequest.parseFrom(v1.body())))
        .containsExactlyInAnyOrder("GET /home", "db.query", "pool.acquire", "charge");

    // v2: TraceByIDResponse, the trace in field 1
    HttpResponse<byte[]> v2 = bytes(glust, "/tempo/api/v2/traces/" + id, "application/protobuf");
    CodedInputStream in = CodedInputStream.newInstance(v2.body());
    assertThat(in.readTag()).isEqualTo((1 << 3) | 2);
    ExportTraceServiceRequest trace = ExportTraceServiceRequest.parseFrom(in.readBytes());
    assertThat(in.isAtEnd()).isTrue();
    assertThat(spanNames(trace)).hasSize(4);

    JsonObject json = json(glust, "/tempo/api/traces/" + id.substring(8)); // leading zeros dropped
    JsonObject first =
        json.getAsJsonArray("resourceSpans")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("scopeSpans")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("spans")
            .get(0)
            .getAsJsonObject();
    assertThat(first.get("traceId").getAsString()).isEqualTo(id);
    JsonObject v2Json = json(glust, "/tempo/api/v2/traces/" + id);
    assertThat(v2Json.get("status").getAsString()).isEqualTo("COMPLETE");
    assertThat(v2Json.getAsJsonObject("trace").getAsJsonArray("resourceSpans")).hasSize(3);

    long startSeconds = start(12) / SECOND;
    assertThat(
            glust
                .get(
                    "/tempo/api/traces/"
                        + id
                        + "?start="
                        + (startSeconds - 10)
                        + "&end="
                        + (startSeconds + 10),
                    "X-Scope-OrgID",
                    TENANT)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            glust
                .get(
                    "/tempo/api/traces/"
                        + id
                        + "?start="
                        + (startSeconds + 600)
                        + "&end="
                        + (startSeconds + 700),
                    "X-Scope-OrgID",
                    TENANT)
                .statusCode())
        .isEqualTo(404);
    assertThat(
            glust
                .get("/tempo/api/v2/traces/" + "ab".repeat(16), "X-Scope-OrgID", TENANT)
                .statusCode())
        .isEqualTo(404);
  }

  private void tagsForTheQueryEditor(RunningGlust glust, String range) throws Exception {
    assertThat(glust.get("/tempo/api/echo").body()).isEqualTo("echo");
    assertThat(json(glust, "/tempo/api/status/buildinfo").get("version").getAsString())
        .startsWith("2.");
    assertThat(
            strings(json(glust, "/tempo/api/search/tags?x=1" + range).getAsJsonArray("tagNames")))
        .contains("service.name", "http.method", "http.status_code", "db.system", "payment.retry");
    Map<String, List<String>> scopes = new LinkedHashMap<>();
    for (JsonElement s :
        json(glust, "/tempo/api/v2/search/tags?x=1" + range).getAsJsonArray("scopes")) {
      scopes.put(
          s.getAsJsonObject().get("name").getAsString(),
          strings(s.getAsJsonObject().getAsJsonArray("tags")));
    }
    assertThat(scopes.keySet()).containsExactly("span", "resource", "intrinsic");
    assertThat(scopes.get("span"))
        .contains("http.status_code", "db.rows")
        .doesNotContain("service.name");
    assertThat(scopes.get("resource")).contains("service.name");
    assertThat(scopes.get("intrinsic")).contains("name", "status", "duration", "kind");
    assertThat(
            json(glust, "/tempo/api/v2/search/tags?scope=resource" + range)
                .getAsJsonArray("scopes"))
        .hasSize(1);

    assertThat(tagValues(glust, "resource.service.name", "", range))
        .containsExactlyInAnyOrder("string:frontend", "string:db", "string:payments");
    assertThat(tagValues(glust, "name", "{ resource.service.name = \"db\" }", range))
        .containsExactlyInAnyOrder("string:db.query", "string:pool.acquire");
    assertThat(tagValues(glust, "span.http.status_code", "", range))
        .containsExactlyInAnyOrder("int:200", "int:500");
    assertThat(tagValues(glust, "span.payment.retry", "{ name = \"charge\" && ", range))
        .containsExactlyInAnyOrder("bool:true", "bool:false"); // an unfinished q narrows nothing
    assertThat(tagValues(glust, "status", "", range)).contains("keyword:error", "keyword:ok");
    assertThat(
            strings(
                json(glust, "/tempo/api/search/tag/service.name/values?x=1" + range)
                    .getAsJsonArray("tagValues")))
        .containsExactlyInAnyOrder("frontend", "db", "payments");
  }

  private void refusalsNameTheConstruct(RunningGlust glust, String range) throws Exception {
    Map<String, String> refused =
        Map.of(
            "{ name = \"a\" } | select(span.x)", "select()",
            "{ event.exception = \"x\" }", "attribute scope 'event.'",
            "{ name = \"a\" } ~ { name = \"b\" }", "spanset operator '~'",
            "{ name = \"a\" } | by(resource.service.name)", "by()",
            "{ span:id = \"1\" }", "span:id",
            "{ name = \"a\" ", "expected '}'");
    for (Map.Entry<String, String> r : refused.entrySet()) {
      HttpResponse<String> response =
          glust.get("/tempo/api/search?q=" + encode(r.getKey()) + range, "X-Scope-OrgID", TENANT);
      assertThat(response.statusCode()).as(r.getKey()).isEqualTo(400);
      assertThat(response.body()).as(r.getKey()).contains(r.getValue());
    }
    // mutated queries: an answer or a 400, never a server error
    Random random = new Random(22);
    String valid = TABLE.get(10).traceQl();
    String noise = "{}()|&!=<>~.\"\\ 05msh";
    for (int n = 0; n < 60; n++) {
      int at = random.nextInt(valid.length());
      String mutated =
          valid.substring(0, at)
              + noise.charAt(random.nextInt(noise.length()))
              + valid.substring(at + random.nextInt(2));
      int status =
          glust
              .get("/tempo/api/search?q=" + encode(mutated) + range, "X-Scope-OrgID", TENANT)
              .statusCode();
      assertThat(status).as(mutated).isIn(200, 400);
    }
  }

  private List<String> tagValues(RunningGlust glust, String tag, String q, String range)
      throws Exception {
    JsonArray values =
        json(glust, "/tempo/api/v2/search/tag/" + encode(tag) + "/values?q=" + encode(q) + range)
            .getAsJsonArray("tagValues");
    List<String> out = new ArrayList<>();
    for (JsonElement v : values) {
      out.add(
          v.getAsJsonObject().get("type").getAsString()
              + ":"
              + v.getAsJsonObject().get("value").getAsString());
    }
    return out;
  }

  private static List<String> spanNames(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream())
        .map(Span::getName)
        .toList();
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.getAsString()));
    return out;
  }

  private static Set<String> ids(JsonArray traces, String field) {
    Set<String> out = new TreeSet<>();
    traces.forEach(t -> out.add(t.getAsJsonObject().get(field).getAsString()));
    return out;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static JsonObject json(RunningGlust glust, String path) throws Exception {
    HttpResponse<String> response = glust.get(path, "X-Scope-OrgID", TENANT);
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private HttpResponse<byte[]> bytes(RunningGlust glust, String path, String accept)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + glust.server.getPort() + path))
            .header("Accept", accept)
            .header("X-Scope-OrgID", TENANT)
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  // ---- the workload ----

  private long start(int i) {
    return base + i * 60 * SECOND;
  }

  private static String spanId(int i, int n) {
    return String.format("%016x", 0x100000L * n + i);
  }

  private void send(RunningGlust glust) throws Exception {
    Map<String, JsonArray> byService = new LinkedHashMap<>();
    for (String service : List.of("frontend", "db", "payments")) {
      byService.put(service, new JsonArray());
    }
    for (int i = 0; i < TRACES; i++) {
      long t = start(i);
      String name = ROOTS[i % 4];
      JsonArray rootAttributes = new JsonArray();
      rootAttributes.add(attribute("http.method", "stringValue", name.split(" ")[0]));
      rootAttributes.add(attribute("http.status_code", "intValue", i % 5 == 0 ? "500" : "200"));
      if (i % 4 == 1) {
        rootAttributes.add(attribute("http.route", "stringValue", "/cart"));
      }
      byService
          .get("frontend")
          .add(span(i, 1, 0, name, 2, t, 100 + 10 * i, i % 5 == 0 ? "" : null, rootAttributes));
      if (i % 2 == 0) {
        JsonArray db = new JsonArray();
        db.add(attribute("db.system", "stringValue", "postgresql"));
        db.add(attribute("db.rows", "intValue", Integer.toString(i)));
        byService.get("db").add(span(i, 2, 1, "db.query", 3, t + MS, 20, null, db));
        if (i % 4 == 0) {
          byService
              .get("db")
              .add(span(i, 3, 2, "pool.acquire", 1, t + 2 * MS, 2, null, new JsonArray()));
        }
      }
      if (i % 3 == 0) {
        JsonArray payment = new JsonArray();
        payment.add(attribute("payment.amount", "doubleValue", Double.toString(9.5 * i)));
        payment.add(attribute("payment.retry", "boolValue", Boolean.toString(i % 6 == 0)));
        byService
            .get("payments")
            .add(
                span(
                    i,
                    4,
                    1,
                    "charge",
                    2,
                    t + MS,
                    50,
                    i % 6 == 3 ? "card declined" : null,
                    payment));
      }
    }
    for (Map.Entry<String, JsonArray> service : byService.entrySet()) {
      byte[] body =
          OtlpJsonBodies.envelope(
                  "resourceSpans", "scopeSpans", "spans", service.getValue(), service.getKey())
              .toString()
              .getBytes(StandardCharsets.UTF_8);
      HttpResponse<byte[]> response =
          glust.postOtlp("/v1/traces", "application/json", body, "X-Scope-OrgID", TENANT);
      assertThat(response.statusCode()).isEqualTo(200);
    }
  }

  private static JsonObject attribute(String key, String type, String value) {
    JsonObject v = new JsonObject();
    switch (type) {
      case "boolValue" -> v.addProperty(type, Boolean.parseBoolean(value));
      case "doubleValue" -> v.addProperty(type, Double.parseDouble(value));
      default -> v.addProperty(type, value);
    }
    JsonObject a = new JsonObject();
    a.addProperty("key", key);
    a.add("value", v);
    return a;
  }

  /** {@code error}: null for an unset status, else the error's message. */
  private JsonObject span(
      int i,
      int n,
      int parent,
      String name,
      int kind,
      long start,
      long millis,
      String error,
      JsonArray attributes) {
    JsonObject s = new JsonObject();
    s.addProperty("traceId", traceId(i));
    s.addProperty("spanId", spanId(i, n));
    if (parent != 0) {
      s.addProperty("parentSpanId", spanId(i, parent));
    }
    s.addProperty("name", name);
    s.addProperty("kind", kind);
    s.addProperty("startTimeUnixNano", Long.toString(start));
    s.addProperty("endTimeUnixNano", Long.toString(start + millis * MS));
    s.add("attributes", attributes);
    if (error != null) {
      JsonObject status = new JsonObject();
      status.addProperty("code", 2);
      status.addProperty("message", error);
      s.add("status", status);
    }
    return s;
  }
}
