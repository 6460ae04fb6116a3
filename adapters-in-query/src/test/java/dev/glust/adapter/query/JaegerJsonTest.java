package dev.glust.adapter.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.in.query.performance.SpanMetricSeries;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch;
import dev.glust.application.port.in.query.performance.SpanMetricsSearch.Measure;
import dev.glust.application.port.in.query.trace.SpanNode;
import dev.glust.application.port.in.query.trace.TraceView;
import dev.glust.domain.testing.SampleTelemetry;
import dev.glust.domain.trace.Span;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Jaeger UI model, as in jaeger's model/converter/json fixtures. */
class JaegerJsonTest {
  private final JaegerJson jaeger = new JaegerJson(JsonMapper.createDefault());

  @Test
  @SuppressWarnings("unchecked")
  void aTraceHasJaegersShape() {
    Span span = SampleTelemetry.span();
    Map<String, Object> trace =
        jaeger.trace(
            new TraceView(span.traceId(), List.of(new SpanNode(span, true, List.of())), List.of()));

    assertThat(trace).containsOnlyKeys("traceID", "spans", "processes", "warnings");
    Map<String, Object> s = ((List<Map<String, Object>>) trace.get("spans")).get(0);
    assertThat(s)
        .containsEntry("traceID", "5b8efff798038103d269b633813fc60c")
        .containsEntry("spanID", "eee19b7ec3c1b174")
        .containsEntry("operationName", "GET /checkout")
        .containsEntry("startTime", SampleTelemetry.START_NANOS / 1000)
        .containsEntry("duration", 1_500_000L) // 1 500 000 001 ns, truncated like Jaeger
        .containsEntry("processID", "p1");
    assertThat((List<Map<String, Object>>) s.get("references"))
        .containsExactly(
            Map.of(
                "refType",
                "CHILD_OF",
                "traceID",
                "5b8efff798038103d269b633813fc60c",
                "spanID",
                "eee19b7ec3c1b173"),
            Map.of(
                "refType",
                "FOLLOWS_FROM",
                "traceID",
                "0102030405060708090a0b0c0d0e0f10",
                "spanID",
                "0102030405060708"));
    assertThat((List<Map<String, Object>>) s.get("tags"))
        .contains(
            Map.of("key", "int", "type", "int64", "value", 9_007_199_254_740_993L),
            Map.of("key", "bool", "type", "bool", "value", true),
            Map.of("key", "double", "type", "float64", "value", 1.0),
            Map.of("key", "bytes", "type", "binary", "value", "AAEC/w=="),
            Map.of("key", "array", "type", "string", "value", "[\"a\",2]"),
            Map.of("key", "span.kind", "type", "string", "value", "server"),
            Map.of("key", "otel.status_code", "type", "string", "value", "ERROR"),
            Map.of("key", "error", "type", "bool", "value", true),
            Map.of("key", "otel.status_description", "type", "string", "value", "boom"));
    Map<String, Object> log = ((List<Map<String, Object>>) s.get("logs")).get(0);
    assertThat(log).containsEntry("timestamp", (SampleTelemetry.START_NANOS + 7) / 1000);
    assertThat((List<Map<String, Object>>) log.get("fields"))
        .startsWith(Map.of("key", "event", "type", "string", "value", "exception"));
    Map<String, Object> process =
        (Map<String, Object>) ((Map<String, Object>) trace.get("processes")).get("p1");
    assertThat(process).containsEntry("serviceName", "checkout");
    assertThat((List<Map<String, Object>>) process.get("tags"))
        .containsExactly(Map.of("key", "host.name", "type", "string", "value", "h1"));
  }

  @Test
  void theEnvelopeIsJaegers() {
    assertThat(JaegerJson.envelope(List.of("a", "b")))
        .containsExactly(
            Map.entry("data", List.of("a", "b")),
            Map.entry("total", 2),
            Map.entry("limit", 0),
            Map.entry("offset", 0),
            new java.util.AbstractMap.SimpleEntry<>("errors", null));
  }

  @Test
  void aMetricFamilyIsWrittenAsJaegersProtobufJson() throws IOException {
    long end = 1_700_000_100_000_000_000L; // 2023-11-14T22:15:00Z
    long minute = 60_000_000_000L;
    SpanMetricsSearch search =
        new SpanMetricsSearch(
            Measure.LATENCY, 0.95, Set.of("api"), Set.of(), true, end, minute, minute, 10 * minute);
    SpanMetricSeries series =
        new SpanMetricSeries(
            "api",
            Optional.of("GET /"),
            List.of(
                new SpanMetricSeries.Point(end - minute, 12.5),
                new SpanMetricSeries.Point(end, Double.NaN)));

    String json =
        new String(
            JsonMapper.createDefault()
                .writeValueAsBytes(JaegerJson.metricFamily(search, List.of(series))),
            StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"name\":\"service_operation_latencies\",\"type\":\"GAUGE\","
                + "\"help\":\"0.95th quantile latency, grouped by service & operation\","
                + "\"metrics\":[{\"labels\":[{\"name\":\"service_name\",\"value\":\"api\"},"
                + "{\"name\":\"operation\",\"value\":\"GET /\"}],"
                + "\"metricPoints\":["
                + "{\"gaugeValue\":{\"doubleValue\":12.5},\"timestamp\":\"2023-11-14T22:14:00Z\"},"
                + "{\"gaugeValue\":{\"doubleValue\":\"NaN\"},\"timestamp\":\"2023-11-14T22:15:00Z\"}"
                + "]}]}");
  }
}
