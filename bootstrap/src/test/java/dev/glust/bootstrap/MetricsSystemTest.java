package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.observe.ExportOutcome;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} names Glust's series in Prometheus text, and they move with an ingest (and a
 * retried one).
 */
class MetricsSystemTest {
  private static double value(String metrics, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.E+-]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** Prometheus' label order: by name; record counters carry the tenant (the default one here). */
  private static String labels(String protocol, String reason, String signal) {
    return "protocol=\""
        + protocol
        + "\",reason=\""
        + reason
        + "\",signal=\""
        + signal
        + "\",tenant=\"default\"}";
  }

  /** Every series a known label combination can move is there at 0 from start-up on. */
  @Test
  void counterSeriesAreAtZeroRightAfterStartUp() throws Exception {
    try (RunningGlust glust = new RunningGlust()) {
      String metrics = glust.get("/metrics").body();
      List<String> missing = new java.util.ArrayList<>();
      for (String signal : List.of("traces", "logs", "metrics")) {
        for (String protocol : List.of("grpc", "http")) {
          String labels = "protocol=\"" + protocol + "\",signal=\"" + signal + "\"";
          for (ExportOutcome outcome : ExportOutcome.values()) {
            String name = outcome.name().toLowerCase(java.util.Locale.ROOT);
            missing.add("glust_ingest_requests_total{outcome=\"" + name + "\"," + labels + "}");
            if (outcome != ExportOutcome.ACCEPTED) {
              String kind = outcome.retryable() ? "refused" : "rejected";
              missing.add(
                  "glust_ingest_records_" + kind + "_total{" + labels(protocol, name, signal));
            }
          }
          String tenantLabels = labels + ",tenant=\"default\"";
          missing.add("glust_ingest_records_received_total{" + tenantLabels + "}");
          missing.add("glust_ingest_records_accepted_total{" + tenantLabels + "}");
          missing.add(
              "glust_ingest_records_rejected_total{" + labels(protocol, "invalid_record", signal));
          missing.add("glust_ingest_request_duration_seconds_count{" + labels + "}");
        }
      }
      for (String pipeline : List.of("spans", "logs", "metrics")) {
        for (String result : List.of("committed", "failed")) {
          String labels = "result=\"" + result + "\",signal=\"" + pipeline + "\"";
          missing.add("glust_pipeline_batch_size_records_count{" + labels + "}");
          missing.add("glust_db_commit_duration_seconds_count{" + labels + "}");
        }
      }
      missing.removeIf(
          series ->
              Pattern.compile("(?m)^" + Pattern.quote(series) + " 0(\\.0)?$")
                  .matcher(metrics)
                  .find());
      assertThat(missing).as("series not at 0 after start-up").isEmpty();
    }
  }

  @Test
  void seriesAreExposedAndMoveAfterAnIngest() throws Exception {
    try (RunningGlust glust = new RunningGlust()) {
      HttpResponse<String> before = glust.get("/metrics");
      assertThat(before.statusCode()).isEqualTo(200);
      assertThat(before.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      assertThat(before.body())
          .contains(
              "glust_pipeline_queued_records{signal=\"spans\"}",
              "glust_pipeline_queued_bytes{signal=\"logs\"}",
              "glust_pipeline_queued_records{signal=\"metrics\"}",
              "glust_storage_upserted_metric_series_total",
              "glust_storage_deleted_metric_series_total",
              "glust_storage_retention_deleted_total{signal=\"traces\"}",
              "glust_pipeline_saturated",
              "jvm_memory_used_bytes",
              "process_cpu_usage",
              "process_uptime_seconds",
              "glust_storage_dropped_partitions_total",
              "glust_storage_expired_records_total",
              "glust_storage_sealed_partitions_total",
              "glust_storage_partitions_awaiting_seal",
              "glust_db_pool_connections{pool=\"ingest\",state=\"active\"}",
              "glust_db_pool_connections{pool=\"query\",state=\"idle\"}",
              "glust_db_pool_connections{pool=\"ingest\",state=\"idle\"}",
              "glust_db_pool_pending_threads{pool=\"ingest\"}");
      // the partitions of today and the days ahead, made at start-up
      assertThat(value(before.body(), "glust_storage_created_partitions_total")).isPositive();
      assertThat(value(before.body(), "glust_db_pool_connections{pool=\"ingest\",state=\"total\"}"))
          .isPositive();
      assertThat(value(before.body(), "glust_storage_duplicate_records_total")).isZero();

      SpanExporter exporter = OtlpGrpcSpanExporter.builder().setEndpoint(glust.otlpGrpc()).build();
      List<SpanData> spans = SdkSample.record("metered").spans();
      int sent = spans.size();
      assertThat(exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      exporter.shutdown();
      assertThat(glust.postOtlp("/v1/logs", "application/json", "{bad".getBytes()).statusCode())
          .isEqualTo(400);

      String after = glust.get("/metrics").body();
      assertThat(
              value(
                  after,
                  "glust_ingest_requests_total{outcome=\"accepted\",protocol=\"grpc\",signal=\"traces\"}"))
          .isEqualTo(1);
      assertThat(
              value(
                  after,
                  "glust_ingest_requests_total{outcome=\"invalid\",protocol=\"http\",signal=\"logs\"}"))
          .isEqualTo(1);
      assertThat(
              value(
                  after,
                  "glust_ingest_records_accepted_total{protocol=\"grpc\",signal=\"traces\",tenant=\"default\"}"))
          .isEqualTo(sent);
      assertThat(
              value(
                  after,
                  "glust_ingest_request_duration_seconds_count{protocol=\"grpc\",signal=\"traces\"}"))
          .isEqualTo(1);
      assertThat(after).contains("glust_ingest_request_duration_seconds_bucket{");
      assertThat(
              value(
                  after,
                  "glust_db_commit_duration_seconds_count{result=\"committed\",signal=\"spans\"}"))
          .isEqualTo(1);
      assertThat(
              value(
                  after,
                  "glust_pipeline_batch_size_records_sum{result=\"committed\",signal=\"spans\"}"))
          .isEqualTo(sent);

      // the same export again, as a client retrying after a lost answer would: stored once
      SpanExporter retrying = OtlpGrpcSpanExporter.builder().setEndpoint(glust.otlpGrpc()).build();
      assertThat(retrying.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      retrying.shutdown();
      assertThat(value(glust.get("/metrics").body(), "glust_storage_duplicate_records_total"))
          .isEqualTo(sent);
    }
  }
}
