package dev.glust.adapter.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.model.MetricSummary;
import dev.glust.domain.metric.AggregationTemporality;
import dev.glust.domain.metric.MetricKind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The name table of docs/api.md, as Prometheus' OTLP receiver translates. */
class PromNamesTest {
  @ParameterizedTest
  @CsvSource({
    "http.server.request.duration, s, HISTOGRAM, false, http_server_request_duration_seconds",
    "http.server.requests, {request}, SUM, true, http_server_requests_total",
    "process.memory.usage, By, GAUGE, false, process_memory_usage_bytes",
    "system.cpu.utilization, 1, GAUGE, false, system_cpu_utilization_ratio",
    "requests.count, 1, SUM, true, requests_count_total",
    "network.io, By/s, GAUGE, false, network_io_bytes_per_second",
    "queue.size, '', SUM, false, queue_size",
    "latency_seconds, s, GAUGE, false, latency_seconds",
    "jobs.total, '', SUM, true, jobs_total",
    "2xx..responses, ms, SUM, true, _2xx_responses_milliseconds_total",
    "weird-name/ä, Cel, GAUGE, false, weird_name_celsius",
    "traces.span.metrics.duration, ms, EXPONENTIAL_HISTOGRAM, false,"
        + " traces_span_metrics_duration_milliseconds",
  })
  void metricNames(String name, String unit, MetricKind kind, boolean monotonic, String expected) {
    assertThat(PromNames.metricName(name, unit, kind, monotonic)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "http.request.method, http_request_method",
    "service.name, service_name",
    "http.response.status_code, http_response_status_code",
    "2fa, key_2fa",
    "a..b--c, a_b_c",
    "ünïcode, _n_code",
  })
  void labelNames(String key, String expected) {
    assertThat(PromNames.labelName(key)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void histogramsHaveBucketSumAndCount() {
    MetricSummary histogram =
        new MetricSummary(
            "http.server.request.duration",
            MetricKind.HISTOGRAM,
            "s",
            "",
            AggregationTemporality.CUMULATIVE,
            false,
            List.of(),
            1);
    assertThat(PromNames.families(histogram))
        .extracting(PromNames.Family::name)
        .containsExactly(
            "http_server_request_duration_seconds_bucket",
            "http_server_request_duration_seconds_sum",
            "http_server_request_duration_seconds_count");
    assertThat(PromNames.type(histogram)).isEqualTo("histogram");
  }
}
