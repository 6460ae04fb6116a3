package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/newest}: the newest span start and log record time, at or before a time, so
 * that the explorer can tell an empty range from an empty store.
 */
class NewestRecordsSystemTest {
  private static final long ROOT = SdkSample.ROOT_START;

  @Test
  void theNewestSpanAndLogAtOrBeforeTheEndAreFoundAndNullWhenThereIsNone() throws Exception {
    try (RunningGlust glust = new RunningGlust()) {
      assertNewest(glust, "", null, null);

      SdkSample.Recorded sample = SdkSample.record("newest");
      OtlpGrpcSpanExporter spans =
          OtlpGrpcSpanExporter.builder().setEndpoint(glust.otlpGrpc()).build();
      OtlpGrpcLogRecordExporter logs =
          OtlpGrpcLogRecordExporter.builder().setEndpoint(glust.otlpGrpc()).build();
      assertThat(spans.export(sample.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(logs.export(sample.logs()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      spans.shutdown().join(10, TimeUnit.SECONDS);
      logs.shutdown().join(10, TimeUnit.SECONDS);

      // spans start at ROOT - 5000, ROOT and ROOT + 1000001 ns; logs at ROOT + 7 and ROOT + 8 ns
      String newestLog = Long.toString(ROOT + 8);
      assertNewest(glust, "", Long.toString(ROOT + 1_000_001), newestLog);
      assertNewest(glust, "?end=" + (ROOT + 500_000), Long.toString(ROOT), newestLog);
      assertNewest(glust, "?end=" + (ROOT - 1_000_000), null, null);
      assertThat(glust.get("/api/v1/newest?end=yesterday").statusCode()).isEqualTo(400);
    }
  }

  private static void assertNewest(RunningGlust glust, String query, String span, String log)
      throws Exception {
    HttpResponse<String> response = glust.get("/api/v1/newest" + query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
    assertThat(text(body, "spanTimeUnixNano")).as(query).isEqualTo(span);
    assertThat(text(body, "logTimeUnixNano")).as(query).isEqualTo(log);
  }

  private static String text(JsonObject body, String key) {
    return body.get(key).isJsonNull() ? null : body.get(key).getAsString();
  }
}
