package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An SDK that did not get its answer (timeout, lost connection) sends the same export again, over
 * either protocol: the records are stored once. Also checks the partitioning settings are applied.
 */
class RetriedExportSystemTest {

  @Test
  void theSameExportSentFourTimesOverBothProtocolsIsStoredOnce() throws Exception {
    try (RunningGlust glust =
        new RunningGlust(
            Map.of(
                "glust.partitions.interval", "6h",
                "glust.partitions.retention", "7d",
                "glust.partitions.logs-retention", "3650d"))) {
      SdkSample.Recorded sample = SdkSample.record("retried");
      var grpcSpans = OtlpGrpcSpanExporter.builder().setEndpoint(glust.otlpGrpc()).build();
      var httpSpans =
          OtlpHttpSpanExporter.builder().setEndpoint(glust.otlpHttp() + "/v1/traces").build();
      var grpcLogs = OtlpGrpcLogRecordExporter.builder().setEndpoint(glust.otlpGrpc()).build();
      var httpLogs =
          OtlpHttpLogRecordExporter.builder().setEndpoint(glust.otlpHttp() + "/v1/logs").build();
      List<CompletableResultCode> results = new ArrayList<>();
      for (int attempt = 0; attempt < 2; attempt++) {
        results.add(grpcSpans.export(sample.spans()));
        results.add(httpSpans.export(sample.spans()));
        results.add(grpcLogs.export(sample.logs()));
        results.add(httpLogs.export(sample.logs()));
      }
      for (CompletableResultCode result : results) {
        assertThat(result.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }

      // The sample is from 2023: spans (kept 7 days) are too old to keep (refused by partial
      // success, which the SDK counts as sent), logs (10 years) are not.
      assertThat(glust.db.queryLong("SELECT count(*) FROM spans")).isZero();
      assertThat(glust.db.queryLong("SELECT count(*) FROM logs")).isEqualTo(sample.logs().size());
      assertThat(
              glust.db.queryLong(
                  "SELECT count(*) FROM pg_inherits WHERE inhparent = 'logs'::regclass"))
          .isEqualTo(3 + 1); // now + 2 ahead, and the sample's 6 hours
    }
  }

  /** Old records pass because RunningGlust allows a century as GLUST_MAX_RECORD_AGE. */
  @Test
  void withoutRetentionOldRecordsAreKeptAndRetriesStoredOnce() throws Exception {
    try (RunningGlust glust = new RunningGlust()) {
      SdkSample.Recorded sample = SdkSample.record("retried");
      var exporter = OtlpGrpcSpanExporter.builder().setEndpoint(glust.otlpGrpc()).build();
      for (int attempt = 0; attempt < 3; attempt++) {
        assertThat(exporter.export(sample.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      assertThat(glust.db.queryLong("SELECT count(*) FROM spans")).isEqualTo(sample.spans().size());
    }
  }
}
