package dev.glust.bootstrap;

import static dev.glust.bootstrap.DatabaseOutageSystemTest.oneSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Glust started with a tenants file holds one tenant to its ingest rate over both transports while
 * another tenant is not held, and applies a rewritten file without restart, retention included.
 */
class TenantLimitsSystemTest {
  /** One span per 10 s for acme: its second request within the test is refused. */
  private static final String SLOW_ACME =
      "tenants:\n  acme:\n    ingest: { records_per_second: 0.1, burst_seconds: 10 }\n"
          + "  gamma:\n    max_active_series: 1\n";

  @Test
  void aTenantOverItsRateIsRefusedAnotherIsNotAndARewrittenFileApplies(@TempDir Path dir)
      throws Exception {
    Path tenants = dir.resolve("tenants.yml");
    Files.writeString(tenants, SLOW_ACME);
    try (RunningGlust glust =
            new RunningGlust(
                Map.of(
                    "glust.tenants.file",
                    tenants.toString(),
                    "glust.tenants.check-every",
                    "200ms"));
        GrpcClient grpc = new GrpcClient(glust.receivers.grpcPort())) {
      assertThat(post(glust, "acme").statusCode()).isEqualTo(200);
      HttpResponse<byte[]> limited = post(glust, "acme");
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong))
          .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1L, 10L));
      assertThatThrownBy(() -> grpc.export("acme"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode())
                    .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
                assertThat(StatusProto.fromThrowable(e).getDetailsList())
                    .anySatisfy(detail -> assertThat(detail.is(RetryInfo.class)).isTrue());
              });
      for (int i = 0; i < 5; i++) { // beta has no limit
        assertThat(post(glust, "beta").statusCode()).isEqualTo(200);
        grpc.export("beta");
      }
      String metrics = glust.get("/metrics").body();
      assertThat(metrics)
          .contains(
              "glust_tenant_limited_total{limit=\"records_per_second\",signal=\"traces\","
                  + "tenant=\"acme\"} 2.0",
              "glust_tenants_config_reload_success 1.0");

      Files.writeString(tenants, "tenants:\n  acme:\n    ingest: { records_per_second: 1000 }\n");
      assertThat(eventually(() -> status(glust, "acme") == 200)).as("new limit applied").isTrue();
      grpc.export("acme");

      Files.writeString(tenants, "tenants:\n  acme:\n    ingest: { records_per_second: fast }\n");
      assertThat(
              eventually(() -> metric(glust).contains("glust_tenants_config_reload_success 0.0")))
          .as("a broken file is reported")
          .isTrue();
      assertThat(post(glust, "acme").statusCode()).as("the previous policies kept").isEqualTo(200);
    }
  }

  @Test
  void pointsOfNewSeriesBeyondATenantsCapAreRejectedAsPartialSuccess(@TempDir Path dir)
      throws Exception {
    Path tenants = dir.resolve("tenants.yml");
    Files.writeString(tenants, SLOW_ACME);
    try (RunningGlust glust = new RunningGlust(Map.of("glust.tenants.file", tenants.toString()))) {
      HttpResponse<byte[]> gamma = postGauges(glust, "gamma", "a", "b");
      assertThat(gamma.statusCode()).isEqualTo(200);
      assertThat(new String(gamma.body(), StandardCharsets.UTF_8))
          .contains("\"rejectedDataPoints\":\"1\"", "max_active_series");
      HttpResponse<byte[]> known = postGauges(glust, "gamma", "a");
      assertThat(new String(known.body(), StandardCharsets.UTF_8)).doesNotContain("rejected");
      HttpResponse<byte[]> beta = postGauges(glust, "beta", "a", "b", "c");
      assertThat(new String(beta.body(), StandardCharsets.UTF_8)).doesNotContain("rejected");
      assertThat(glust.get("/metrics").body())
          .contains(
              "glust_tenant_limited_total{limit=\"max_active_series\",signal=\"metrics\","
                  + "tenant=\"gamma\"} 1.0");
    }
  }

  @Test
  void aBrokenTenantsFileAtStartIsTheOneLineConfigurationError(@TempDir Path dir) throws Exception {
    Path tenants = dir.resolve("tenants.yml");
    Files.writeString(tenants, "tenants:\n  acme:\n    max_active_series: lots\n");
    assertThatThrownBy(() -> new RunningGlust(Map.of("glust.tenants.file", tenants.toString())))
        .satisfies(
            failure ->
                assertThat(SettingException.in(failure))
                    .hasValueSatisfying(
                        setting ->
                            assertThat(setting)
                                .hasMessage(
                                    "GLUST_TENANTS="
                                        + tenants
                                        + ": tenants.acme.max_active_series: lots is not a whole"
                                        + " number")));
  }

  @Test
  void aRewrittenFileChangesHowLongATenantsRecordsAreKept(@TempDir Path dir) throws Exception {
    Path tenants = dir.resolve("tenants.yml");
    Files.writeString(
        tenants,
        "tenants:\n  acme:\n    retention: { traces: 10d }\n"
            + "  beta:\n    retention: { traces: 10d }\n");
    try (RunningGlust glust =
        new RunningGlust(
            Map.of(
                "glust.tenants.file",
                tenants.toString(),
                "glust.tenants.check-every",
                "200ms",
                "glust.partitions.retention",
                "3d",
                "glust.partitions.maintenance-every",
                "500ms"))) {
      long twoDaysAgo = (System.currentTimeMillis() - TimeUnit.DAYS.toMillis(2)) * 1_000_000L;
      HttpResponse<byte[]> stored =
          glust.postOtlp(
              "/v1/traces",
              "application/x-protobuf",
              spanAt(twoDaysAgo).toByteArray(),
              "X-Scope-OrgID",
              "acme");
      assertThat(new String(stored.body(), StandardCharsets.UTF_8)).doesNotContain("rejected");
      Thread.sleep(1500); // a few maintenance runs: kept under acme's 10 days
      assertThat(metric(glust))
          .contains("glust_storage_retention_deleted_total{signal=\"traces\"} 0.0");

      // acme now keeps traces 1 day; beta's 10 days keep the partitions, so acme's row is deleted
      Files.writeString(
          tenants,
          "tenants:\n  acme:\n    retention: { traces: 1d }\n"
              + "  beta:\n    retention: { traces: 10d }\n");
      assertThat(
              eventually(
                  () ->
                      metric(glust)
                          .contains(
                              "glust_storage_retention_deleted_total{signal=\"traces\"} 1.0")))
          .as("acme's 2-day-old span deleted after the reload")
          .isTrue();
    }
  }

  private static ExportTraceServiceRequest spanAt(long startUnixNano) {
    ExportTraceServiceRequest.Builder request = oneSpan("kept?").toBuilder();
    request
        .getResourceSpansBuilder(0)
        .getScopeSpansBuilder(0)
        .getSpansBuilder(0)
        .setStartTimeUnixNano(startUnixNano)
        .setEndTimeUnixNano(startUnixNano + 1_000);
    return request.build();
  }

  /** One gauge point per series (its {@code queue} attribute), over OTLP/HTTP JSON. */
  private static HttpResponse<byte[]> postGauges(
      RunningGlust glust, String tenant, String... queues) throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    StringBuilder points = new StringBuilder();
    for (String queue : queues) {
      points
          .append(points.length() == 0 ? "" : ",")
          .append("{\"timeUnixNano\":\"")
          .append(now)
          .append("\",\"asDouble\":1,\"attributes\":[{\"key\":\"queue\",\"value\":")
          .append("{\"stringValue\":\"")
          .append(queue)
          .append("\"}}]}");
    }
    String body =
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"queue.depth\","
            + "\"gauge\":{\"dataPoints\":["
            + points
            + "]}}]}]}]}";
    return glust.postOtlp(
        "/v1/metrics",
        "application/json",
        body.getBytes(StandardCharsets.UTF_8),
        "X-Scope-OrgID",
        tenant);
  }

  private static HttpResponse<byte[]> post(RunningGlust glust, String tenant) throws Exception {
    return glust.postOtlp(
        "/v1/traces",
        "application/x-protobuf",
        oneSpan("limited?").toByteArray(),
        "X-Scope-OrgID",
        tenant);
  }

  private static int status(RunningGlust glust, String tenant) {
    try {
      return post(glust, tenant).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String metric(RunningGlust glust) {
    try {
      return glust.get("/metrics").body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** OTLP/gRPC exports of one span for a tenant. */
  private static final class GrpcClient implements AutoCloseable {
    private final ManagedChannel channel;

    GrpcClient(int port) {
      channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    void export(String tenant) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("x-scope-orgid", Metadata.ASCII_STRING_MARSHALLER), tenant);
      TraceServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .export(oneSpan("limited?"));
    }

    @Override
    public void close() {
      channel.shutdownNow();
    }
  }
}
