package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.storage.contract.MemoryStorage;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.tenant.TenantId;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GLUST_STORAGE chooses the storage adapter among the providers on the classpath: here the
 * test-only in-memory one, which serves ingest, queries, health and /metrics without PostgreSQL.
 */
class StorageSelectionSystemTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void theStorageGlustStorageNamesReceivesAndAnswersEverything() throws Exception {
    int before = MemoryStorageProvider.OPENED.size();
    // no database: the embedded PostgreSQL would be started if anything asked for one
    try (RunningGlust glust = new RunningGlust(null, Map.of("glust.storage", "memory"))) {
      assertThat(MemoryStorageProvider.OPENED).hasSize(before + 1);
      MemoryStorage storage = MemoryStorageProvider.OPENED.get(before);

      String json =
          "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
              + "\"value\":{\"stringValue\":\"in-memory\"}}]},\"scopeSpans\":[{\"spans\":[{"
              + "\"traceId\":\""
              + TRACE_ID
              + "\",\"spanId\":\"b7ad6b7169203331\",\"name\":\"GET /memory\","
              + "\"startTimeUnixNano\":\"1700000000000000000\","
              + "\"endTimeUnixNano\":\"1700000000001000000\",\"kind\":2}]}]}]}";
      HttpResponse<byte[]> sent =
          glust.postOtlp("/v1/traces", "application/json", json.getBytes(StandardCharsets.UTF_8));
      assertThat(sent.statusCode()).isEqualTo(200);

      assertThat(storage.recordCount()).isEqualTo(1);
      assertThat(storage.loadTrace(TenantId.DEFAULT, TraceId.fromHex(TRACE_ID)).spans())
          .singleElement()
          .satisfies(span -> assertThat(span.name()).isEqualTo("GET /memory"));
      HttpResponse<String> trace = glust.get("/api/v1/traces/" + TRACE_ID);
      assertThat(trace.statusCode()).isEqualTo(200);
      assertThat(trace.body()).contains("\"GET /memory\"", "\"in-memory\"");
      assertThat(glust.get("/health").body()).contains("\"status\":\"UP\"");
      // the adapter's own meters, not PostgreSQL's
      String metrics = glust.get("/metrics").body();
      assertThat(metrics).contains("glust_storage_memory_records 1.0");
      assertThat(metrics).doesNotContain("glust_db_pool_connections");
    }
  }

  @Test
  void anUnknownStorageStopsGlustWithOneLineNamingTheKnownOnes() throws Exception {
    try (GlustProcess glust = GlustProcess.start("bad-storage", Map.of("GLUST_STORAGE", "mongo"))) {
      assertThat(glust.exitStatus()).isEqualTo(2);
      assertThat(glust.stderr().lines())
          .singleElement()
          .asString()
          .isEqualTo("glust: GLUST_STORAGE=mongo is not allowed: one of memory, postgres");
      assertThat(glust.stdout()).isEmpty();
    }
  }
}
