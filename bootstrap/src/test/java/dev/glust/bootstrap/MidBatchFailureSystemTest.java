package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The database connection dies in the middle of a COPY that holds two coalesced requests: both (and
 * only they) are answered 503, nothing of them is stored, and the next export succeeds.
 */
class MidBatchFailureSystemTest {
  private static final byte[] TRACE = HexFormat.of().parseHex("0f0e0d0c0b0a09080706050403020100");

  private static byte[] request(String... names) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (String name : names) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(TRACE))
              .setSpanId(
                  ByteString.copyFrom(
                      HexFormat.of().parseHex("00000000000000" + name.substring(0, 2))))
              .setName(name)
              .setStartTimeUnixNano(1)
              .setEndTimeUnixNano(2));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  @Test
  void aDatabaseErrorMidCopyFailsExactlyTheWaitingRequests() throws Exception {
    // one writer and a long linger: the two requests below share one COPY
    Map<String, Object> config =
        Map.of("glust.pipeline.linger", "500ms", "glust.pipeline.writers", 1);
    try (RunningGlust glust = new RunningGlust(config);
        Connection admin = glust.db.connect();
        Statement sql = admin.createStatement()) {
      // The database fails at the second row of the batch, as a server shutting down would.
      sql.execute(
          "CREATE FUNCTION fail_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              + " IF NEW.span_name = 'a1 poison' THEN"
              + " RAISE EXCEPTION 'simulated outage' USING ERRCODE = '57P01'; END IF;"
              + " RETURN NEW; END $$");
      sql.execute(
          "CREATE TRIGGER fail_row BEFORE INSERT ON spans FOR EACH ROW EXECUTE FUNCTION fail_row()");

      HttpClient http = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<String>> first =
          post(http, glust, request("a0 fine", "a1 poison"));
      Thread.sleep(100);
      CompletableFuture<HttpResponse<String>> second = post(http, glust, request("b0 other"));

      for (CompletableFuture<HttpResponse<String>> f : java.util.List.of(first, second)) {
        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
      }
      assertThat(count(sql)).isZero(); // "a0 fine" was copied before the failure: rolled back

      // the next batch is not affected
      assertThat(post(http, glust, request("c0 after")).get(30, TimeUnit.SECONDS).statusCode())
          .isEqualTo(200);
      sql.execute("DROP TRIGGER fail_row ON spans");
      assertThat(
              post(http, glust, request("a0 fine", "a1 poison"))
                  .get(30, TimeUnit.SECONDS)
                  .statusCode())
          .isEqualTo(200);
      assertThat(count(sql)).isEqualTo(3);
    }
  }

  private static long count(Statement sql) throws Exception {
    try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM spans")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static CompletableFuture<HttpResponse<String>> post(
      HttpClient http, RunningGlust glust, byte[] body) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create(glust.otlpHttp() + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
