package dev.glust.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Distinct OTLP export requests, as an instrumented service would send them: unique trace and span
 * ids, ten attributes per span, two events on every fifth span, log records with bodies and
 * attributes, a third of them correlated to a trace; metric data points of counters and (every
 * fifth metric) explicit-bucket histograms, 40 series per metric and service, some with exemplars.
 */
final class OtlpRequests {
  private static final InstrumentationScope SCOPE =
      InstrumentationScope.newBuilder().setName("io.glust.load").setVersion("1.0").build();
  private final AtomicLong sequence = new AtomicLong(1);
  private final long runId = System.nanoTime();

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  private static Resource resource(long n) {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", "load-service-" + n % 8))
        .addAttributes(kv("host.name", "host-" + n % 4))
        .build();
  }

  private ByteString id(int bytes, long value) {
    ByteBuffer b = ByteBuffer.allocate(bytes);
    if (bytes == 16) {
      b.putLong(runId);
    }
    return ByteString.copyFrom(b.putLong(value).array());
  }

  /**
   * A span's duration as services show them: lognormal, median 20 ms, σ = 1 (a tenth of the spans
   * above 72 ms, one in a hundred above 205 ms), fixed by the span's number so runs repeat.
   */
  static long durationNanos(long n) {
    SplittableRandom random = new SplittableRandom(n);
    double u1 = 1 - random.nextDouble(); // (0, 1]: the logarithm is finite
    double u2 = random.nextDouble();
    double normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return (long) (20e6 * Math.exp(normal));
  }

  byte[] spans(int count) {
    long first = sequence.getAndAdd(count);
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(SCOPE);
    for (int i = 0; i < count; i++) {
      long n = first + i;
      long trace = n / 10; // ten spans per trace
      Span.Builder span =
          Span.newBuilder()
              .setTraceId(id(16, trace + 1))
              .setSpanId(id(8, n))
              .setName("GET /api/item/" + n % 50)
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(now - durationNanos(n) + i)
              .setEndTimeUnixNano(now + i)
              .addAttributes(kv("http.method", "GET"))
              .addAttributes(kv("http.route", "/api/item/{id}"))
              .addAttributes(kv("http.status_code", n % 20 == 0 ? 500 : 200))
              .addAttributes(kv("http.url", "https://shop.example/api/item/" + n))
              .addAttributes(kv("user.id", "user-" + n % 10_000))
              .addAttributes(kv("net.peer.port", 1024 + n % 50_000))
              .addAttributes(kv("region", "eu-" + n % 3))
              .addAttributes(kv("thread.name", "worker-" + n % 16))
              .addAttributes(kv("db.rows", n % 100))
              .addAttributes(kv("session", Long.toHexString(n * 7919)));
      if (n % 10 != 0) {
        span.setParentSpanId(id(8, n - n % 10)); // the trace's first span
      }
      if (n % 5 == 0) {
        span.addEvents(Span.Event.newBuilder().setName("cache.miss").setTimeUnixNano(now - 1000));
        span.addEvents(
            Span.Event.newBuilder()
                .setName("retry")
                .setTimeUnixNano(now - 500)
                .addAttributes(kv("attempt", 2)));
      }
      scope.addSpans(span);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().setResource(resource(first)).addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  byte[] logs(int count) {
    long first = sequence.getAndAdd(count);
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeLogs.Builder scope = ScopeLogs.newBuilder().setScope(SCOPE);
    for (int i = 0; i < count; i++) {
      long n = first + i;
      LogRecord.Builder log =
          LogRecord.newBuilder()
              .setTimeUnixNano(now + i)
              .setObservedTimeUnixNano(now + i + 1000)
              .setSeverityNumberValue(9 + (int) (n % 4) * 4)
              .setSeverityText("INFO")
              .setBody(
                  AnyValue.newBuilder()
                      .setStringValue(
                          "request "
                              + n
                              + " handled for user-"
                              + n % 10_000
                              + " in "
                              + n % 97
                              + " ms"))
              .addAttributes(kv("logger", "com.example.Handler" + n % 20))
              .addAttributes(kv("thread", "worker-" + n % 16))
              .addAttributes(kv("request.id", n));
      if (n % 3 == 0) {
        log.setTraceId(id(16, n / 10 + 1)).setSpanId(id(8, n));
      }
      scope.addLogRecords(log);
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource(first)).addScopeLogs(scope))
        .build()
        .toByteArray();
  }

  private static final int POINTS_PER_METRIC = 50;
  private static final List<Double> BOUNDS =
      List.of(5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0, 500.0, 1000.0, 2500.0);

  /**
   * {@code count} data points: one metric per 50 points. Every point's time is unique (the run's
   * sequence), so that no two points share a series and time and every point is a new row.
   */
  byte[] metrics(int count) {
    long first = sequence.getAndAdd(count);
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(SCOPE);
    for (int m = 0; m < count; m += POINTS_PER_METRIC) {
      long n0 = first + m;
      boolean histogram = (n0 / POINTS_PER_METRIC) % 5 == 0;
      Sum.Builder sum =
          Sum.newBuilder()
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
              .setIsMonotonic(true);
      Histogram.Builder histogramData =
          Histogram.newBuilder()
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
      for (int i = 0; i < Math.min(POINTS_PER_METRIC, count - m); i++) {
        long n = n0 + i;
        List<KeyValue> labels =
            List.of(
                kv("http.route", "/api/item/" + n % 20),
                kv("http.status_code", n % 2 == 0 ? 200 : 500));
        if (histogram) {
          HistogramDataPoint.Builder point =
              HistogramDataPoint.newBuilder()
                  .addAllAttributes(labels)
                  .setStartTimeUnixNano(now - 60_000_000_000L)
                  .setTimeUnixNano(now + n)
                  .addAllExplicitBounds(BOUNDS)
                  .setSum(n % 1000 * 1.5)
                  .setMin(0.5)
                  .setMax(2400);
          long total = 0;
          for (int b = 0; b <= BOUNDS.size(); b++) {
            long c = (n + b) % 7;
            point.addBucketCounts(c);
            total += c;
          }
          point.setCount(total);
          if (n % 10 == 0) {
            point.addExemplars(
                Exemplar.newBuilder()
                    .setTimeUnixNano(now + n - 1)
                    .setAsDouble(42.5)
                    .setTraceId(id(16, n / 10 + 1))
                    .setSpanId(id(8, n)));
          }
          histogramData.addDataPoints(point);
        } else {
          sum.addDataPoints(
              NumberDataPoint.newBuilder()
                  .addAllAttributes(labels)
                  .setStartTimeUnixNano(now - 60_000_000_000L)
                  .setTimeUnixNano(now + n)
                  .setAsInt(n));
        }
      }
      Metric.Builder metric =
          Metric.newBuilder().setName(histogram ? "http.server.duration" : "http.server.requests");
      scope.addMetrics(
          histogram
              ? metric.setUnit("ms").setHistogram(histogramData)
              : metric.setUnit("{request}").setSum(sum));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder().setResource(resource(first)).addScopeMetrics(scope))
        .build()
        .toByteArray();
  }
}
